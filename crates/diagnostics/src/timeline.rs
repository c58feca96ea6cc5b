//! One performance as the conductor replays it: who played when, from what, and what happened
//! to each hand-off.
//!
//! Diagnostics read a performance exactly as the conductor folds it: [`Replay`] applies the
//! recorded events with the conductor's own fold and indexes the choruses, cue decisions,
//! checkpoints and edits that fold leaves behind, so no metric re-reads the raw events and none
//! can disagree with the conductor about which chorus a cue judged or started. What is added here
//! is only what diagnosis means by the record: wall time, success, the outputs text measures may
//! read, and the failures.
//!
//! Events about players the score does not have are indexed like any other (and listed in
//! `unknown_players`); metrics decide what to do with them.

use std::ops::Deref;

use ensemble_conductor::{Chorus, ChorusEnd, Event, Outcome, Record, Replay};

/// The record of one performance, under its id.
#[derive(Debug)]
pub struct Timeline<'a> {
    pub id: &'a str,
    record: Record<'a>,
}

impl<'a> Timeline<'a> {
    /// Replays `events`, recorded under `id`, on a replay of the score (which is not changed: its
    /// index of the score is shared).
    pub fn new(id: &'a str, score: &Replay<'_>, events: &'a [Event]) -> Timeline<'a> {
        let mut replay = score.another();
        replay.apply_all(events);
        Timeline { id, record: replay.into_record() }
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
        self.finish.is_some_and(|f| f.outcome == Outcome::Succeeded)
    }

    /// Choruses that finished with an output a real instrument wrote: what text measures read.
    /// A rehearsal stand-in's output echoes the part and hand-offs, so it says nothing about what
    /// the player would have written.
    pub fn written(&self) -> impl Iterator<Item = (&Chorus<'a>, &ChorusEnd<'a>)> {
        self.choruses.iter().filter(|s| !s.rehearsal).filter_map(|s| s.end.as_ref().filter(|e| e.ok).map(|e| (s, e)))
    }

    /// The choruses that ended in failure, with their positions, in order.
    pub fn failures(&self) -> impl Iterator<Item = (usize, &Chorus<'a>)> {
        self.choruses.iter().enumerate().filter(|(_, s)| s.end.as_ref().is_some_and(|e| !e.ok))
    }
}

/// A timeline reads as the conductor's record of the performance.
impl<'a> Deref for Timeline<'a> {
    type Target = Record<'a>;

    fn deref(&self) -> &Record<'a> {
        &self.record
    }
}
