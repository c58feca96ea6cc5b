//! The state of a performance as a fold over its events.
//!
//! Nothing here decides anything: [`State::apply`] only records what an event says happened.
//! The driver decides, writes the decision as an event, and applies it; resuming an interrupted
//! performance applies its recorded events the same way and so arrives at the same state.

use ensemble_instruments::Usage;

use crate::graph::Graph;
use crate::{Event, EventKind, Outcome};

/// How a player's latest chorus ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    Finished,
    /// Failed after its retries; `handled` once a `failure` cue from it fired.
    Failed { handled: bool },
}

#[derive(Debug, Default)]
pub(crate) struct PlayerState {
    /// Choruses played to an end (finished or failed).
    pub chorus: u32,
    /// The chorus being played, and the fire tick when it was cued.
    pub playing: Option<(u32, u64)>,
    /// The fire tick when the latest ended chorus was cued: cues fired after it are new input.
    pub settled_tick: u64,
    pub ending: Option<Ending>,
    /// What is handed on: the latest output (as edited), or what a failure left.
    pub output: String,
    /// How many choruses ended; cue decisions remember which ending they judged.
    pub endings: u64,
    pub skipped: bool,
    /// Cued as a person and waiting for the answer.
    pub asking: bool,
    /// Cued at least once in this performance.
    pub cued: bool,
    /// Its output was carried over from the performance this one was forked from.
    pub carried: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Decision {
    #[default]
    Undecided,
    Fired,
    Held,
}

#[derive(Debug, Default)]
pub(crate) struct CueState {
    /// Times fired so far.
    pub count: u32,
    pub decision: Decision,
    /// The fire tick of its latest firing.
    pub fired_tick: u64,
    /// The `endings` of its `from` player when it was last decided.
    pub decided_ending: u64,
    /// A checkpoint waits for the person.
    pub waiting: bool,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub seq: u64,
    pub performance: Option<String>,
    pub players: Vec<PlayerState>,
    pub cues: Vec<CueState>,
    /// Counts cue firings; orders them against the times players were cued.
    pub tick: u64,
    pub usage: Usage,
    pub cost_usd: f64,
    pub paused: bool,
    /// The tempo the person set while the performance played; the score's tempo until then.
    pub tempo: Option<ensemble_score::TempoMode>,
    pub finished: Option<Outcome>,
}

impl State {
    pub fn new(graph: &Graph) -> State {
        State {
            players: graph.players.iter().map(|_| PlayerState::default()).collect(),
            cues: graph.cues.iter().map(|_| CueState::default()).collect(),
            ..State::default()
        }
    }

    pub fn apply(&mut self, graph: &Graph, event: &Event) {
        self.seq = event.seq;
        match &event.kind {
            EventKind::PerformanceStarted { performance, resumed, .. } => {
                self.performance = Some(performance.clone());
                if *resumed {
                    // Whatever was playing when the performance stopped did not end: it plays again.
                    for p in &mut self.players {
                        p.playing = None;
                        p.asking = false;
                    }
                    self.paused = false;
                }
            }
            EventKind::PlayerCued { player, chorus, .. } => {
                if let Some(p) = graph.player(player) {
                    let tick = self.tick;
                    let state = &mut self.players[p];
                    state.playing = Some((*chorus, tick));
                    state.cued = true;
                }
            }
            EventKind::HumanWaiting { player, .. } => {
                if let Some(p) = graph.player(player) {
                    self.players[p].asking = true;
                }
            }
            EventKind::PlayerFinished { player, chorus, output, usage, cost_usd, .. } => {
                self.add_usage(*usage, *cost_usd);
                if let Some(p) = graph.player(player) {
                    let state = self.end(p, *chorus, Ending::Finished);
                    state.output.clone_from(output);
                }
            }
            EventKind::PlayerFailed { player, chorus, error, partial_output, usage, cost_usd, .. } => {
                self.add_usage(*usage, *cost_usd);
                if let Some(p) = graph.player(player) {
                    let state = self.end(p, *chorus, Ending::Failed { handled: false });
                    state.output = failure_text(&graph.players[p].name, error, partial_output);
                }
            }
            EventKind::PlayerRetrying { usage, cost_usd, .. } => self.add_usage(*usage, *cost_usd),
            EventKind::PlayerCarried { player, chorus, output, failed, .. } => {
                if let Some(p) = graph.player(player) {
                    // Settled at the current tick: cues fired into it before it was carried are
                    // not new input, so it does not play again for them.
                    let tick = self.tick;
                    let ending = if *failed { Ending::Failed { handled: false } } else { Ending::Finished };
                    let state = &mut self.players[p];
                    state.playing = None;
                    state.settled_tick = tick;
                    state.chorus = state.chorus.max(*chorus);
                    state.ending = Some(ending);
                    state.endings += 1;
                    state.output.clone_from(output);
                    state.carried = true;
                }
            }
            EventKind::PlayerSkipped { player, .. } => {
                if let Some(p) = graph.player(player) {
                    self.players[p].skipped = true;
                }
            }
            EventKind::CueFired { from, to, count } => {
                if let Some(c) = self.undecided_or_waiting(graph, from, to) {
                    self.tick += 1;
                    let from = graph.cues[c].from;
                    let endings = self.players[from].endings;
                    let cue = &mut self.cues[c];
                    cue.count = *count;
                    cue.decision = Decision::Fired;
                    cue.fired_tick = self.tick;
                    cue.decided_ending = endings;
                    cue.waiting = false;
                    if graph.cues[c].when == ensemble_score::When::Failure
                        && let Some(Ending::Failed { handled }) = &mut self.players[from].ending
                    {
                        *handled = true;
                    }
                }
            }
            EventKind::CueHeld { from, to, .. } => {
                if let Some(c) = self.undecided_or_waiting(graph, from, to) {
                    let endings = self.players[graph.cues[c].from].endings;
                    let cue = &mut self.cues[c];
                    cue.decision = Decision::Held;
                    cue.decided_ending = endings;
                    cue.waiting = false;
                }
            }
            EventKind::CheckpointWaiting { from, to } => {
                if let Some(c) = self.undecided_or_waiting(graph, from, to) {
                    self.cues[c].waiting = true;
                }
            }
            EventKind::OutputEdited { player, output } => {
                if let Some(p) = graph.player(player) {
                    self.players[p].output.clone_from(output);
                }
            }
            EventKind::Paused => self.paused = true,
            EventKind::Resumed => self.paused = false,
            EventKind::TempoChanged { mode } => self.tempo = Some(*mode),
            EventKind::PerformanceFinished { outcome, .. } => self.finished = Some(*outcome),
            EventKind::Token { .. }
            | EventKind::ToolWaiting { .. }
            | EventKind::ToolResolved { .. }
            | EventKind::ToolCalled { .. }
            | EventKind::ToolReturned { .. }
            | EventKind::ToolFailed { .. }
            | EventKind::CheckpointResolved { .. }
            | EventKind::Stepped { .. }
            | EventKind::BudgetExceeded { .. } => {}
        }
    }

