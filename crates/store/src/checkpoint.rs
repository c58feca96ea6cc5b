//! Checkpoints of the write-ahead log, on a thread of their own.
//!
//! With WAL, a commit appends to the log, and from time to time the log is copied back into the
//! database (a checkpoint), which syncs the file to disk: tens of milliseconds on a slow disk.
//! SQLite runs it on whichever connection commits once the log has grown past a thousand
//! pages, so a journal would make a performance wait for it in the middle of a batch, and with
//! it every event shown after. Journals therefore turn the automatic checkpoint off and ask this
//! thread instead, once they have written about as much as the automatic one waits for. It runs
//! a passive checkpoint, which neither waits for nor blocks anyone writing or reading, on a
//! connection it opens for that checkpoint only, so nothing stays open once the store and its
//! journals are gone.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};

/// Bytes the store's journals write between checkpoints, counting the event JSON alone: about
/// half of SQLite's own automatic checkpoint (a thousand pages of 4 KiB), since the log also
/// holds the index and the pages a commit rewrites.
const ASK_AFTER_BYTES: usize = 2 << 20;

/// A way to ask for a checkpoint; cloned into every journal of a store.
#[derive(Clone)]
pub(crate) struct Checkpoints {
    ask: SyncSender<()>,
    /// Bytes written by any of the store's journals since the last request.
    unchecked: Arc<AtomicUsize>,
}

impl Checkpoints {
    /// Starts the thread that checkpoints the store at `path`; it ends once every
    /// [`Checkpoints`] is dropped. Without a thread (the system refused one), the journals'
    /// requests go nowhere and SQLite checkpoints when the last connection closes.
    pub(crate) fn start(path: &Path) -> Checkpoints {
        // One request waiting is enough: asking again before it ran changes nothing.
        let (ask, requests) = std::sync::mpsc::sync_channel(1);
        let path = path.to_path_buf();
        let _ = std::thread::Builder::new().name("store checkpoints".into()).spawn(move || run(&path, &requests));
        Checkpoints { ask, unchecked: Arc::default() }
    }

    /// Counts `bytes` committed by a journal, and asks for a checkpoint once enough were; never
    /// waits.
    pub(crate) fn wrote(&self, bytes: usize) {
        let before = self.unchecked.fetch_add(bytes, Ordering::Relaxed);
        if before + bytes < ASK_AFTER_BYTES {
            return;
        }
        self.unchecked.store(0, Ordering::Relaxed);
        match self.ask.try_send(()) {
            Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
        }
    }
}

fn run(path: &PathBuf, requests: &Receiver<()>) {
    while requests.recv().is_ok() {
        // A checkpoint that fails loses nothing: the log keeps every committed page, and the
        // next request (or the last connection's close) tries again.
        if let Ok(conn) = crate::connect(path) {
            let _ = checkpoint(&conn, TRUNCATE_AFTER_BYTES);
        }
    }
}

/// A log longer than this is emptied even though commits wait meanwhile (see [`checkpoint`]).
const TRUNCATE_AFTER_BYTES: i64 = 256 << 20;

/// What a log file is cut back to when it starts over (`journal_size_limit` of every
/// connection), so a long stretch of recording leaves no large file behind.
pub(crate) const KEEP_BYTES: i64 = 16 << 20;

/// Copies the log into the database without waiting for anyone. The log then starts over at
/// the first commit after a checkpoint that copied all of it, that is in any pause of the
/// recording longer than a checkpoint. Performances recorded back to back without such a pause
/// never give it one; so a log grown past `truncate_after` bytes is checkpointed once more with
/// writers held back, and emptied: most of its pages were copied already, and the wait comes
/// once per that many bytes recorded.
fn checkpoint(conn: &rusqlite::Connection, truncate_after: i64) -> rusqlite::Result<()> {
    let frames: i64 = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))?;
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    if frames.saturating_mul(page_size) > truncate_after {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Commits `mib` MiB into `t`, a MiB a transaction.
    fn write(conn: &rusqlite::Connection, mib: usize) {
        for _ in 0..mib {
            conn.execute("INSERT INTO t (x) VALUES (zeroblob(1048576))", []).expect("a row is written");
        }
    }

    fn wal_len(path: &Path) -> u64 {
        std::fs::metadata(path.with_extension("sqlite3-wal")).map_or(0, |m| m.len())
    }

    /// Frames in the log now (a passive checkpoint reports them).
    fn frames(conn: &rusqlite::Connection) -> i64 {
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1)).expect("a checkpoint runs")
    }

    #[test]
    fn a_log_past_the_bound_is_emptied_and_a_shorter_one_starts_over_at_the_next_commit() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("s.sqlite3");
        let writer = crate::connect(&path).expect("a new file opens");
        writer.execute("CREATE TABLE t (x BLOB)", []).expect("a table is made");
        let checkpointer = crate::connect(&path).expect("a second connection opens");

        write(&writer, 8);
        assert!(wal_len(&path) > 8 << 20, "autocheckpoint is off: the log holds all 8 MiB");
        checkpoint(&checkpointer, 4 << 20).expect("the checkpoint runs");
        assert_eq!(wal_len(&path), 0, "a log past the bound was emptied");

        write(&writer, 8);
        checkpoint(&checkpointer, 1 << 30).expect("the checkpoint runs");
        assert!(wal_len(&path) > 8 << 20, "a log under the bound is only copied, not emptied");
        write(&writer, 1);
        assert!(frames(&checkpointer) < 300, "the commit after a full copy started the log over");

        let kept: i64 = writer.query_row("PRAGMA journal_size_limit", [], |r| r.get(0)).expect("the limit is readable");
        assert_eq!(kept, KEEP_BYTES, "every connection cuts a log that starts over back to this");
    }
}
