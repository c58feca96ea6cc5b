//! The events of a performance: the one record of what happened.

use ensemble_instruments::Usage;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One thing that happened in a performance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Event {
    /// Position in the performance's log, from 1, without gaps.
    pub seq: u64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What a player was handed by a cue that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Handoff {
    pub from: String,
    pub output: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum EventKind {
    PerformanceStarted {
        performance: String,
        title: String,
        context_version: String,
        /// Every player id, in score order.
        players: Vec<String>,
        /// All instruments were swapped for rehearsal.
        offline: bool,
        /// This starts a resumed stretch of an interrupted performance.
        resumed: bool,
        /// How the performance advances from this start: the score's tempo, or the one the
        /// person set in an earlier stretch. Absent in logs from before it was recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        tempo: Option<ensemble_score::TempoMode>,
    },
    PlayerCued {
        player: String,
        /// 1 for the first time the player plays, 2 for the first re-cue by a loop, and so on.
        chorus: u32,
        /// The shared-context version the player receives.
        context_version: String,
        /// A label of the instrument, e.g. `rehearsal` or `openai llama3.2`.
        instrument: String,
        /// True when a rehearsal stand-in plays the part.
        rehearsal: bool,
        handoffs: Vec<Handoff>,
    },
    Token {
        player: String,
        text: String,
    },
    PlayerRetrying {
        player: String,
        /// The attempt about to be made: 2 after the first failure.
        attempt: u32,
        delay_ms: u64,
        reason: String,
        /// What the failed attempt used: it counts toward the budgets and the total.
        usage: Usage,
        /// What the failed attempt cost, at the instrument's price (0 in logs from before costs
        /// of failed attempts were kept).
        #[serde(default)]
        #[ts(as = "Option<f64>", optional)]
        cost_usd: f64,
    },
    PlayerFinished {
        player: String,
        chorus: u32,
        output: String,
        usage: Usage,
        cost_usd: f64,
        elapsed_ms: u64,
    },
    PlayerFailed {
        player: String,
        chorus: u32,
        error: String,
        /// Output that arrived before the failure.
        partial_output: String,
        usage: Usage,
        /// What the failed chorus cost, at the instrument's price.
        #[serde(default)]
        #[ts(as = "Option<f64>", optional)]
        cost_usd: f64,
        elapsed_ms: u64,
    },
    PlayerSkipped {
        player: String,
        reason: String,
    },
    /// A forked performance takes this player's recorded output as given instead of playing it:
    /// it hands on what it handed on in the performance it was forked from.
    PlayerCarried {
        player: String,
        /// The performance the output was recorded in.
        from_performance: String,
        /// The chorus it had reached there.
        chorus: u32,
        /// What it handed on there (as edited), or what its failure left.
        output: String,
        /// Its last chorus there failed: its cues decide as after a failure.
        failed: bool,
    },
    HumanWaiting {
        player: String,
        question: String,
    },
    CueFired {
        from: String,
        to: String,
        /// How many times this cue has fired so far, this time included.
        count: u32,
    },
    CueHeld {
        from: String,
        to: String,
        /// Why it did not fire: its condition, a rejected checkpoint, or its repeat limit.
        reason: String,
    },
    CheckpointWaiting {
        from: String,
        to: String,
    },
    CheckpointResolved {
        from: String,
        to: String,
        approved: bool,
        note: Option<String>,
    },
    OutputEdited {
        player: String,
        output: String,
    },
    Paused,
    Resumed,
    Stepped {
        player: String,
    },
    /// The person changed how the performance advances, while it plays.
    TempoChanged {
        mode: ensemble_score::TempoMode,
    },
    /// A player's tool call waits for a person to approve, reject or edit it.
    ToolWaiting {
        player: String,
        /// Identifies the call within the player's performance: `chorus.attempt.n`.
        call: String,
        /// `server.tool`.
        tool: String,
        #[ts(type = "unknown")]
        arguments: serde_json::Value,
    },
    /// The person decided about a waiting tool call.
    ToolResolved {
        player: String,
        call: String,
        tool: String,
        decision: ensemble_instruments::tools::Decision,
    },
    /// A tool call runs now, with these arguments.
    ToolCalled {
        player: String,
        call: String,
        tool: String,
        #[ts(type = "unknown")]
        arguments: serde_json::Value,
        /// The result is made up by rehearsal; no server was started.
        rehearsal: bool,
    },
    /// A tool call answered; `result` is what the model was handed (within the output cap).
    ToolReturned {
        player: String,
        call: String,
        tool: String,
        result: String,
        /// The tool said its result is an error.
        is_error: bool,
        /// The result was cut at the player's output cap.
        cut: bool,
        elapsed_ms: u64,
    },
    /// A tool call gave no result (unknown tool, bad arguments, timeout, server gone, refused);
    /// `error` is what the model was told.
    ToolFailed {
        player: String,
        call: String,
        tool: String,
        error: String,
        elapsed_ms: u64,
    },
    BudgetExceeded {
        /// `time`, `tokens` or `cost`.
        budget: String,
        limit: f64,
        used: f64,
    },
    PerformanceFinished {
        outcome: crate::Outcome,
        reason: Option<String>,
        usage: Usage,
        cost_usd: f64,
        elapsed_ms: u64,
        /// How many players the score has, how many were never cued (skipped, or the performance
        /// ended first) and how many a fork carried over: a success with players never cued is
        /// not a plain success (see [`crate::Outcome::summary`]).
        #[serde(default)]
        #[ts(as = "Option<u32>", optional)]
        players: u32,
        #[serde(default)]
        #[ts(as = "Option<u32>", optional)]
        never_cued: u32,
        #[serde(default)]
        #[ts(as = "Option<u32>", optional)]
        carried: u32,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("could not record the event: {0}")]
pub struct JournalError(pub String);

/// Where events are made durable before anyone else sees them (the performance store).
pub trait Journal: Send {
    fn append(&mut self, event: &Event) -> Result<(), JournalError>;

    /// Makes `events` durable together, in order: all of them or (on an error) none. The
    /// conductor records a fast stream this way, one commit per batch instead of one per event.
    fn append_batch(&mut self, events: &[Event]) -> Result<(), JournalError> {
        events.iter().try_for_each(|event| self.append(event))
    }
}

/// A journal that keeps events in memory, for tests and benchmarks.
#[derive(Debug, Default)]
pub struct MemoryJournal {
    pub events: Vec<Event>,
}

impl Journal for MemoryJournal {
    fn append(&mut self, event: &Event) -> Result<(), JournalError> {
        self.events.push(event.clone());
        Ok(())
    }
}
