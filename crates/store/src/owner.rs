//! Which process owns a performance: the one holding its lock.
//!
//! A performance with no finish event is either still being conducted or was interrupted (its
//! process was killed, crashed, or the machine restarted). The process that conducts a
//! performance holds an exclusive lock on a small file for it, `<db>.owners/<id>.lock`, for as
//! long as it conducts it; anyone else tells "running" from "interrupted" by asking whether that
//! lock is held.
//!
//! Why a lock and not a recorded pid: the operating system releases a lock the moment its holder
//! dies, however it dies, so the lock cannot outlive its owner and needs no judgement. A pid can:
//! pids are reused (a dead owner's pid may belong to an unrelated process minutes later), they
//! mean nothing across a reboot, they differ between pid namespaces (a studio in a container and
//! a CLI outside it see different numbers for the same process), and telling whether a pid is
//! alive, and that it is the same process, takes different and partial means on each system
//! (`/proc` exists only on Linux). A file lock (`flock` on Linux and macOS, `LockFileEx` on
//! Windows, both through `std::fs::File`) behaves the same on all three.
//!
//! Invariants:
//! - The lock belongs to one open of the file, not to the process: a second `Store::open` in the
//!   same process sees a performance held by the first as running, just as another process does.
//! - Files are opened close-on-exec (non-inheritable on Windows), as std always does, so a program
//!   a command instrument starts never inherits the lock and cannot keep a dead owner "alive".
//! - Probing takes a *shared* lock and drops it at once: probes never block each other, and only
//!   an exclusive holder (an owner) makes a probe fail.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often, and how far apart, taking a lock is tried before calling it held: a probe from
/// another process holds its shared lock for microseconds, an owner for the whole performance.
const TRIES: u32 = 5;
const BETWEEN_TRIES: Duration = Duration::from_millis(20);

/// The folder of lock files that belongs to one store file.
#[derive(Debug, Clone)]
pub(crate) struct Owners {
    dir: PathBuf,
}

/// Taking a performance's lock did not work.
#[derive(Debug)]
pub(crate) enum TakeError {
    /// Another open of the lock (in this process or another) holds it: someone conducts it.
    Held,
    Io(std::io::Error),
}

impl Owners {
    /// The lock folder beside the store file `db`: `<db>.owners`.
    pub(crate) fn beside(db: &Path) -> Owners {
        let mut dir = db.as_os_str().to_owned();
        dir.push(".owners");
        Owners { dir: PathBuf::from(dir) }
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The lock file of `id`. Ids are ULIDs in practice; an id with anything but letters, digits,
    /// `-` and `_` is spelled in hex behind a `~` (which no plain id has), so that no id can name
    /// a file outside the folder and no two ids share a file.
    fn file(&self, id: &str) -> PathBuf {
        let plain = !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let name = if plain { id.to_string() } else { id.bytes().fold("~".to_string(), |name, b| name + &format!("{b:02x}")) };
        self.dir.join(format!("{name}.lock"))
    }

    /// Makes this open the owner of `id`, unless someone else holds it.
    pub(crate) fn take(&self, id: &str) -> Result<Ownership, TakeError> {
        std::fs::create_dir_all(&self.dir).map_err(TakeError::Io)?;
        let path = self.file(id);
        let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(TakeError::Io)?;
        for attempt in 1..=TRIES {
            match file.try_lock() {
                Ok(()) => return Ok(Ownership(Arc::new(Mutex::new(Some(Held { file, path }))))),
                Err(TryLockError::WouldBlock) if attempt < TRIES => std::thread::sleep(BETWEEN_TRIES),
                Err(TryLockError::WouldBlock) => return Err(TakeError::Held),
                Err(TryLockError::Error(e)) => return Err(TakeError::Io(e)),
            }
        }
        unreachable!("the last attempt returns")
    }

    /// Whether some open, in any process, holds the lock of `id` now. A missing lock file, or one
    /// that cannot be opened, is held by nobody: an owner creates it before it records anything.
    pub(crate) fn is_held(&self, id: &str) -> bool {
        // Reading is enough to lock, on every system, so a read-only store can still be judged.
        let Ok(file) = File::open(self.file(id)) else { return false };
        // Dropping the file releases the shared lock at once.
        matches!(file.try_lock_shared(), Err(TryLockError::WouldBlock))
    }
}

/// The lock on one performance, held by this process while it conducts it. Clones share one lock
/// (the store and the performance's journal both keep one): it is released when the finish is
/// recorded ([`Ownership::release`]) or when the last clone is dropped.
#[derive(Debug, Clone)]
pub(crate) struct Ownership(Arc<Mutex<Option<Held>>>);

#[derive(Debug)]
struct Held {
    file: File,
    path: PathBuf,
}

impl Ownership {
    /// Gives the lock up for good and removes its file: the performance has finished, and a
    /// finished performance is never claimed again, so nobody needs the file any more.
    pub(crate) fn release(&self) {
        let held = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        if let Some(Held { file, path }) = held {
            drop(file);
            // Best effort: a file left behind is harmless, it only names the lock.
            let _ = std::fs::remove_file(&path);
        }
    }
}
