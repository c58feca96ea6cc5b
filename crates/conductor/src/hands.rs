//! The conductor's hands at work: what each command does to a running performance.
//!
//! A command that does not apply (an answer for someone not asked, an edit of a player still
//! playing) changes nothing: the performance goes on as it was.

use ensemble_instruments::Usage;
use ensemble_score::TempoMode;

use crate::driver::{Driver, Stop};
use crate::{Command, EventKind};

impl Driver {
    pub(crate) fn on_command(&mut self, command: Command) {
        match command {
            Command::Pause => {
                if !self.state.paused {
                    self.emit(EventKind::Paused);
                }
            }
            Command::Resume => {
                if self.state.paused {
                    self.emit(EventKind::Resumed);
                }
                if self.mode != TempoMode::Step {
                    while let Some(p) = self.queued.pop_front() {
                        self.is_queued[p] = false;
                        self.mark(p);
                    }
                }
            }
            Command::Step => {
                self.steps += 1;
                self.release_step();
            }
            Command::CutOff => {
                self.stop.get_or_insert(Stop::CutOff);
            }
            Command::Answer { player, text } => {
                let Some(p) = self.graph.player(&player) else { return };
                if !self.state.players[p].asking {
                    return;
                }
                let chorus = self.state.players[p].playing.map(|(c, _)| c).unwrap_or(1);
                let elapsed_ms = self.stop_asking(p);
                self.emit(EventKind::PlayerFinished { player, chorus, output: text, usage: Usage::default(), cost_usd: 0.0, elapsed_ms });
                self.ended(p);
            }
            Command::Checkpoint { from, to, approve, note } => {
                let Some(c) = self.graph.cues_named(&from, &to).iter().copied().find(|&c| self.state.cues[c].waiting) else { return };
                self.checkpoints -= 1;
                self.emit(EventKind::CheckpointResolved { from, to, approved: approve, note: note.clone() });
                if !approve {
                    let reason = match note {
                        Some(note) if !note.is_empty() => format!("checkpoint rejected: {note}"),
                        _ => "checkpoint rejected".to_string(),
                    };
                    self.hold(c, reason);
                } else if let Some(reason) = self.over_limit(c) {
                    self.hold(c, reason);
                } else {
                    self.fire(c);
                }
            }
            Command::EditOutput { player, output } => {
                let Some(p) = self.graph.player(&player) else { return };
                let state = &self.state.players[p];
                if state.endings > 0 && state.playing.is_none() {
                    self.emit(EventKind::OutputEdited { player, output });
                }
            }
            Command::ToolDecision { player, call, decision } => {
                let Some(p) = self.graph.player(&player) else { return };
                // The desk records the decision (ToolResolved) when it takes it.
                self.tools.decide(p, &call, decision);
            }
            Command::Recue { player } => {
                let Some(p) = self.graph.player(&player) else { return };
                let state = &self.state.players[p];
                if state.endings > 0 && state.playing.is_none() && !self.is_queued[p] {
                    self.recue[p] = true;
                    self.mark(p);
                }
            }
            Command::SetTempo { mode } => self.set_tempo(mode),
        }
    }

    /// Releases the first queued player that is still ready, if a step is owed.
    pub(crate) fn release_step(&mut self) {
        while self.stop.is_none()
            && self.steps > 0
            && let Some(p) = self.queued.pop_front()
        {
            self.is_queued[p] = false;
            if self.is_ready(p) {
                self.steps -= 1;
                let player = self.graph.players[p].id.clone();
                self.emit(EventKind::Stepped { player });
                self.cue(p);
            }
        }
    }
}
