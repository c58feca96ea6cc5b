//! Group commit: the driver records events in batches, one journal transaction per batch, and
//! the journal commits them on a thread of its own.
//!
//! A fast stream (fifty players streaming a hundred tokens a second) would otherwise cost one
//! commit per token. Events wait in `pending` until the batch is full, until [`FLUSH_AFTER`] has
//! passed since the first of them, or until an event a person waits for is recorded (a pause, a
//! checkpoint, a question, the end); so a quiet stream is never held back waiting for a batch to
//! fill. The journal-first rule holds per batch: no subscriber sees an event of a batch before
//! the whole batch is committed, and a batch that cannot be committed is never published.
//!
//! A due batch is handed to the [`Committer`], which writes it on a blocking thread while the
//! driver goes on deciding and cueing; the batch comes back once committed and only then is
//! published. One batch is out at a time: what becomes due meanwhile goes as one batch when it
//! is back, so the log has no gaps and a slow disk makes batches bigger, not more. Once a batch
//! is refused nothing more is recorded but the end.
//!
//! The driver folds each event into its state as it is emitted, so its decisions see every event
//! in order whether or not its batch is committed yet. An interruption loses at most the batches
//! not yet committed, which nobody has seen; resuming then plays again whatever those events had
//! started.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::driver::{Driver, Stop};
use crate::{Event, EventKind, Journal, JournalError};

/// Longest an event waits to be committed: half an animation frame, so with the studio's one
/// message per frame a token reaches the window within about a frame and a half.
pub(crate) const FLUSH_AFTER: Duration = Duration::from_millis(8);

/// Most events committed in one transaction, unless more became due while a commit ran.
pub(crate) const MAX_BATCH: usize = 1024;

/// A batch back from its commit, with the journal that wrote it.
pub(crate) struct Committed {
    journal: Box<dyn Journal>,
    events: Vec<Event>,
    result: Result<(), JournalError>,
}

/// How a commit ended: written or refused, or lost with the journal (it panicked).
pub(crate) enum Back {
    Committed {
        events: Vec<Event>,
        result: Result<(), JournalError>,
    },
    Lost {
        first: u64,
        reason: String,
    },
}

/// The journal and the one commit it may be running.
pub(crate) struct Committer {
    /// The journal while no commit runs; `None` while one does, or once it was lost.
    journal: Option<Box<dyn Journal>>,
    running: Option<JoinHandle<Committed>>,
    /// The first seq of the batch being committed.
    first: u64,
    /// Pending events became due while a commit ran: they go as soon as it is back.
    due: bool,
}

impl Committer {
    pub(crate) fn new(journal: Box<dyn Journal>) -> Committer {
        Committer {
            journal: Some(journal),
            running: None,
            first: 0,
            due: false,
        }
    }

    /// Whether a commit is running.
    pub(crate) fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// Starts committing `events` (not empty) on a blocking thread; the runtime's paused clock
    /// in tests does not move on while it runs.
    fn start(&mut self, events: Vec<Event>) -> Result<(), JournalError> {
        let Some(mut journal) = self.journal.take() else {
            return Err(JournalError(
                "the journal was lost when an earlier commit failed".into(),
            ));
        };
        self.first = events[0].seq;
        self.running = Some(tokio::task::spawn_blocking(move || {
            let result = journal.append_batch(&events);
            Committed {
                journal,
                events,
                result,
            }
        }));
        Ok(())
    }

    /// The running commit, once it is back. Cancel-safe: dropped before it is back, the commit
    /// goes on and a later call returns it. Never returns while no commit runs.
    pub(crate) async fn back(&mut self) -> Back {
        let Some(running) = self.running.as_mut() else {
            return std::future::pending().await;
        };
        let joined = running.await;
        self.running = None;
        match joined {
            Ok(Committed {
                journal,
                events,
                result,
            }) => {
                self.journal = Some(journal);
                Back::Committed { events, result }
            }
            Err(e) => Back::Lost {
                first: self.first,
                reason: format!("the journal stopped while committing ({e})"),
            },
        }
    }
}

impl Driver {
    /// Adds an emitted event to the pending batch and commits the batch when it is due now.
    pub(crate) fn record(&mut self, event: Event) {
        let now = waits_for_person(&event.kind);
        if self.pending.is_empty() {
            self.flush_by = Some(tokio::time::Instant::now() + FLUSH_AFTER);
        }
        self.pending.push(event);
        if now || self.pending.len() >= MAX_BATCH {
            self.flush();
        }
    }

    /// The pending batch is due: its commit starts now, or as soon as the running one is back.
    /// It is published once committed (see [`Driver::on_committed`]).
    pub(crate) fn flush(&mut self) {
        self.flush_by = None;
        if self.pending.is_empty() {
            return;
        }
        if self.journal.busy() {
            self.journal.due = true;
            return;
        }
        let batch = std::mem::take(&mut self.pending);
        let first = batch[0].seq;
        if let Err(e) = self.journal.start(batch) {
            self.not_recorded(first, e);
        }
    }

    /// A commit is back: its batch is published if committed; if refused, the performance stops
    /// and nothing after the last committed event is shown. Then what became due meanwhile goes.
    pub(crate) fn on_committed(&mut self, back: Back) {
        match back {
            Back::Committed {
                events,
                result: Ok(()),
            } => {
                for event in events {
                    self.publish(event);
                }
            }
            Back::Committed {
                events,
                result: Err(e),
            } => self.not_recorded(events[0].seq, e),
            Back::Lost { first, reason } => self.not_recorded(first, JournalError(reason)),
        }
        if std::mem::take(&mut self.journal.due) {
            self.flush();
        }
    }

    /// Waits until everything handed to the journal is back, publishing what was committed.
    pub(crate) async fn settle(&mut self) {
        while self.journal.busy() {
            let back = self.journal.back().await;
            self.on_committed(back);
        }
    }

    /// Records the end (the one event written even after a refused batch, so a log can say why
    /// it stopped), waits for it, and publishes it: whether the journal took it or not,
    /// subscribers learn how the performance ended.
    pub(crate) async fn record_end(&mut self, end: Event) {
        self.settle().await;
        if self.journal.start(vec![end.clone()]).is_ok() {
            let _ = self.journal.back().await;
        }
        self.publish(end);
    }

    /// The batch from `first` on was not recorded: nothing from there on is shown, nothing more
    /// is recorded but the end, and the performance stops saying why.
    fn not_recorded(&mut self, first: u64, e: JournalError) {
        if self.journal_error.is_some() {
            return;
        }
        // The log subscribers see goes on from the last event they were shown.
        self.state.seq = first - 1;
        self.pending.clear();
        self.flush_by = None;
        self.journal.due = false;
        let reason = format!(
            "stopped because the performance could not be recorded: {}",
            e.0
        );
        self.journal_error = Some(reason.clone());
        self.stop.get_or_insert(Stop::Failed(reason));
    }
}

/// Events after which the performance may go quiet until a person acts, or that a person acted
/// on: they are committed and shown at once instead of waiting for the batch.
fn waits_for_person(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Paused
            | EventKind::Resumed
            | EventKind::Stepped { .. }
            | EventKind::HumanWaiting { .. }
            | EventKind::CheckpointWaiting { .. }
            | EventKind::CheckpointResolved { .. }
            | EventKind::ToolWaiting { .. }
            | EventKind::ToolResolved { .. }
            | EventKind::OutputEdited { .. }
            | EventKind::TempoChanged { .. }
            | EventKind::BudgetExceeded { .. }
            | EventKind::PerformanceFinished { .. }
    )
}
