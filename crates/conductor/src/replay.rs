//! Replaying a recorded performance, read-only: the conductor's own fold, plus the history that
//! fold does not keep.
//!
//! Whoever reads a performance after the fact (diagnostics, a report) should see it the way the
//! conductor saw it, not through a second reading of the events that could drift from the first.
//! So [`Replay`] folds every event with the same `State::apply` the conductor conducts and
//! resumes with, and answers the conductor's questions from that state (what each player hands
//! on, how the performance ended, what it used). The state keeps only what conducting needs to go
//! on (each player's latest ending, each cue's latest decision), so alongside it the replay
//! indexes what happened when: every chorus from its cue to its end (with its instrument, what
//! its attempts used and cost, its tool calls and any edit of its output), every cue decision with the
//! chorus it judged and the chorus it started, checkpoints, edits, questions, skips, players a
//! fork carried over, and the end.
//! Every decision the conductor made is written in the events (`CueFired`, `CueHeld`,
//! `CheckpointResolved`, `PlayerSkipped`); the replay reads them and never decides anything.
//!
//! Events are taken in the order given (the recorded order) and any log is accepted: events about
//! players the score does not have are indexed (and listed in [`Record::unknown_players`]) but
//! leave the conductor's state alone, exactly as they would if the conductor resumed from them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use ensemble_instruments::Usage;
use ensemble_score::Score;

use crate::graph::Graph;
use crate::state::{Ending, State};
use crate::{Event, EventKind, Handoff, Outcome};

/// A recorded performance folded the way the conductor folds it.
pub struct Replay<'e> {
    /// Shared by the replays of one score, so replaying many performances indexes it once.
    graph: Arc<Graph>,
    state: State,
    record: Record<'e>,
    // Working maps, looked up once per event and never iterated (so hashing keeps the record
    // deterministic): each player's chorus being played, its latest ended chorus, and the fired
    // decisions waiting for their receiver to be cued.
    open: HashMap<&'e str, usize>,
    ended: HashMap<&'e str, usize>,
    pending: HashMap<&'e str, Vec<usize>>,
    /// Players already in `Record::players`.
    named: HashSet<&'e str>,
    /// Tool calls already counted, by player and call id: a call has several events.
    calls: HashSet<(&'e str, &'e str)>,
}

/// What happened in a performance, in recorded order; positions in `choruses` link its parts.
#[derive(Debug, Clone, Default)]
pub struct Record<'e> {
    /// The performance id of its first start.
    pub performance: Option<&'e str>,
    /// The shared-context version of its first start (what "current at the start" means).
    pub context_version: Option<&'e str>,
    /// The time of the first event, and the latest time of any event (clocks may go backwards).
    pub first_at: Option<u64>,
    pub last_at: Option<u64>,
    /// Every player the events name, in the order first named (a start names all its players,
    /// in score order).
    pub players: Vec<&'e str>,
    /// Every chorus of every player, in the order they were cued.
    pub choruses: Vec<Chorus<'e>>,
    /// Positions in `choruses` of each player's choruses, in order.
    pub by_player: BTreeMap<&'e str, Vec<usize>>,
    /// Every cue decision, fired or held, in order.
    pub decisions: Vec<CueDecision<'e>>,
    /// Every checkpoint a person answered.
    pub checkpoints: Vec<CheckpointAnswer<'e>>,
    /// (player, seq) of every output edited by the person conducting.
    pub edits: Vec<(&'e str, u64)>,
    /// (player, seq) of every time a person was asked.
    pub waits: Vec<(&'e str, u64)>,
    /// (player, seq) of every skipped player.
    pub skipped: Vec<(&'e str, u64)>,
    /// Every player a fork carried over from the performance it forked: its recorded output was
    /// taken as given, so it has no chorus here.
    pub carried: Vec<CarriedOver<'e>>,
    /// The seq of the first budget exceeded.
    pub budget_exceeded: Option<u64>,
    pub finish: Option<Finish>,
    /// Player ids the events name that the score does not have, sorted.
    pub unknown_players: Vec<&'e str>,
}

/// One chorus of one player: from its cue to its end (if it ended).
#[derive(Debug, Clone, Default)]
pub struct Chorus<'e> {
    pub player: &'e str,
    /// 1 for the first time the player played; 0 for an end recorded without its cue.
    pub chorus: u32,
    pub cued_seq: u64,
    pub cued_at: u64,
    /// The shared-context version the player received.
    pub context_version: &'e str,
    /// What the player was handed.
    pub handoffs: &'e [Handoff],
    /// A rehearsal stand-in played the part.
    pub rehearsal: bool,
    /// The label of the instrument that played it, e.g. `openai llama3.2` (empty when its cue
    /// was not recorded).
    pub instrument: &'e str,
    /// What all its attempts used and cost, failed and retried ones included.
    pub usage: Usage,
    pub cost_usd: f64,
    /// Tool calls the model asked for, each once: run on a server or rehearsed, rejected by a
    /// person, or refused (an unknown tool, arguments that were not JSON).
    pub tool_calls: u32,
    pub end: Option<ChorusEnd<'e>>,
}

/// How a chorus ended.
#[derive(Debug, Clone)]
pub struct ChorusEnd<'e> {
    pub seq: u64,
    pub at: u64,
    /// Finished (true) or failed (false).
    pub ok: bool,
    /// The chorus number its end recorded.
    pub chorus: u32,
    /// The output (finished) or the partial output (failed), as played, before any edit.
    pub output: &'e str,
    /// Why it failed.
    pub error: Option<&'e str>,
    /// The output as a person last edited it after this end, before it was handed on.
    pub edited: Option<&'e str>,
    /// How long the player played, as the conductor measured it.
    pub elapsed_ms: u64,
}

