//! A recorded performance folded into what a report and a trace describe: its turns, what each
//! turn was handed and played, and the moments a person stepped in.
//!
//! The event log is the one record of a performance; the HTML report and the OTLP trace both read
//! it through this fold, so they count turns, retries, usage and outcomes the same way. A turn is
//! one `player_cued` event up to that player's next finish or failure; a turn still open when the
//! log ends (the process died, or it was cut off) ends at the last recorded event and says so.

use ensemble_conductor::{Event, EventKind, Handoff, Outcome};
use ensemble_instruments::tools::Decision;

/// Token counts, added up without overflow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
}

impl Tokens {
    fn add(&mut self, input: u64, output: u64) {
        self.input = self.input.saturating_add(input);
        self.output = self.output.saturating_add(output);
    }
}

/// How a turn ended.
#[derive(Debug, Clone, PartialEq)]
pub enum TurnEnd {
    Finished,
    Failed {
        error: String,
    },
    /// The log ends before the turn did.
    Unfinished,
}

/// A failed attempt that was tried again.
#[derive(Debug, Clone, PartialEq)]
pub struct Retry {
    pub at_ms: u64,
    /// The attempt about to be made (2 after the first failure).
    pub attempt: u32,
    pub delay_ms: u64,
    pub reason: String,
    pub tokens: Tokens,
    pub cost_usd: f64,
}

/// One player playing once: cued, handed its input, and (usually) finished or failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    pub player: String,
    pub chorus: u32,
    /// The instrument label the conductor recorded, e.g. `rehearsal` or `openai llama3.2`.
    pub instrument: String,
    pub rehearsal: bool,
    pub context_version: String,
    /// What the turn received: the outputs of the players whose cues fired.
    pub handoffs: Vec<Handoff>,
    /// For each hand-off, the index in [`Played::turns`] of the turn that handed it on, when that
    /// turn is in the record (the cue's origin, for links between spans).
    pub handed_by: Vec<Option<usize>>,
    pub cued_ms: u64,
    pub ended_ms: u64,
    pub end: TurnEnd,
    /// The output as played (for a failed turn, what arrived before the failure).
    pub output: String,
    /// The output as a person edited it before it was handed on, when they did.
    pub edited: Option<String>,
    /// When the (last) edit was made.
    pub edited_ms: Option<u64>,
    /// Tokens and cost of the attempt that ended the turn; failed attempts that were retried are
    /// in `retries`.
    pub tokens: Tokens,
    pub cost_usd: f64,
    pub retries: Vec<Retry>,
    /// The tool calls the turn made, in the order the model asked for them.
    pub tools: Vec<ToolCall>,
}

/// One tool call of a turn, its events joined by call id.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub call: String,
    /// `server.tool`.
    pub tool: String,
    /// The arguments the model gave; `None` for a call refused before it ran (an unknown tool,
    /// arguments that were not JSON).
    pub arguments: Option<serde_json::Value>,
    /// What a person decided, when the call asked for approval.
    pub decision: Option<Decision>,
    pub end: ToolEnd,
    /// Rehearsal made the result up; no server was asked.
    pub rehearsal: bool,
    pub elapsed_ms: u64,
    /// When the model asked for it (its first event) and when it was answered, refused or
    /// rejected; a call still open ends with its turn.
    pub asked_ms: u64,
    pub ended_ms: Option<u64>,
}

/// How a tool call ended.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolEnd {
    /// The record ends while it waited for a person, or ran.
    Open,
    Returned {
        result: String,
        /// The tool said its result is an error.
        is_error: bool,
        /// Cut at the player's output cap.
        cut: bool,
    },
    Failed {
        error: String,
    },
    /// A person rejected it.
    Rejected,
}

impl Turn {
    /// Tokens of every attempt of the turn, retried ones included.
    pub fn all_tokens(&self) -> Tokens {
        let mut all = self.tokens;
        for retry in &self.retries {
            all.add(retry.tokens.input, retry.tokens.output);
        }
        all
    }

