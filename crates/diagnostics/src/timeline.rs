//! One performance's events indexed by player, chorus and cue: who played when, from what,
//! and what happened to each hand-off.
//!
//! This is not a second conductor state. The conductor's fold ([`ensemble_conductor`]'s
//! `State::apply`) keeps only what it needs to go on (each player's latest ending and output,
//! each cue's latest decision) and throws the timing away; every decision it made is written in
//! the events themselves (`CueFired`, `CueHeld`, `CheckpointResolved`, `PlayerSkipped`), so this
//! index reads those decisions and never re-makes one. What it adds is what diagnosis needs
//! and the fold forgets: when each chorus was cued and ended, which ending each cue decision
//! judged, and which chorus each hand-off started.
//!
//! Events are read in the order given (the recorded order). Events about players the score does
//! not have are indexed like any other; metrics decide what to do with them.

use std::collections::{BTreeMap, HashMap, HashSet};

use ensemble_conductor::{Event, EventKind, Handoff, Outcome};

/// One chorus of one player: from its cue to its end (if it ended).
#[derive(Debug)]
pub struct Span<'a> {
    pub player: &'a str,
    pub chorus: u32,
    pub cued_seq: u64,
    pub cued_at: u64,
    pub context_version: &'a str,
    pub handoffs: &'a [Handoff],
    /// A rehearsal stand-in played: its output echoes the part and hand-offs, so it says
    /// nothing about what the player would have written.
    pub rehearsal: bool,
    pub end: Option<SpanEnd<'a>>,
}

#[derive(Debug)]
pub struct SpanEnd<'a> {
    pub seq: u64,
    pub at: u64,
    pub ok: bool,
    /// The output (finished) or the partial output (failed).
    pub output: &'a str,
    /// How long the player played, as the conductor measured it.
    pub elapsed_ms: u64,
}

impl Span<'_> {
    /// Time spent playing: the conductor's measure, else cue to end, else nothing.
    pub fn duration(&self) -> u64 {
        match &self.end {
            Some(end) if end.elapsed_ms > 0 => end.elapsed_ms,
            Some(end) => end.at.saturating_sub(self.cued_at),
            None => 0,
        }
    }
}

/// A cue decision: fired or held, and the ending of `from` it judged.
#[derive(Debug)]
pub struct Decision<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub fired: bool,
    pub seq: u64,
    pub at: u64,
    /// The span of `from` that had ended last when the decision was made.
    pub judged: Option<usize>,
    /// For a fired cue: the span of `to` it started (the next time `to` was cued).
    pub started: Option<usize>,
    pub reason: &'a str,
}

#[derive(Debug)]
pub struct Checkpoint<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub approved: bool,
    pub seq: u64,
}

#[derive(Debug, Clone, Copy)]
pub struct Finish {
    pub outcome: Outcome,
    pub seq: u64,
    pub at: u64,
    pub elapsed_ms: u64,
}

