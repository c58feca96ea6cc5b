//! Forking: a new performance that starts from another one's recorded outputs.
//!
//! A fork re-runs a recorded performance from a chosen player. That player and every player its
//! cues reach (outside loops) play again; every other player that ended in the recorded
//! performance is carried over: its recorded output is taken as given and handed on, recorded as
//! a `PlayerCarried` event instead of being played. Players that never ended there play as they
//! would in any performance.
//!
//! Carrying is written in the log like everything else (`PlayerCarried`, then the decisions on
//! the carried players' cues), so resuming an interrupted fork folds it back exactly. The
//! carried players are taken in cue order, each after the cues into it were decided, so a cue
//! that fires into a carried player is never new input to it: it does not play again. A loop
//! cue into a carried player is held (the loop was played out in the recorded performance), and
//! a checkpoint between two carried players does not ask again: the hand-off was approved when
//! it was recorded.

use std::collections::VecDeque;

use ensemble_score::Score;

use crate::driver::Driver;
use crate::graph::Graph;
use crate::state::{Ending, State};
use crate::{Event, EventKind};

/// A player's recorded output, taken as given by a fork.
#[derive(Debug, Clone, PartialEq)]
pub struct Carried {
    pub player: String,
    /// The chorus it had reached.
    pub chorus: u32,
    /// What it handed on (as edited), or what its failure left.
    pub output: String,
    /// Its last chorus failed.
    pub failed: bool,
}

/// What a driver carries over, and from which performance.
#[derive(Debug, Default)]
pub(crate) struct Carry {
    pub from_performance: String,
    pub outputs: Vec<Carried>,
}

/// The players a fork from `player` plays again: `player` and every player its cues reach,
/// loops set aside (a loop's way back does not make the players before it play again), in score
/// order. `None` when the score has no such player.
pub fn downstream_of(score: &Score, player: &str) -> Option<Vec<String>> {
    let graph = Graph::new(score, true);
    let reached = reached_from(&graph, graph.player(player)?);
    Some(graph.players.iter().zip(reached).filter(|(_, r)| *r).map(|(p, _)| p.id.clone()).collect())
}

fn reached_from(graph: &Graph, start: usize) -> Vec<bool> {
    let mut reached = vec![false; graph.players.len()];
    let mut stack = vec![start];
    while let Some(p) = stack.pop() {
        if std::mem::replace(&mut reached[p], true) {
            continue;
        }
        stack.extend(graph.players[p].outgoing.iter().filter(|&&c| !graph.cues[c].is_loop()).map(|&c| graph.cues[c].to));
    }
    reached
}

/// What a fork from `player` takes as given: the recorded output of every player that ended in
/// the recorded performance (`recorded` played as `events`), is not downstream of `player` in
/// `score` (the score the fork plays, which may have changed since) and is still in it.
/// `None` when `score` has no player `player`.
pub fn carried_outputs(recorded: &Score, events: &[Event], score: &Score, player: &str) -> Option<Vec<Carried>> {
    let plays_again = downstream_of(score, player)?;
    let graph = Graph::new(recorded, true);
    let mut state = State::new(&graph);
    for event in events {
        state.apply(&graph, event);
    }
    let kept = |id: &str| !plays_again.iter().any(|p| p == id) && score.players.iter().any(|p| p.id == id);
    let carried = graph
        .players
        .iter()
        .zip(&state.players)
        .filter(|(node, played)| played.endings > 0 && kept(&node.id))
        .map(|(node, played)| Carried {
            player: node.id.clone(),
            chorus: played.chorus,
            output: played.output.clone(),
            failed: matches!(played.ending, Some(Ending::Failed { .. })),
        })
        .collect();
    Some(carried)
}

/// Players in cue order (a player after every player with a cue into it, loops set aside);
/// players on a cycle without a repeat limit come last, in score order.
fn cue_order(graph: &Graph) -> Vec<usize> {
    let n = graph.players.len();
    let mut waiting_on: Vec<usize> =
        graph.players.iter().map(|p| p.incoming.iter().filter(|&&c| !graph.cues[c].is_loop()).count()).collect();
    let mut ready: VecDeque<usize> = (0..n).filter(|&p| waiting_on[p] == 0).collect();
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    while let Some(p) = ready.pop_front() {
        order.push(p);
        placed[p] = true;
        for &c in &graph.players[p].outgoing {
            if !graph.cues[c].is_loop() {
                let to = graph.cues[c].to;
                waiting_on[to] -= 1;
                if waiting_on[to] == 0 {
                    ready.push_back(to);
                }
            }
        }
    }
    order.extend((0..n).filter(|&p| !placed[p]));
    order
}

impl Driver {
    /// Records the carried players (those not recorded yet) and decides their cues. Run at the
    /// start of every stretch of a fork; what is already in the log is not recorded again.
    pub(crate) fn carry_over(&mut self) {
        if self.carry.outputs.is_empty() {
            return;
        }
        let n = self.graph.players.len();
        let mut given: Vec<Option<Carried>> = (0..n).map(|_| None).collect();
        for carried in std::mem::take(&mut self.carry.outputs) {
            if let Some(p) = self.graph.player(&carried.player) {
                given[p] = Some(carried);
            }
        }
        let carried: Vec<bool> = (0..n).map(|p| given[p].is_some() || self.state.players[p].carried).collect();
        for p in cue_order(&self.graph) {
            let Some(output) = given[p].take() else { continue };
            if self.stop.is_some() {
                return;
            }
            let state = &self.state.players[p];
            // A player this performance already cued plays on from what it did here.
            if state.cued {
                continue;
            }
            if !state.carried {
                self.emit(EventKind::PlayerCarried {
                    player: output.player,
                    from_performance: self.carry.from_performance.clone(),
                    chorus: output.chorus,
                    output: output.output,
                    failed: output.failed,
                });
            }
            for i in 0..self.graph.players[p].outgoing.len() {
                let c = self.graph.players[p].outgoing[i];
                let cue = &self.state.cues[c];
                if cue.waiting || cue.decided_ending >= self.state.players[p].endings {
                    continue;
                }
                self.carry_cue(c, carried[self.graph.cues[c].to]);
            }
        }
    }

    /// Decides a cue from a carried player. Into a player that plays, it decides as any cue does;
    /// into a carried player it records what the recorded performance already settled.
    fn carry_cue(&mut self, c: usize, into_carried: bool) {
        if !into_carried {
            self.decide(c);
            return;
        }
        if self.graph.cues[c].is_loop() {
            let name = &self.graph.players[self.graph.cues[c].to].name;
            let reason = format!("{name} was carried over from the recorded performance; its loop is not played again");
            self.hold(c, reason);
            return;
        }
        match self.unmet(c) {
            Some(reason) => self.hold(c, reason),
            None => self.fire(c),
        }
    }
}
