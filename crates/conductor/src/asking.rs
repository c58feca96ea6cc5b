//! Human players: asking a person for a part, and giving up when they do not answer in time.
//!
//! A person's answer arrives as a command ([`crate::Command::Answer`]); a player's `timeout_secs`
//! bounds the wait like it bounds a model's attempt, and running out is an ordinary failure, so
//! a `failure` cue can take the part elsewhere.

use std::time::{Duration, Instant};

use ensemble_instruments::Usage;

use crate::EventKind;
use crate::driver::Driver;

impl Driver {
    /// Asks the person behind player `p`, until its timeout if it has one.
    pub(crate) fn ask(&mut self, p: usize, question: String, timeout: Option<Duration>) {
        self.asking += 1;
        self.asked_at[p] = Some(Instant::now());
        self.answer_by[p] = timeout.map(|t| tokio::time::Instant::now() + t);
        let player = self.graph.players[p].id.clone();
        self.emit(EventKind::HumanWaiting { player, question });
    }

    /// The person whose time to answer ends first, and when. Only looks when someone is asked,
    /// so performances without people pay nothing for it.
    pub(crate) fn answer_due(&self) -> Option<(usize, tokio::time::Instant)> {
        if self.asking == 0 {
            return None;
        }
        self.answer_by.iter().enumerate().filter_map(|(p, by)| by.map(|at| (p, at))).min_by_key(|&(_, at)| at)
    }

    /// Player `p`'s person answered (or the wait ended): the milliseconds they were waited for.
    pub(crate) fn stop_asking(&mut self, p: usize) -> u64 {
        self.asking -= 1;
        self.answer_by[p] = None;
        self.asked_at[p].take().map(|t| t.elapsed().as_millis() as u64).unwrap_or_default()
    }

    /// Player `p`'s time to answer ran out: it fails, and its cues are decided as for any failure.
    pub(crate) fn no_answer(&mut self, p: usize) {
        if !self.state.players[p].asking {
            self.answer_by[p] = None;
            return;
        }
        let secs = self.graph.players[p].timeout_secs.unwrap_or_default();
        let chorus = self.state.players[p].playing.map(|(c, _)| c).unwrap_or(1);
        let elapsed_ms = self.stop_asking(p);
        let player = self.graph.players[p].id.clone();
        let error = format!("no answer within {secs} s");
        self.emit(EventKind::PlayerFailed { player, chorus, error, partial_output: String::new(), usage: Usage::default(), cost_usd: 0.0, elapsed_ms });
        self.ended(p);
    }
}