    /// Cost of every attempt of the turn, retried ones included.
    pub fn all_cost(&self) -> f64 {
        self.cost_usd + self.retries.iter().map(|r| r.cost_usd).sum::<f64>()
    }
}

/// Something that happened outside a turn, or that a person did: checkpoints, held cues, budgets,
/// pauses, skipped players, people asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    pub at_ms: u64,
    pub what: MomentKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MomentKind {
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
    },
    CueHeld {
        from: String,
        to: String,
        reason: String,
    },
    BudgetExceeded {
        budget: String,
        limit: f64,
        used: f64,
    },
    PlayerSkipped {
        player: String,
        reason: String,
    },
    HumanWaiting {
        player: String,
        question: String,
    },
    Paused,
    Resumed,
    Stepped {
        player: String,
    },
    /// A later stretch of a performance that was interrupted and resumed.
    ResumedAfterInterruption,
    /// A forked performance took this player's output from the performance it was forked from
    /// instead of playing it.
    Carried {
        player: String,
        from_performance: String,
    },
    /// The person changed how the performance advances (`autonomous`, `step`, …).
    TempoChanged {
        mode: String,
    },
}

/// A recorded performance, folded.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    pub id: String,
    pub title: String,
    pub context_version: String,
    pub offline: bool,
    pub started_ms: u64,
    /// The last recorded event's time (the finish, when there is one).
    pub ended_ms: u64,
    /// `None` while the log has no finish (interrupted, or still playing).
    pub outcome: Option<Outcome>,
    pub reason: Option<String>,
    /// The performance's own totals when it finished, else the sum over its turns.
    pub tokens: Tokens,
    pub cost_usd: f64,
    pub turns: Vec<Turn>,
    pub moments: Vec<Moment>,
}

impl Played {
    /// Folds `events` (in log order) of performance `id`. Events out of place (a finish for a
    /// player that was never cued) are kept as far as they make sense and never panic.
    pub fn fold(id: &str, events: &[Event]) -> Played {
        let mut played = Played {
            id: id.to_string(),
            title: String::new(),
            context_version: String::new(),
            offline: false,
            started_ms: events.first().map_or(0, |e| e.at_ms),
            ended_ms: events.last().map_or(0, |e| e.at_ms),
            outcome: None,
            reason: None,
            tokens: Tokens::default(),
            cost_usd: 0.0,
            turns: Vec::new(),
            moments: Vec::new(),
        };
        let mut totals: Option<(Tokens, f64)> = None;
        for event in events {
            played.take(event, &mut totals);
        }
        let ended = played.ended_ms;
        for turn in played.turns.iter_mut().filter(|t| t.end == TurnEnd::Unfinished) {
            turn.ended_ms = ended.max(turn.cued_ms);
        }
        match totals {
            Some((tokens, cost)) => {
                played.tokens = tokens;
                played.cost_usd = cost;
            }
            None => {
                for turn in &played.turns {
                    let all = turn.all_tokens();
                    played.tokens.add(all.input, all.output);
                    played.cost_usd += turn.all_cost();
                }
            }
        }
        played
    }

