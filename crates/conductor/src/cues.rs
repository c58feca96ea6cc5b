//! Deciding cues: whether a cue fires when its player ends, and what a held cue leaves behind.
//!
//! A cue that does not fire may leave its target unable ever to play; that target is skipped
//! and its own cues are held in turn, so a whole branch is settled at once. A cue from a player
//! that may still play again (inside a loop) is not final, so it skips nobody until the end.

use ensemble_score::When;

use crate::EventKind;
use crate::driver::Driver;
use crate::state::{Decision, Ending};

impl Driver {
    /// Why cue `c`'s condition is not met by how its `from` player's latest chorus ended, if not.
    pub(crate) fn unmet(&self, c: usize) -> Option<String> {
        let edge = &self.graph.cues[c];
        let from = &self.state.players[edge.from];
        let name = &self.graph.players[edge.from].name;
        let succeeded = from.ending == Some(Ending::Finished);
        match edge.when {
            When::Always => None,
            When::Success => (!succeeded).then(|| format!("condition `success` not met: {name} failed")),
            When::Failure => succeeded.then(|| format!("condition `failure` not met: {name} succeeded")),
            When::Verdict => match &edge.verdict {
                None => Some("its verdict pattern is missing or invalid".to_string()),
                Some(_) if !succeeded => Some(format!("condition `verdict` not met: {name} failed")),
                Some(pattern) if !crate::verdict::matches(pattern, &from.output) => Some(format!("verdict /{pattern}/ did not match")),
                Some(_) => None,
            },
        }
    }

    /// Decides cue `c` against how its `from` player's latest chorus ended.
    pub(crate) fn decide(&mut self, c: usize) {
        let edge = &self.graph.cues[c];
        if let Some(reason) = self.unmet(c) {
            self.hold(c, reason);
        } else if let Some(reason) = self.over_limit(c) {
            self.hold(c, reason);
        } else if edge.checkpoint || self.mode == ensemble_score::TempoMode::Checkpoints {
            let (from, to) = self.ends(c);
            self.checkpoints += 1;
            self.emit(EventKind::CheckpointWaiting { from, to });
        } else {
            self.fire(c);
        }
    }

    /// Why a loop cue may not fire again, if it has reached its repeat limit.
    pub(crate) fn over_limit(&self, c: usize) -> Option<String> {
        let max = self.graph.cues[c].max_repeats?;
        (self.state.cues[c].count >= max).then(|| format!("repeat limit {max} reached"))
    }

    pub(crate) fn fire(&mut self, c: usize) {
        let (from, to) = self.ends(c);
        let count = self.state.cues[c].count + 1;
        self.emit(EventKind::CueFired { from, to, count });
        self.mark(self.graph.cues[c].to);
    }

    /// Holds cue `c`, then skips every player that can therefore never play, cascading.
    pub(crate) fn hold(&mut self, c: usize, reason: String) {
        let (from, to) = self.ends(c);
        self.emit(EventKind::CueHeld { from, to, reason });
        let mut settle = vec![self.graph.cues[c].to];
        while let Some(p) = settle.pop() {
            let Some(reason) = self.never_plays(p) else { continue };
            let player = self.graph.players[p].id.clone();
            self.emit(EventKind::PlayerSkipped { player, reason });
            for i in 0..self.graph.players[p].outgoing.len() {
                let out = self.graph.players[p].outgoing[i];
                let (from, to) = self.ends(out);
                let reason = format!("{} was skipped", self.graph.players[p].name);
                self.emit(EventKind::CueHeld { from, to, reason });
                settle.push(self.graph.cues[out].to);
            }
        }
    }

    /// Why `p`, which has not played, never can: the cues it waits for were held for good.
    fn never_plays(&self, p: usize) -> Option<String> {
        let node = &self.graph.players[p];
        let state = &self.state.players[p];
        if node.entry || state.endings > 0 || state.playing.is_some() || state.skipped || self.is_queued[p] || self.recue[p] {
            return None;
        }
        let mut dead = node.incoming.iter().filter(|&&c| !self.graph.cues[c].is_loop()).map(|&c| {
            let edge = &self.graph.cues[c];
            let cue = &self.state.cues[c];
            let final_hold = cue.decision == Decision::Held && !cue.waiting && !self.graph.players[edge.from].may_replay;
            (c, final_hold)
        });
        let first_dead = match node.join {
            ensemble_score::Join::All => dead.find(|(_, d)| *d).map(|(c, _)| c),
            ensemble_score::Join::Any => {
                let all: Vec<(usize, bool)> = dead.collect();
                if all.iter().all(|(_, d)| *d) { all.first().map(|(c, _)| *c) } else { None }
            }
        }?;
        let from = &self.graph.players[self.graph.cues[first_dead].from].name;
        Some(format!("its cue from {from} was held"))
    }

    /// The player ids at the ends of cue `c`, for events.
    pub(crate) fn ends(&self, c: usize) -> (String, String) {
        let edge = &self.graph.cues[c];
        (self.graph.players[edge.from].id.clone(), self.graph.players[edge.to].id.clone())
    }
}
