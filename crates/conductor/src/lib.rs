//! The conductor: runs a score as a performance.
//!
//! A performance is an append-only log of [`Event`]s. The conductor's state is a fold over that
//! log, which is what makes a performance resumable: replaying the recorded events of an
//! interrupted performance rebuilds exactly the state it had, and conducting goes on from there.
//!
//! Every event goes to the [`Journal`] first (synchronously, so that once any subscriber has seen
//! an event it is on disk), then to every subscriber over an unbounded channel, so a slow
//! subscriber never slows the performance down.

mod event;
mod control;
mod conduct;
mod context;
mod graph;
mod state;
mod attempt;
mod budget;
mod driver;
mod cues;
mod verdict;
mod hands;
mod asking;
mod tools;
mod carry;
mod outcome;
mod replay;
mod recording;
mod tempo;

pub use control::{Command, Control};
pub use conduct::{Conductor, Options, Outcome};
pub use carry::{Carried, carried_outputs, downstream_of};
pub use event::{Event, EventKind, Handoff, MemoryJournal, Journal, JournalError};
pub use verdict::{VERDICT_SIZE_LIMIT, VERDICT_TAIL_BYTES};
pub use replay::{CarriedOver, CheckpointAnswer, Chorus, ChorusEnd, CueDecision, Finish, Record, Replay};