    fn take(&mut self, event: &Event, totals: &mut Option<(Tokens, f64)>) {
        let at_ms = event.at_ms;
        let moment = |what| Moment { at_ms, what };
        match &event.kind {
            EventKind::PerformanceStarted { title, context_version, offline, resumed, .. } => {
                if *resumed {
                    self.moments.push(moment(MomentKind::ResumedAfterInterruption));
                } else {
                    self.title = title.clone();
                    self.context_version = context_version.clone();
                    self.started_ms = at_ms;
                }
                if self.title.is_empty() {
                    self.title = title.clone();
                }
                self.offline |= *offline;
            }
            EventKind::PlayerCued { player, chorus, context_version, instrument, rehearsal, handoffs } => {
                let handed_by = handoffs.iter().map(|h| self.latest(&h.from)).collect();
                self.turns.push(Turn {
                    player: player.clone(),
                    chorus: *chorus,
                    instrument: instrument.clone(),
                    rehearsal: *rehearsal,
                    context_version: context_version.clone(),
                    handoffs: handoffs.clone(),
                    handed_by,
                    cued_ms: at_ms,
                    ended_ms: at_ms,
                    end: TurnEnd::Unfinished,
                    output: String::new(),
                    edited: None,
                    edited_ms: None,
                    tokens: Tokens::default(),
                    cost_usd: 0.0,
                    retries: Vec::new(),
                    tools: Vec::new(),
                });
            }
            EventKind::PlayerRetrying { player, attempt, delay_ms, reason, usage, cost_usd } => {
                if let Some(turn) = self.open(player) {
                    let mut tokens = Tokens::default();
                    tokens.add(usage.input_tokens, usage.output_tokens);
                    let cost_usd = finite(*cost_usd);
                    turn.retries.push(Retry { at_ms, attempt: *attempt, delay_ms: *delay_ms, reason: reason.clone(), tokens, cost_usd });
                }
            }
            EventKind::PlayerFinished { player, output, usage, cost_usd, .. } => {
                if let Some(turn) = self.open(player) {
                    turn.end = TurnEnd::Finished;
                    turn.ended_ms = at_ms;
                    turn.output = output.clone();
                    turn.tokens.add(usage.input_tokens, usage.output_tokens);
                    turn.cost_usd = finite(*cost_usd);
                }
            }
            EventKind::PlayerFailed { player, error, partial_output, usage, cost_usd, .. } => {
                if let Some(turn) = self.open(player) {
                    turn.end = TurnEnd::Failed { error: error.clone() };
                    turn.ended_ms = at_ms;
                    turn.output = partial_output.clone();
                    turn.tokens.add(usage.input_tokens, usage.output_tokens);
                    turn.cost_usd = finite(*cost_usd);
                }
            }
            EventKind::PlayerCarried { player, from_performance, .. } => {
                self.moments.push(moment(MomentKind::Carried { player: player.clone(), from_performance: from_performance.clone() }))
            }
            EventKind::TempoChanged { mode } => {
                let mode = serde_json::to_value(mode).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                self.moments.push(moment(MomentKind::TempoChanged { mode }));
            }
            EventKind::OutputEdited { player, output } => {
                if let Some(index) = self.latest(player) {
                    self.turns[index].edited = Some(output.clone());
                    self.turns[index].edited_ms = Some(at_ms);
                }
                self.moments.push(moment(MomentKind::OutputEdited { player: player.clone() }));
            }
            EventKind::CheckpointWaiting { from, to } => {
                self.moments.push(moment(MomentKind::CheckpointWaiting { from: from.clone(), to: to.clone() }));
            }
            EventKind::CheckpointResolved { from, to, approved, note } => self.moments.push(moment(MomentKind::CheckpointResolved {
                from: from.clone(),
                to: to.clone(),
                approved: *approved,
                note: note.clone(),
            })),
            EventKind::CueHeld { from, to, reason } => {
                self.moments.push(moment(MomentKind::CueHeld { from: from.clone(), to: to.clone(), reason: reason.clone() }));
            }
            EventKind::BudgetExceeded { budget, limit, used } => {
                self.moments.push(moment(MomentKind::BudgetExceeded { budget: budget.clone(), limit: *limit, used: *used }));
            }
            EventKind::PlayerSkipped { player, reason } => {
                self.moments.push(moment(MomentKind::PlayerSkipped { player: player.clone(), reason: reason.clone() }));
            }
            EventKind::HumanWaiting { player, question } => {
                self.moments.push(moment(MomentKind::HumanWaiting { player: player.clone(), question: question.clone() }));
            }
            EventKind::Paused => self.moments.push(moment(MomentKind::Paused)),
            EventKind::Resumed => self.moments.push(moment(MomentKind::Resumed)),
            EventKind::Stepped { player } => self.moments.push(moment(MomentKind::Stepped { player: player.clone() })),
            EventKind::PerformanceFinished { outcome, reason, usage, cost_usd, .. } => {
                self.outcome = Some(*outcome);
                self.reason = reason.clone();
                let mut tokens = Tokens::default();
                tokens.add(usage.input_tokens, usage.output_tokens);
                *totals = Some((tokens, finite(*cost_usd)));
            }
            EventKind::ToolWaiting { player, call, tool, arguments } => {
                if let Some(entry) = self.tool_call(player, call, tool, at_ms) {
                    entry.arguments = Some(arguments.clone());
                }
            }
            EventKind::ToolResolved { player, call, tool, decision } => {
                if let Some(entry) = self.tool_call(player, call, tool, at_ms) {
                    if matches!(decision, Decision::Reject { .. }) {
                        entry.end = ToolEnd::Rejected;
                        entry.ended_ms = Some(at_ms);
                    }
                    entry.decision = Some(decision.clone());
                }
            }
            EventKind::ToolCalled { player, call, tool, arguments, rehearsal } => {
                if let Some(entry) = self.tool_call(player, call, tool, at_ms) {
                    // The edited arguments, after a person's edit: the model's are kept from the wait.
                    entry.arguments.get_or_insert_with(|| arguments.clone());
                    entry.rehearsal = *rehearsal;
                }
            }
            EventKind::ToolReturned { player, call, tool, result, is_error, cut, elapsed_ms } => {
                if let Some(entry) = self.tool_call(player, call, tool, at_ms) {
                    entry.end = ToolEnd::Returned { result: result.clone(), is_error: *is_error, cut: *cut };
                    entry.elapsed_ms = *elapsed_ms;
                    entry.ended_ms = Some(at_ms);
                }
            }
            EventKind::ToolFailed { player, call, tool, error, elapsed_ms } => {
                if let Some(entry) = self.tool_call(player, call, tool, at_ms) {
                    entry.end = ToolEnd::Failed { error: error.clone() };
                    entry.elapsed_ms = *elapsed_ms;
                    entry.ended_ms = Some(at_ms);
                }
            }
            // Tokens are folded into each finish's output; cues that fired show as hand-offs.
            _ => {}
        }
    }

