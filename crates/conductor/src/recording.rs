//! Group commit: the driver records events in batches, one journal transaction per batch.
//!
//! A fast stream (fifty players streaming a hundred tokens a second) would otherwise cost one
//! commit per token. Events wait in `pending` until the batch is full, until [`FLUSH_AFTER`] has
//! passed since the first of them, or until an event a person waits for is recorded (a pause, a
//! checkpoint, a question, the end); so a quiet stream is never held back waiting for a batch to
//! fill. The journal-first rule holds per batch: no subscriber sees an event of a batch before
//! the whole batch is committed, and a batch that cannot be committed is never published.
//!
//! The driver folds each event into its state as it is emitted, so its decisions see every event
//! in order whether or not its batch is committed yet. An interruption loses at most the pending
//! batch, which nobody has seen; resuming then plays again whatever those events had started.

use std::time::Duration;

use crate::driver::{Driver, Stop};
use crate::{Event, EventKind};

/// Longest an event waits to be committed: half an animation frame, so with the studio's one
/// message per frame a token reaches the window within about a frame and a half.
pub(crate) const FLUSH_AFTER: Duration = Duration::from_millis(8);

/// Most events committed in one transaction.
pub(crate) const MAX_BATCH: usize = 1024;

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

    /// Commits the pending batch in one transaction, then publishes it in order. A batch that
    /// cannot be committed is dropped unseen and stops the performance.
    pub(crate) fn flush(&mut self) {
        self.flush_by = None;
        if self.pending.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.pending);
        if let Err(e) = self.journal.append_batch(&batch) {
            // The log subscribers see goes on from the last event they were shown.
            self.state.seq = batch[0].seq - 1;
            let reason = format!(
                "stopped because the performance could not be recorded: {}",
                e.0
            );
            self.journal_error = Some(reason.clone());
            self.stop.get_or_insert(Stop::Failed(reason));
            return;
        }
        for event in batch {
            self.publish(event);
        }
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
