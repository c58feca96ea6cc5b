//! Each player's part in a recorded performance: how it ended, what it handed on, what it used
//! and cost (failed and retried attempts included), its tool calls, and which version of the
//! shared context it played from. What `show` and compare put side by side.
//!
//! Read from the conductor's [`Replay`] of the performance on the score it played, so these
//! figures and the conductor's own reading of the events cannot drift apart: each chorus in its
//! record already carries its instrument, usage, cost and tool calls, and this only sums them
//! per player.

use ensemble_conductor::{Event, Record, Replay};
use ensemble_score::Score;
use ensemble_store::Store;
use serde::Serialize;
use ts_rs::TS;

use crate::ApiError;

/// How a player's part in a performance ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlayerOutcome {
    Finished,
    Failed,
    /// Its cues did not fire, or the performance ended before it was cued.
    Skipped,
    /// A fork took its recorded output as given.
    Carried,
    /// Cued and not ended: the performance is still going, or was interrupted.
    Playing,
    /// Nothing about it was recorded.
    NotCued,
}

/// One player's part in one performance.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlayerRun {
    pub player: String,
    pub outcome: PlayerOutcome,
    /// What it handed on last: its latest output (as edited), the output a failure left, or
    /// the output a fork carried over.
    pub output: String,
    /// Why its latest chorus failed, if it did.
    pub error: Option<String>,
    /// Choruses played to an end (or the chorus carried over).
    pub choruses: u32,
    /// Time spent playing, all choruses together.
    pub elapsed_ms: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// What all its attempts cost, failed and retried ones included.
    pub cost_usd: f64,
    /// The shared-context version its latest chorus was cued with.
    pub context_version: Option<String>,
    /// The instrument that played its latest chorus, e.g. `rehearsal` or `openai gpt-4o`.
    pub instrument: Option<String>,
    /// Its output was edited by a person before it was handed on.
    pub edited: bool,
    /// Tool calls it made, all choruses together.
    pub tool_calls: u32,
}

impl PlayerRun {
    fn new(player: &str) -> PlayerRun {
        PlayerRun {
            player: player.to_string(),
            outcome: PlayerOutcome::NotCued,
            output: String::new(),
            error: None,
            choruses: 0,
            elapsed_ms: 0,
            input_tokens: 0,
            output_tokens: 0,
            cost_usd: 0.0,
            context_version: None,
            instrument: None,
            edited: false,
            tool_calls: 0,
        }
    }

    pub fn tokens(&self) -> u64 {
        self.input_tokens.saturating_add(self.output_tokens)
    }

    fn carried(&mut self, carried: &ensemble_conductor::CarriedOver) {
        self.outcome = PlayerOutcome::Carried;
        self.output = carried.edited.unwrap_or(carried.output).to_string();
        self.edited = carried.edited.is_some();
    }

    fn spent(&mut self, usage: &ensemble_instruments::Usage, cost_usd: f64) {
        self.input_tokens = self.input_tokens.saturating_add(usage.input_tokens);
        self.output_tokens = self.output_tokens.saturating_add(usage.output_tokens);
        self.cost_usd = ensemble_instruments::finite_cost(self.cost_usd + ensemble_instruments::finite_cost(cost_usd));
    }
}

/// Every player's part in performance `id`, replayed on the score recorded with it.
pub fn of_performance(store: &Store, id: &str) -> Result<Vec<PlayerRun>, ApiError> {
    let score = crate::resume::recorded(store, id)?.score;
    let events = store.events(id)?;
    Ok(replayed(&score, &events))
}

/// Every player's part in `events`, a performance of `score`.
pub fn replayed(score: &Score, events: &[Event]) -> Vec<PlayerRun> {
    player_runs(Replay::of(score, events).record())
}

/// Every player's part, in the order the events first name them (a start names every player of
/// the score, in score order).
pub fn player_runs(record: &Record) -> Vec<PlayerRun> {
    record.players.iter().map(|player| player_run(record, player)).collect()
}

fn player_run(record: &Record, player: &str) -> PlayerRun {
    let mut run = PlayerRun::new(player);
    let choruses: Vec<_> = record.by_player.get(player).map(|at| at.iter().map(|&s| &record.choruses[s]).collect()).unwrap_or_default();
    for chorus in &choruses {
        run.spent(&chorus.usage, chorus.cost_usd);
        run.tool_calls = run.tool_calls.saturating_add(chorus.tool_calls);
        if let Some(end) = &chorus.end {
            run.choruses = run.choruses.max(end.chorus);
            run.elapsed_ms = run.elapsed_ms.saturating_add(end.elapsed_ms);
        }
    }
    // What it handed on last: its latest ended chorus, or what a fork carried over if later.
    let ended = choruses.iter().rev().find_map(|c| c.end.as_ref());
    let carried = record.carried.iter().rev().find(|c| c.player == player);
    match (ended, carried) {
        (Some(end), Some(carried)) if carried.seq > end.seq => run.carried(carried),
        (Some(end), _) => {
            run.outcome = if end.ok { PlayerOutcome::Finished } else { PlayerOutcome::Failed };
            run.output = end.edited.unwrap_or(end.output).to_string();
            run.edited = end.edited.is_some();
            run.error = end.error.map(str::to_string);
        }
        (None, Some(carried)) => run.carried(carried),
        (None, None) => {}
    }
    if let Some(carried) = carried {
        run.choruses = run.choruses.max(carried.chorus);
    }
    if let Some(latest) = choruses.last()
        && latest.end.is_none()
        && carried.is_none_or(|c| c.seq < latest.cued_seq)
    {
        run.outcome = PlayerOutcome::Playing;
    }
    // The latest cue recorded (a chorus whose cue is missing from the log has neither).
    let cued = choruses.iter().rev().find(|c| !c.instrument.is_empty() || !c.context_version.is_empty());
    run.context_version = cued.map(|c| c.context_version.to_string());
    run.instrument = cued.map(|c| c.instrument.to_string());
    if run.outcome == PlayerOutcome::NotCued && record.skipped.iter().any(|(p, _)| *p == player) {
        run.outcome = PlayerOutcome::Skipped;
    }
    run
}