/// A player whose output a fork took as given from the performance it was forked from.
#[derive(Debug, Clone)]
pub struct CarriedOver<'e> {
    pub player: &'e str,
    pub seq: u64,
    /// The chorus it had reached there.
    pub chorus: u32,
    /// What it handed on there; `edited` if a person edited it here afterwards.
    pub output: &'e str,
    pub edited: Option<&'e str>,
    /// Its last chorus there failed.
    pub failed: bool,
}

impl Chorus<'_> {
    /// Adds what one attempt used and cost (tokens saturate; costs add up as the instruments'
    /// `finite_cost` has them).
    fn spend(&mut self, usage: Usage, cost_usd: f64) {
        self.usage.input_tokens = self.usage.input_tokens.saturating_add(usage.input_tokens);
        self.usage.output_tokens = self.usage.output_tokens.saturating_add(usage.output_tokens);
        self.cost_usd = ensemble_instruments::finite_cost(self.cost_usd + ensemble_instruments::finite_cost(cost_usd));
    }

    /// Time spent playing: the conductor's measure, else cue to end, else nothing.
    pub fn duration(&self) -> u64 {
        match &self.end {
            Some(end) if end.elapsed_ms > 0 => end.elapsed_ms,
            Some(end) => end.at.saturating_sub(self.cued_at),
            None => 0,
        }
    }
}

/// A cue decision: fired or held, and the chorus of `from` it judged.
#[derive(Debug, Clone)]
pub struct CueDecision<'e> {
    pub from: &'e str,
    pub to: &'e str,
    pub fired: bool,
    /// For a fired cue, how many times it has fired, this time included.
    pub count: u32,
    pub seq: u64,
    pub at: u64,
    /// The chorus of `from` that had ended last when the decision was made.
    pub judged: Option<usize>,
    /// For a fired cue: the chorus of `to` it started (the next time `to` was cued).
    pub started: Option<usize>,
    /// Why a held cue did not fire; empty for a fired one.
    pub reason: &'e str,
}

/// A checkpoint the person answered.
#[derive(Debug, Clone)]
pub struct CheckpointAnswer<'e> {
    pub from: &'e str,
    pub to: &'e str,
    pub approved: bool,
    pub seq: u64,
}

/// How and when the performance finished.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finish {
    pub outcome: Outcome,
    pub seq: u64,
    pub at: u64,
    pub elapsed_ms: u64,
}