    /// The index of `player`'s latest turn.
    fn latest(&self, player: &str) -> Option<usize> {
        self.turns.iter().rposition(|t| t.player == player)
    }

    /// `player`'s turn that has not ended yet.
    fn open(&mut self, player: &str) -> Option<&mut Turn> {
        self.turns.iter_mut().rev().find(|t| t.player == player && t.end == TurnEnd::Unfinished)
    }

    /// The call `call` of `player`'s open turn, added at its first event; `None` when the player
    /// has no open turn (an event out of place is left out).
    fn tool_call(&mut self, player: &str, call: &str, tool: &str, at_ms: u64) -> Option<&mut ToolCall> {
        let turn = self.open(player)?;
        let at = match turn.tools.iter().position(|c| c.call == call) {
            Some(at) => at,
            None => {
                turn.tools.push(ToolCall {
                    call: call.to_string(),
                    tool: tool.to_string(),
                    arguments: None,
                    decision: None,
                    end: ToolEnd::Open,
                    rehearsal: false,
                    elapsed_ms: 0,
                    asked_ms: at_ms,
                    ended_ms: None,
                });
                turn.tools.len() - 1
            }
        };
        turn.tools.get_mut(at)
    }

    /// The players in the order they first played.
    pub fn players(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for turn in &self.turns {
            if !seen.contains(&turn.player.as_str()) {
                seen.push(&turn.player);
            }
        }
        seen
    }
}

/// A recorded cost, or 0 where the record holds none that can be added up.
fn finite(cost: f64) -> f64 {
    if cost.is_finite() { cost } else { 0.0 }
}

/// An outcome in words.
pub fn outcome_words(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Succeeded) => "succeeded",
        Some(Outcome::Failed) => "failed",
        Some(Outcome::CutOff) => "cut off",
        Some(Outcome::BudgetExceeded) => "budget exceeded",
        None => "not finished",
    }
}
