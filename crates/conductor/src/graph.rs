//! The score indexed for conducting: players and cues by position, with their edges.
//!
//! Built once per performance so that the hot path never searches the score: every lookup by
//! id is a hash-map hit, and every question about a player's cues walks only its own edges.

use std::collections::HashMap;
use std::sync::Arc;

use ensemble_score::{Instrument, Join, RehearsalSettings, Score, When};
use regex::Regex;

/// One player, as the conductor needs it.
pub(crate) struct PlayerNode {
    pub id: String,
    pub name: String,
    pub part: String,
    pub join: Join,
    /// What plays the part in this performance (rehearsal when offline).
    pub instrument: Arc<Instrument>,
    /// The label of `instrument` for events.
    pub label: String,
    pub timeout_secs: Option<u64>,
    /// Attempts after the first, before the player fails.
    pub retries: u32,
    /// `retries` came from the score rather than the instrument's default.
    pub retry_any: bool,
    /// Incoming cues, in score order (loop cues included).
    pub incoming: Vec<usize>,
    /// Outgoing cues, in score order.
    pub outgoing: Vec<usize>,
    /// No incoming cue outside loops: it plays as soon as the performance starts.
    pub entry: bool,
    /// Reachable from the target of a loop cue, so it may play again after a cue from it was held.
    pub may_replay: bool,
}

/// One cue, with its players as positions.
pub(crate) struct CueEdge {
    pub from: usize,
    pub to: usize,
    pub when: When,
    /// The compiled verdict pattern; `None` when missing or invalid (the cue then never fires).
    pub verdict: Option<Regex>,
    pub max_repeats: Option<u32>,
    /// Waits for the person's approval whatever the tempo (the cue's own flag); in checkpoint
    /// tempo every cue waits.
    pub checkpoint: bool,
}

impl CueEdge {
    pub fn is_loop(&self) -> bool {
        self.max_repeats.is_some()
    }
}

pub(crate) struct Graph {
    pub players: Vec<PlayerNode>,
    pub cues: Vec<CueEdge>,
    /// A player on a cycle of cues without a repeat limit, which would re-cue itself forever.
    pub unbounded_cycle: Option<usize>,
    by_id: HashMap<String, usize>,
    by_ends: HashMap<(usize, usize), Vec<usize>>,
}

impl Graph {
    /// Indexes `score`. Cues naming unknown players are left out (the validator reports them);
    /// a duplicate player id keeps its first player.
    pub fn new(score: &Score, offline: bool) -> Graph {
        let mut by_id = HashMap::with_capacity(score.players.len());
        for (i, p) in score.players.iter().enumerate() {
            by_id.entry(p.id.clone()).or_insert(i);
        }
        let mut players: Vec<PlayerNode> = score
            .players
            .iter()
            .map(|p| {
                let instrument = if offline {
                    match &p.instrument {
                        Instrument::Rehearsal(_) => p.instrument.clone(),
                        _ => Instrument::Rehearsal(RehearsalSettings::default()),
                    }
                } else {
                    p.instrument.clone()
                };
                let retries = p.retries.unwrap_or(match &p.instrument {
                    Instrument::Command(_) | Instrument::Human(_) => 0,
                    Instrument::Rehearsal(_) | Instrument::Openai(_) | Instrument::Anthropic(_) => 2,
                });
                PlayerNode {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    part: p.part.clone(),
                    join: p.join,
                    label: ensemble_instruments::label(&instrument),
                    instrument: Arc::new(instrument),
                    timeout_secs: p.timeout_secs,
                    retries,
                    retry_any: p.retries.is_some(),
                    incoming: Vec::new(),
                    outgoing: Vec::new(),
                    entry: true,
                    may_replay: false,
                }
            })
            .collect();

        let mut cues = Vec::with_capacity(score.cues.len());
        let mut by_ends: HashMap<(usize, usize), Vec<usize>> = HashMap::with_capacity(score.cues.len());
        for c in &score.cues {
            let (Some(&from), Some(&to)) = (by_id.get(&c.from), by_id.get(&c.to)) else { continue };
            let index = cues.len();
            cues.push(CueEdge {
                from,
                to,
                when: c.when,
                verdict: c.verdict.as_deref().and_then(crate::verdict::compile),
                max_repeats: c.max_repeats,
                checkpoint: c.checkpoint,
            });
            players[from].outgoing.push(index);
            players[to].incoming.push(index);
            if c.max_repeats.is_none() {
                players[to].entry = false;
            }
            by_ends.entry((from, to)).or_default().push(index);
        }

        // Everything downstream of a loop's target may play again.
        let mut stack: Vec<usize> = cues.iter().filter(|c| c.is_loop()).map(|c| c.to).collect();
        while let Some(p) = stack.pop() {
            if players[p].may_replay {
                continue;
            }
            players[p].may_replay = true;
            stack.extend(players[p].outgoing.iter().map(|&c| cues[c].to));
        }

        let unbounded_cycle = cycle_outside_loops(&players, &cues);
        Graph { players, cues, unbounded_cycle, by_id, by_ends }
    }

    pub fn player(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The cues from `from` to `to` (usually one).
    pub fn cues_between(&self, from: usize, to: usize) -> &[usize] {
        self.by_ends.get(&(from, to)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The cues between two player ids, for events that name them.
    pub fn cues_named(&self, from: &str, to: &str) -> &[usize] {
        match (self.player(from), self.player(to)) {
            (Some(f), Some(t)) => self.cues_between(f, t),
            _ => &[],
        }
    }
}

/// A player left on a cycle once loop cues are set aside (Kahn's algorithm: whatever cannot be
/// ordered lies on or behind a cycle), or `None` when the rest of the graph is acyclic.
fn cycle_outside_loops(players: &[PlayerNode], cues: &[CueEdge]) -> Option<usize> {
    let mut waiting_on: Vec<usize> = players.iter().map(|p| p.incoming.iter().filter(|&&c| !cues[c].is_loop()).count()).collect();
    let mut ready: Vec<usize> = (0..players.len()).filter(|&p| waiting_on[p] == 0).collect();
    let mut ordered = 0;
    while let Some(p) = ready.pop() {
        ordered += 1;
        for &c in &players[p].outgoing {
            if !cues[c].is_loop() {
                let to = cues[c].to;
                waiting_on[to] -= 1;
                if waiting_on[to] == 0 {
                    ready.push(to);
                }
            }
        }
    }
    (ordered < players.len()).then(|| waiting_on.iter().position(|&n| n > 0)).flatten()
}