    /// Records the end of a chorus and returns the player's state.
    fn end(&mut self, p: usize, chorus: u32, ending: Ending) -> &mut PlayerState {
        let state = &mut self.players[p];
        let cued_tick = state.playing.take().map(|(_, tick)| tick).unwrap_or(state.settled_tick);
        state.settled_tick = cued_tick;
        state.chorus = state.chorus.max(chorus);
        state.ending = Some(ending);
        state.endings += 1;
        state.asking = false;
        state
    }

    fn add_usage(&mut self, usage: Usage, cost_usd: f64) {
        // Counts come from servers: added without overflow, however large.
        self.usage.input_tokens = self.usage.input_tokens.saturating_add(usage.input_tokens);
        self.usage.output_tokens = self.usage.output_tokens.saturating_add(usage.output_tokens);
        self.cost_usd = ensemble_instruments::finite_cost(self.cost_usd + ensemble_instruments::finite_cost(cost_usd));
    }

    /// The cue between two players that a decision event is about: the first not yet decided
    /// for its player's latest ending (there is one unless a score repeats a cue).
    fn undecided_or_waiting(&self, graph: &Graph, from: &str, to: &str) -> Option<usize> {
        let candidates = graph.cues_named(from, to);
        candidates
            .iter()
            .copied()
            .find(|&c| self.cues[c].waiting || self.cues[c].decided_ending < self.players[graph.cues[c].from].endings)
            .or_else(|| candidates.first().copied())
    }

    pub fn total_tokens(&self) -> u64 {
        self.usage.input_tokens.saturating_add(self.usage.output_tokens)
    }
}

/// What a failed player hands on to a `failure` cue: the error, then any partial output.
pub(crate) fn failure_text(name: &str, error: &str, partial_output: &str) -> String {
    if partial_output.is_empty() {
        format!("{name} failed: {error}")
    } else {
        format!("{name} failed: {error}\n\n{partial_output}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_reported_by_servers_adds_up_without_overflow() {
        let mut state = State::default();
        state.add_usage(Usage { input_tokens: u64::MAX - 1, output_tokens: 5 }, f64::MAX);
        state.add_usage(Usage { input_tokens: 10, output_tokens: u64::MAX }, f64::MAX);
        state.add_usage(Usage { input_tokens: 0, output_tokens: 0 }, f64::NAN);
        assert_eq!(
            (state.usage.input_tokens, state.usage.output_tokens),
            (u64::MAX, u64::MAX),
            "a server's counts past the largest number stop there instead of wrapping to a small one"
        );
        assert_eq!(state.total_tokens(), u64::MAX, "the total saturates too, so a token budget still sees it as exceeded");
        assert_eq!(state.cost_usd, f64::MAX, "an overflowing or NaN cost stays a finite number a budget can compare");
    }
}
