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
            let _ = checkpoint(&conn);
        }
    }
}

/// A log longer than this is emptied even if a journal has to wait for it (see [`checkpoint`]).
const TRUNCATE_AFTER_BYTES: i64 = 32 << 20;

/// Copies the log into the database without waiting for anyone. The log starts over at the next
/// commit only if nothing was committed while the checkpoint ran, which never happens while
/// performances record without a pause; so once it has grown past [`TRUNCATE_AFTER_BYTES`] it
/// is checkpointed once more with writers held back and emptied. Most of its pages were copied
/// by then, so they are held back briefly, once every so many megabytes.
fn checkpoint(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let frames: i64 = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))?;
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    if frames.saturating_mul(page_size) > TRUNCATE_AFTER_BYTES {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(())
}