#[derive(Debug)]
pub struct Timeline<'a> {
    pub id: &'a str,
    /// The shared-context version of the first start (what "current at the start" means).
    pub start_version: Option<&'a str>,
    pub first_at: Option<u64>,
    pub last_at: Option<u64>,
    pub spans: Vec<Span<'a>>,
    /// Span positions of each player, in order.
    pub by_player: BTreeMap<&'a str, Vec<usize>>,
    pub decisions: Vec<Decision<'a>>,
    pub checkpoints: Vec<Checkpoint<'a>>,
    /// (player, seq) of every edit by the person conducting.
    pub edits: Vec<(&'a str, u64)>,
    /// (player, seq) of every time a person was asked.
    pub waits: Vec<(&'a str, u64)>,
    /// (player, seq) of skipped players.
    pub skipped: Vec<(&'a str, u64)>,
    pub budget_exceeded: Option<u64>,
    pub finish: Option<Finish>,
    /// Every player id an event names, for checking against the score.
    pub mentioned: Vec<&'a str>,
}

impl<'a> Timeline<'a> {
    pub fn new(id: &'a str, events: &'a [Event]) -> Timeline<'a> {
        let mut t = Timeline {
            id,
            start_version: None,
            first_at: events.first().map(|e| e.at_ms),
            last_at: events.iter().map(|e| e.at_ms).max(),
            spans: Vec::new(),
            by_player: BTreeMap::new(),
            decisions: Vec::new(),
            checkpoints: Vec::new(),
            edits: Vec::new(),
            waits: Vec::new(),
            skipped: Vec::new(),
            budget_exceeded: None,
            finish: None,
            mentioned: Vec::new(),
        };
        // Working maps, looked up once per event and never iterated (so hashing is safe for
        // determinism): each player's chorus being played, its latest ended chorus, the fired
        // decisions waiting for their receiver to be cued, and every player id named.
        let mut open: HashMap<&str, usize> = HashMap::new();
        let mut ended: HashMap<&str, usize> = HashMap::new();
        let mut pending: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut mentioned: HashSet<&str> = HashSet::new();
        for e in events {
            match &e.kind {
                EventKind::PerformanceStarted { context_version, players, resumed, .. } => {
                    if t.start_version.is_none() {
                        t.start_version = Some(context_version.as_str());
                    }
                    mentioned.extend(players.iter().map(String::as_str));
                    if *resumed {
                        // Whatever was playing when the performance stopped never ended.
                        open.clear();
                    }
                }
                EventKind::PlayerCued { player, chorus, context_version, handoffs, rehearsal, .. } => {
                    let s = t.spans.len();
                    t.spans.push(Span {
                        player,
                        chorus: *chorus,
                        cued_seq: e.seq,
                        cued_at: e.at_ms,
                        context_version,
                        handoffs,
                        rehearsal: *rehearsal,
                        end: None,
                    });
                    t.by_player.entry(player).or_default().push(s);
                    open.insert(player, s);
                    for d in pending.remove(player.as_str()).unwrap_or_default() {
                        t.decisions[d].started = Some(s);
                    }
                    mentioned.insert(player);
                }
                EventKind::PlayerFinished { player, output, elapsed_ms, .. } => {
                    t.end(&mut open, &mut ended, player, SpanEnd { seq: e.seq, at: e.at_ms, ok: true, output, elapsed_ms: *elapsed_ms });
                }
                EventKind::PlayerFailed { player, partial_output, elapsed_ms, .. } => {
                    let end = SpanEnd { seq: e.seq, at: e.at_ms, ok: false, output: partial_output, elapsed_ms: *elapsed_ms };
                    t.end(&mut open, &mut ended, player, end);
                }
                EventKind::CueFired { from, to, .. } => {
                    let d = t.decisions.len();
                    t.decisions.push(Decision {
                        from,
                        to,
                        fired: true,
                        seq: e.seq,
                        at: e.at_ms,
                        judged: ended.get(from.as_str()).copied(),
                        started: None,
                        reason: "",
                    });
                    pending.entry(to).or_default().push(d);
                    mentioned.extend([from.as_str(), to.as_str()]);
                }
                EventKind::CueHeld { from, to, reason } => {
                    t.decisions.push(Decision {
                        from,
                        to,
                        fired: false,
                        seq: e.seq,
                        at: e.at_ms,
                        judged: ended.get(from.as_str()).copied(),
                        started: None,
                        reason,
                    });
                    mentioned.extend([from.as_str(), to.as_str()]);
                }
                EventKind::CheckpointResolved { from, to, approved, .. } => {
                    t.checkpoints.push(Checkpoint { from, to, approved: *approved, seq: e.seq });
                }
                EventKind::OutputEdited { player, .. } => t.edits.push((player, e.seq)),
                EventKind::HumanWaiting { player, .. } => t.waits.push((player, e.seq)),
                EventKind::PlayerSkipped { player, .. } => t.skipped.push((player, e.seq)),
                EventKind::BudgetExceeded { .. } => {
                    t.budget_exceeded.get_or_insert(e.seq);
                }
                EventKind::PerformanceFinished { outcome, elapsed_ms, .. } => {
                    t.finish = Some(Finish { outcome: *outcome, seq: e.seq, at: e.at_ms, elapsed_ms: *elapsed_ms });
                }
                EventKind::Token { .. }
                | EventKind::PlayerRetrying { .. }
                | EventKind::CheckpointWaiting { .. }
                | EventKind::Paused
                | EventKind::Resumed
                | EventKind::Stepped { .. }
                | EventKind::TempoChanged { .. } => {}
            }
        }
        t.mentioned = mentioned.into_iter().collect();
        t.mentioned.sort_unstable();
        t
    }

    fn end(&mut self, open: &mut HashMap<&'a str, usize>, ended: &mut HashMap<&'a str, usize>, player: &'a str, end: SpanEnd<'a>) {
        // An end without a cue (a log that starts mid-way) gets a span of its own, cued when it ended.
        let s = open.remove(player).unwrap_or_else(|| {
            let s = self.spans.len();
            self.spans.push(Span {
                player,
                chorus: 0,
                cued_seq: end.seq,
                cued_at: end.at,
                context_version: "",
                handoffs: &[],
                rehearsal: false,
                end: None,
            });
            self.by_player.entry(player).or_default().push(s);
            s
        });
        self.spans[s].end = Some(end);
        ended.insert(player, s);
    }

    /// Wall time: the conductor's elapsed time when it finished, else first to last event.
    pub fn wall_ms(&self) -> u64 {
        match (self.finish, self.first_at, self.last_at) {
            (Some(f), _, _) if f.elapsed_ms > 0 => f.elapsed_ms,
            (_, Some(first), Some(last)) => last.saturating_sub(first),
            _ => 0,
        }
    }

    pub fn succeeded(&self) -> bool {
        matches!(self.finish, Some(Finish { outcome: Outcome::Succeeded, .. }))
    }

    /// Spans that finished with an output a real instrument wrote: what text measures read.
    pub fn written(&self) -> impl Iterator<Item = (&Span<'a>, &SpanEnd<'a>)> {
        self.spans.iter().filter(|s| !s.rehearsal).filter_map(|s| s.end.as_ref().filter(|e| e.ok).map(|e| (s, e)))
    }

    /// The spans that ended in failure, in order.
    pub fn failures(&self) -> impl Iterator<Item = (usize, &Span<'a>)> {
        self.spans.iter().enumerate().filter(|(_, s)| s.end.as_ref().is_some_and(|e| !e.ok))
    }
}