impl<'e> Replay<'e> {
    /// An empty replay of a performance of `score`.
    pub fn new(score: &Score) -> Replay<'e> {
        // Instruments play no part in the fold, so the score is indexed as recorded.
        Replay::with_graph(Arc::new(Graph::new(score, false)))
    }

    /// Replays `events`, a performance of `score`, from the start.
    pub fn of(score: &Score, events: &'e [Event]) -> Replay<'e> {
        let mut replay = Replay::new(score);
        replay.apply_all(events);
        replay
    }

    /// An empty replay of another performance of the same score, sharing its index.
    pub fn another<'f>(&self) -> Replay<'f> {
        Replay::with_graph(Arc::clone(&self.graph))
    }

    fn with_graph<'f>(graph: Arc<Graph>) -> Replay<'f> {
        Replay {
            state: State::new(&graph),
            graph,
            record: Record::default(),
            open: HashMap::new(),
            ended: HashMap::new(),
            pending: HashMap::new(),
            named: HashSet::new(),
            calls: HashSet::new(),
        }
    }

    pub fn apply_all(&mut self, events: &'e [Event]) {
        for event in events {
            self.apply(event);
        }
    }

    /// Folds the next recorded event in.
    pub fn apply(&mut self, e: &'e Event) {
        self.state.apply(&self.graph, e);
        let r = &mut self.record;
        r.first_at.get_or_insert(e.at_ms);
        r.last_at = r.last_at.max(Some(e.at_ms));
        match &e.kind {
            EventKind::PerformanceStarted { performance, context_version, players, resumed, .. } => {
                r.performance.get_or_insert(performance.as_str());
                r.context_version.get_or_insert(context_version.as_str());
                for p in players {
                    self.name(p);
                }
                if *resumed {
                    // Whatever was playing when the performance stopped never ended.
                    self.open.clear();
                }
            }
            EventKind::PlayerCued { player, chorus, context_version, handoffs, rehearsal, instrument } => {
                let s = self.begin(Chorus {
                    player,
                    chorus: *chorus,
                    cued_seq: e.seq,
                    cued_at: e.at_ms,
                    context_version,
                    handoffs,
                    rehearsal: *rehearsal,
                    instrument,
                    ..Chorus::default()
                });
                for d in self.pending.remove(player.as_str()).unwrap_or_default() {
                    self.record.decisions[d].started = Some(s);
                }
            }
            EventKind::PlayerRetrying { player, usage, cost_usd, .. } => {
                let s = self.playing(player, e.seq, e.at_ms);
                self.record.choruses[s].spend(*usage, *cost_usd);
            }
            EventKind::ToolWaiting { player, call, .. }
            | EventKind::ToolCalled { player, call, .. }
            | EventKind::ToolFailed { player, call, .. } => self.count_call(player, call, e),
            EventKind::PlayerFinished { player, chorus, output, usage, cost_usd, elapsed_ms } => {
                let end = ChorusEnd { seq: e.seq, at: e.at_ms, ok: true, chorus: *chorus, output, error: None, edited: None, elapsed_ms: *elapsed_ms };
                self.end(player, end, *usage, *cost_usd);
            }
            EventKind::PlayerFailed { player, chorus, error, partial_output, usage, cost_usd, elapsed_ms } => {
                let end = ChorusEnd { seq: e.seq, at: e.at_ms, ok: false, chorus: *chorus, output: partial_output, error: Some(error), edited: None, elapsed_ms: *elapsed_ms };
                self.end(player, end, *usage, *cost_usd);
            }
            EventKind::CueFired { from, to, count } => {
                let d = r.decisions.len();
                let judged = self.ended.get(from.as_str()).copied();
                r.decisions.push(CueDecision { from, to, fired: true, count: *count, seq: e.seq, at: e.at_ms, judged, started: None, reason: "" });
                self.pending.entry(to).or_default().push(d);
                self.name(from);
                self.name(to);
            }
            EventKind::CueHeld { from, to, reason } => {
                let judged = self.ended.get(from.as_str()).copied();
                r.decisions.push(CueDecision { from, to, fired: false, count: 0, seq: e.seq, at: e.at_ms, judged, started: None, reason });
                self.name(from);
                self.name(to);
            }
            EventKind::CheckpointResolved { from, to, approved, .. } => {
                r.checkpoints.push(CheckpointAnswer { from, to, approved: *approved, seq: e.seq });
                self.name(from);
                self.name(to);
            }
            EventKind::OutputEdited { player, output } => {
                r.edits.push((player, e.seq));
                // The edit changes what was handed on last: the latest ended chorus, or the
                // carried output if that came after it.
                let carried = r.carried.iter_mut().rev().find(|c| c.player == player);
                let ended = self.ended.get(player.as_str()).and_then(|&s| r.choruses[s].end.as_mut());
                match (ended, carried) {
                    (Some(end), Some(carried)) if carried.seq > end.seq => carried.edited = Some(output),
                    (Some(end), _) => end.edited = Some(output),
                    (None, Some(carried)) => carried.edited = Some(output),
                    (None, None) => {}
                }
                self.name(player);
            }
            EventKind::HumanWaiting { player, .. } => {
                r.waits.push((player, e.seq));
                self.name(player);
            }
            EventKind::PlayerSkipped { player, .. } => {
                r.skipped.push((player, e.seq));
                self.name(player);
            }
            EventKind::PlayerCarried { player, chorus, output, failed, .. } => {
                r.carried.push(CarriedOver { player, seq: e.seq, chorus: *chorus, output, edited: None, failed: *failed });
                self.name(player);
            }
            EventKind::BudgetExceeded { .. } => {
                r.budget_exceeded.get_or_insert(e.seq);
            }
            EventKind::PerformanceFinished { outcome, elapsed_ms, .. } => {
                r.finish = Some(Finish { outcome: *outcome, seq: e.seq, at: e.at_ms, elapsed_ms: *elapsed_ms });
            }
            // The rest changes only the conductor's state (or nothing): tokens, checkpoints
            // waiting, pauses, steps, tempo, tool calls' waits and results.
            _ => {}
        }
    }

    /// Notes a player id an event names: in `players` the first time, and in
    /// `unknown_players` when the score does not have it.
    fn name(&mut self, player: &'e str) {
        if self.named.insert(player) {
            self.record.players.push(player);
        }
        if self.graph.player(player).is_none()
            && let Err(i) = self.record.unknown_players.binary_search(&player)
        {
            self.record.unknown_players.insert(i, player);
        }
    }

    /// The chorus `player` is playing. Something it did without a recorded cue (a log that
    /// starts mid-way) gets a chorus of its own, cued at that event.
    /// Counts a tool call at the first of its events.
    fn count_call(&mut self, player: &'e str, call: &'e str, e: &Event) {
        if self.calls.insert((player, call)) {
            let s = self.playing(player, e.seq, e.at_ms);
            self.record.choruses[s].tool_calls += 1;
        }
    }

    /// The chorus `player` is playing; one without a cue (chorus 0) when its cue was not recorded.
    fn playing(&mut self, player: &'e str, seq: u64, at: u64) -> usize {
        if let Some(&s) = self.open.get(player) {
            return s;
        }
        self.begin(Chorus { player, cued_seq: seq, cued_at: at, ..Chorus::default() })
    }

    /// Records `chorus` as its player's chorus being played.
    fn begin(&mut self, chorus: Chorus<'e>) -> usize {
        let (player, r) = (chorus.player, &mut self.record);
        let s = r.choruses.len();
        r.choruses.push(chorus);
        r.by_player.entry(player).or_default().push(s);
        self.open.insert(player, s);
        self.name(player);
        s
    }

    fn end(&mut self, player: &'e str, end: ChorusEnd<'e>, usage: Usage, cost_usd: f64) {
        let s = self.playing(player, end.seq, end.at);
        self.open.remove(player);
        let chorus = &mut self.record.choruses[s];
        chorus.spend(usage, cost_usd);
        chorus.end = Some(end);
        self.ended.insert(player, s);
        self.name(player);
    }

    /// What happened so far.
    pub fn record(&self) -> &Record<'e> {
        &self.record
    }

    /// What happened, given away (the conductor's state is dropped).
    pub fn into_record(self) -> Record<'e> {
        self.record
    }

    /// The seq of the latest event folded in.
    pub fn seq(&self) -> u64 {
        self.state.seq
    }

    /// How the performance ended, once it has.
    pub fn outcome(&self) -> Option<Outcome> {
        self.state.finished
    }

    /// Tokens used so far, failed attempts included.
    pub fn usage(&self) -> Usage {
        self.state.usage
    }

    pub fn cost_usd(&self) -> f64 {
        self.state.cost_usd
    }

    /// What `player` hands on now: its latest output as edited, or what its failure left; `None`
    /// for a player the score does not have.
    pub fn output(&self, player: &str) -> Option<&str> {
        self.graph.player(player).map(|p| self.state.players[p].output.as_str())
    }

    /// The highest chorus `player` has played to an end (0 before its first).
    pub fn choruses_played(&self, player: &str) -> Option<u32> {
        self.graph.player(player).map(|p| self.state.players[p].chorus)
    }

    /// Whether `player`'s latest chorus finished (true) or failed (false); `None` before it ended.
    pub fn last_ended_ok(&self, player: &str) -> Option<bool> {
        let p = self.graph.player(player)?;
        self.state.players[p].ending.map(|e| e == Ending::Finished)
    }

    /// How many times the cues from `from` to `to` have fired.
    pub fn times_fired(&self, from: &str, to: &str) -> u32 {
        self.graph.cues_named(from, to).iter().map(|&c| self.state.cues[c].count).sum()
    }
}

impl std::fmt::Debug for Replay<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replay").field("state", &self.state).field("record", &self.record).finish()
    }
}
