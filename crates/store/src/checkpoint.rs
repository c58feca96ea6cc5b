//! Checkpoints of the write-ahead log, on a thread of their own.
//!
//! With WAL, a commit appends to the log, and from time to time the log is copied back into the
//! database (a checkpoint), which syncs the file to disk. SQLite runs it on whichever connection
//! commits once the log has grown past a thousand pages, so a journal would make a performance
//! wait for it in the middle of a batch, and with it every event shown after. Journals
//! therefore turn the automatic checkpoint off and ask this thread instead, once they have
//! written about as much as the automatic one waits for. It runs a passive checkpoint, which
//! neither waits for nor blocks anyone writing or reading, on a connection it opens for that
//! checkpoint only, so nothing stays open once the store and its journals are gone.
//!
//! The log starts over at the first commit after a checkpoint that copied all of it, that is in
//! any pause of the recording longer than a checkpoint (a few milliseconds). Performances
//! recorded back to back never pause, so the log would only grow; once it is past
//! [`RESTART_AFTER_BYTES`], the next journal to commit copies what is left of it itself, after
//! its commit, so that no commit comes between that copy and its next one, which starts the log
//! over. Most pages were copied by this thread already, so that is quick. (SQLite's restarting
//! checkpoint, run from this thread instead, had to wait for the journal's lock and the journal
//! for it, each with the busy handler's growing sleeps: a seventh of a second per restart.)

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};

/// Bytes the store's journals write between checkpoints, counting the event JSON alone: about
/// half of SQLite's own automatic checkpoint (a thousand pages of 4 KiB), since the log also
/// holds the index and the pages a commit rewrites.
const ASK_AFTER_BYTES: usize = 2 << 20;

/// A log longer than this is started over by the next journal to commit.
const RESTART_AFTER_BYTES: i64 = 64 << 20;

/// What a log file is cut back to when it starts over (`journal_size_limit` of every
/// connection). As long as the bound above: cutting a file is slow on some disks (a tenth of a
/// second for 256 MiB here), and a log started over for that bound is then reused from its
/// start rather than cut.
pub(crate) const KEEP_BYTES: i64 = RESTART_AFTER_BYTES;

/// A way to ask for a checkpoint; cloned into every journal of a store.
#[derive(Clone)]
pub(crate) struct Checkpoints {
    ask: SyncSender<()>,
    /// Bytes written by any of the store's journals since the last request.
    unchecked: Arc<AtomicUsize>,
    /// The log is past [`RESTART_AFTER_BYTES`]: the next journal to commit has it start over.
    restart_due: Arc<AtomicBool>,
}

impl Checkpoints {
    /// Starts the thread that checkpoints the store at `path`; it ends once every
    /// [`Checkpoints`] is dropped. Without a thread (the system refused one), the journals'
    /// requests go nowhere and SQLite checkpoints when the last connection closes.
    pub(crate) fn start(path: &Path) -> Checkpoints {
        // One request waiting is enough: asking again before it ran changes nothing.
        let (ask, requests) = std::sync::mpsc::sync_channel(1);
        let restart_due = Arc::new(AtomicBool::new(false));
        let path = path.to_path_buf();
        let due = Arc::clone(&restart_due);
        let _ = std::thread::Builder::new().name("store checkpoints".into()).spawn(move || run(&path, &requests, &due));
        Checkpoints { ask, unchecked: Arc::default(), restart_due }
    }

    /// After a journal's commit on `conn`: counts its `bytes`, asks for a checkpoint once
    /// enough were written, and has the log start over at the journal's next commit when that
    /// is due. Never waits but for a due restart.
    pub(crate) fn committed(&self, conn: &rusqlite::Connection, bytes: usize) {
        // Not done (this thread was checkpointing, a reader is on an old snapshot): the next
        // commit tries again.
        if self.restart_due.load(Ordering::Relaxed) && matches!(copy_all(conn), Ok(true)) {
            self.restart_due.store(false, Ordering::Relaxed);
        }
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

fn run(path: &Path, requests: &Receiver<()>, restart_due: &AtomicBool) {
    while requests.recv().is_ok() {
        // A checkpoint that fails loses nothing: the log keeps every committed page, and the
        // next request (or the last connection's close) tries again.
        if let Ok(conn) = crate::connect(path)
            && let Ok(true) = checkpoint(&conn, RESTART_AFTER_BYTES)
        {
            restart_due.store(true, Ordering::Relaxed);
        }
    }
}

/// What a passive checkpoint reports: whether it could not finish, the frames in the log, and
/// how many of them are now copied into the database.
struct Passive {
    busy: bool,
    frames: i64,
    copied: i64,
}

/// Copies the log into the database without waiting for anyone.
fn passive(conn: &rusqlite::Connection) -> rusqlite::Result<Passive> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok(Passive { busy: r.get::<_, i64>(0)? != 0, frames: r.get(1)?, copied: r.get(2)? }))
}

/// Copies the log into the database without waiting for anyone; whether the log is longer than
/// `restart_after` bytes.
fn checkpoint(conn: &rusqlite::Connection, restart_after: i64) -> rusqlite::Result<bool> {
    let frames = passive(conn)?.frames;
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    Ok(frames.saturating_mul(page_size) > restart_after)
}

/// Copies what is left of the log without waiting for anyone; whether all of it is copied, so
/// that the next commit on this connection, if none comes before it, starts the log over.
fn copy_all(conn: &rusqlite::Connection) -> rusqlite::Result<bool> {
    let done = passive(conn)?;
    Ok(!done.busy && done.frames == done.copied)
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


    #[test]
    fn a_log_past_the_bound_starts_over_and_a_shorter_one_at_the_next_commit() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("s.sqlite3");
        let writer = crate::connect(&path).expect("a new file opens");
        writer.execute("CREATE TABLE t (x BLOB)", []).expect("a table is made");
        let checkpointer = crate::connect(&path).expect("a second connection opens");

        write(&writer, 8);
        assert!(wal_len(&path) > 8 << 20, "autocheckpoint is off: the log holds all 8 MiB");
        assert!(checkpoint(&checkpointer, 4 << 20).expect("the checkpoint runs"), "past the bound, a restart is due");
        write(&writer, 1);
        assert!(copy_all(&writer).expect("the writer copies the rest"), "nothing else checkpoints or reads meanwhile");
        write(&writer, 8);
        assert!(wal_len(&path) < 9 << 20, "a log past the bound started over: its file was reused from the start ({} bytes)", wal_len(&path));

        assert!(!checkpoint(&checkpointer, 1 << 30).expect("the checkpoint runs"), "under the bound, no restart is due");
        write(&writer, 8);
        assert!(wal_len(&path) < 9 << 20, "the commit after a full copy started the log over ({} bytes)", wal_len(&path));
        assert!(passive(&checkpointer).expect("a checkpoint runs").frames < 2_200, "only the last 8 MiB are in the log");
        let kept: i64 = writer.query_row("PRAGMA journal_size_limit", [], |r| r.get(0)).expect("the limit is readable");
        assert_eq!(kept, KEEP_BYTES, "every connection cuts a log that starts over back to this");
    }

    #[test]
    fn without_a_checkpoint_the_log_only_grows() {
        // The counterpart of the test above: what makes the log start over is the checkpoint.
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("s.sqlite3");
        let writer = crate::connect(&path).expect("a new file opens");
        writer.execute("CREATE TABLE t (x BLOB)", []).expect("a table is made");
        write(&writer, 8);
        write(&writer, 8);
        assert!(wal_len(&path) > 16 << 20, "no checkpoint, no new start: {} bytes", wal_len(&path));
    }
}
