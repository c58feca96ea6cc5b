//! Changing the tempo while a performance plays: the person takes over the releasing of cues
//! (step, checkpoints) or hands it back to the conductor (autonomous).
//!
//! The change is recorded as an event, so a resumed performance keeps the tempo it was given.
//! What is already playing goes on; the new tempo governs what becomes ready from now on, and
//! what the old tempo was holding back: leaving step releases the queued players, leaving
//! checkpoint tempo fires the cues that waited only because of it (a cue marked `checkpoint` in
//! the score keeps waiting for its approval).

use ensemble_score::TempoMode;

use crate::EventKind;
use crate::driver::Driver;

impl Driver {
    pub(crate) fn set_tempo(&mut self, mode: TempoMode) {
        if mode == self.mode {
            return;
        }
        let before = self.mode;
        self.emit(EventKind::TempoChanged { mode });
        self.mode = mode;
        if before == TempoMode::Step && !self.state.paused {
            while let Some(p) = self.queued.pop_front() {
                self.is_queued[p] = false;
                self.mark(p);
            }
        }
        if before == TempoMode::Checkpoints {
            for c in 0..self.graph.cues.len() {
                if self.state.cues[c].waiting && !self.graph.cues[c].checkpoint {
                    self.checkpoints -= 1;
                    match self.over_limit(c) {
                        Some(reason) => self.hold(c, reason),
                        None => self.fire(c),
                    }
                }
            }
        }
    }
}
