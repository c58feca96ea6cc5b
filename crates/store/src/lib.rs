//! The performance store: one SQLite file (WAL) holding every performance as an append-only
//! event log, plus a summary row per performance so lists are quick.
//!
//! An event is committed before the conductor hands it to anyone else (see
//! `ensemble_conductor::Journal`), so a process killed mid-performance loses nothing it showed.
//! Whether a performance without a finish event is still running or was interrupted is judged
//! by whether anyone holds its lock: the process conducting it does (see [`owner`]).

mod checkpoint;
mod diagnoses;
mod journal;
mod migrate;
mod owner;
mod private_dir;
mod trust;

pub use private_dir::create_private_dir;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ensemble_conductor::{Event, Journal};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use owner::{Owners, Ownership, TakeError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("performance store {path}: {message}")]
    Sqlite { path: PathBuf, message: String },
    #[error("no performance with id {0}")]
    NotFound(String),
    /// The performance cannot be resumed: it finished, or its process is still conducting it.
    #[error("performance {id} {reason}")]
    NotResumable { id: String, reason: String },
    /// The lock that marks a performance's owner could not be taken or made.
    #[error("performance lock {path}: {message}")]
    Lock { path: PathBuf, message: String },
}

/// Whether a performance is still going, ended, or was interrupted (its process died).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Status {
    Running,
    Finished,
    Interrupted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Finished => "finished",
            Status::Interrupted => "interrupted",
        }
    }
}

/// What a new performance records about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewPerformance {
    pub id: String,
    pub title: String,
    /// Where the score was read from, if from a file.
    pub score_path: Option<String>,
    /// The score's canonical text, so the performance can be replayed and resumed.
    pub score_toml: String,
    pub offline: bool,
    pub seed: u64,
}

/// One line of the performance list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub score_path: Option<String>,
    pub started_ms: u64,
    pub finished_ms: Option<u64>,
    pub status: Status,
    /// The `outcome` of the finish event, when finished.
    pub outcome: Option<String>,
    pub tokens: u64,
    pub cost_usd: f64,
    pub offline: bool,
    /// The rehearsal seed it was conducted with; a resumed stretch uses the same.
    pub seed: u64,
    /// The performance this one was forked from, and the player it was re-run from.
    #[ts(optional = nullable)]
    pub forked_from: Option<String>,
    #[ts(optional = nullable)]
    pub forked_player: Option<String>,
    /// From the finish: how many players the score had, how many were never cued, how many a
    /// fork carried over (absent before the finish, and for performances recorded before these
    /// were kept).
    #[ts(optional = nullable)]
    pub players: Option<u32>,
    #[ts(optional = nullable)]
    pub never_cued: Option<u32>,
    #[ts(optional = nullable)]
    pub carried: Option<u32>,
    /// The outcome in words that say what it left out, e.g. `finished, 2 of 4 players never
    /// cued` (see `Outcome::summary`); absent until finished.
    #[ts(optional = nullable)]
    pub outcome_summary: Option<String>,
}

/// The store, open. Safe to share between threads; each journal has its own connection.
///
/// The performances this store began or claimed stay owned (their locks held) until their finish
/// is recorded or both the store and their journals are dropped.
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
    owners: Owners,
    owned: Mutex<HashMap<String, Ownership>>,
    checkpoints: checkpoint::Checkpoints,
}

// The schema's owner_pid, owner_boot and owner_start columns are written for whoever inspects
// the file by hand but never read: the lock alone says whether the owner is alive.
const SUMMARY_COLUMNS: &str =
    "id, title, score_path, started_ms, finished_ms, outcome, tokens, cost_usd, offline, seed, forked_from, forked_player, players, never_cued, carried";

impl Store {
    /// The default file: `$ENSEMBLE_DB` when set, else `performances.sqlite3` under the user's
    /// data directory (the current directory when the system names none).
    pub fn default_path() -> PathBuf {
        if let Some(path) = std::env::var_os("ENSEMBLE_DB").filter(|p| !p.is_empty()) {
            return PathBuf::from(path);
        }
        directories::ProjectDirs::from("studio", "ensemble", "Ensemble Studio")
            .map(|dirs| dirs.data_dir().join("performances.sqlite3"))
            .unwrap_or_else(|| PathBuf::from("performances.sqlite3"))
    }

    /// Opens (creating and migrating as needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            // Private: the store holds every prompt and answer of every performance.
            create_private_dir(parent).map_err(|e| StoreError::Sqlite {
                path: path.to_path_buf(),
                message: format!("cannot create the folder {}: {e}", parent.display()),
            })?;
        }
        let mut conn = connect(path)?;
        migrate::migrate(&mut conn).map_err(|e| match e {
            migrate::MigrateError::Newer(version) => StoreError::Sqlite {
                path: path.to_path_buf(),
                message: format!(
                    "was written by a newer version of Ensemble Studio (schema version {version}, this build knows up to {}); \
                     upgrade Ensemble Studio, or use another file with --db",
                    migrate::VERSION
                ),
            },
            migrate::MigrateError::Sqlite(e) => sqlite_error(path, e),
        })?;
        Ok(Store {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
            owners: Owners::beside(path),
            owned: Mutex::default(),
            checkpoints: checkpoint::Checkpoints::start(path),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a new performance owned by this store: its lock is taken before the row exists,
    /// so nobody ever sees it without an owner.
    pub fn begin(&self, performance: &NewPerformance) -> Result<(), StoreError> {
        self.insert(performance, None)
    }

    /// Records a new performance forked from performance `from`, re-run from `player`, as
    /// [`Store::begin`] does; the link is part of the row from the start.
    pub fn begin_fork(&self, performance: &NewPerformance, from: &str, player: &str) -> Result<(), StoreError> {
        self.insert(performance, Some((from, player)))
    }

    fn insert(&self, performance: &NewPerformance, fork: Option<(&str, &str)>) -> Result<(), StoreError> {
        let ownership = self.take(&performance.id)?;
        let (forked_from, forked_player) = fork.unzip();
        self.with(|conn| {
            conn.execute(
                "INSERT INTO performances (id, title, score_path, score_toml, offline, seed, started_ms, owner_pid, owner_boot, owner_start, forked_from, forked_player)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '', NULL, ?9, ?10)",
                params![
                    performance.id,
                    performance.title,
                    performance.score_path,
                    performance.score_toml,
                    performance.offline,
                    performance.seed as i64,
                    now_ms() as i64,
                    std::process::id(),
                    forked_from,
                    forked_player,
                ],
            )
            .map(|_| ())
        })?;
        self.keep(&performance.id, ownership);
        Ok(())
    }

    /// Every performance, newest first.
    pub fn list(&self) -> Result<Vec<Summary>, StoreError> {
        self.with(|conn| {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT {SUMMARY_COLUMNS} FROM performances ORDER BY started_ms DESC, id DESC"))?;
            let rows = stmt.query_map([], |row| summary_from_row(row, &self.owners))?;
            rows.collect()
        })
    }

    pub fn summary(&self, id: &str) -> Result<Summary, StoreError> {
        self.with(|conn| {
            conn.query_row(&format!("SELECT {SUMMARY_COLUMNS} FROM performances WHERE id = ?1"), [id], |row| {
                summary_from_row(row, &self.owners)
            })
            .optional()
        })?
        .ok_or_else(|| StoreError::NotFound(id.to_string()))
    }

    pub fn score_toml(&self, id: &str) -> Result<String, StoreError> {
        self.with(|conn| conn.query_row("SELECT score_toml FROM performances WHERE id = ?1", [id], |r| r.get(0)).optional())?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))
    }

    /// The performance's events in `seq` order.
    pub fn events(&self, id: &str) -> Result<Vec<Event>, StoreError> {
        self.summary(id)?;
        let batches: Vec<(i64, String)> = self.with(|conn| {
            let mut stmt = conn.prepare_cached("SELECT first_seq, json FROM event_batches WHERE performance_id = ?1 ORDER BY first_seq")?;
            let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })?;
        let mut events = Vec::new();
        for (first, json) in batches {
            let batch: Vec<Event> = serde_json::from_str(&json).map_err(|e| StoreError::Sqlite {
                path: self.path.clone(),
                message: format!("events from {first} on of performance {id} cannot be read ({e}); were they written by a newer version?"),
            })?;
            events.extend(batch);
        }
        Ok(events)
    }

    /// Makes this store the owner of an interrupted performance so it can be resumed.
    /// Refuses a finished performance and one whose owner is still conducting it.
    ///
    /// The finish is read inside a write transaction, and an owner releases its lock only after
    /// its finish is committed, so a claim never sees a performance as both unfinished and free
    /// while its owner is still at work.
    pub fn claim(&self, id: &str) -> Result<(), StoreError> {
        let mut conn = self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut run = || -> Result<Result<Ownership, StoreError>, rusqlite::Error> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row: Option<(Option<i64>, Option<String>)> = tx
                .query_row("SELECT finished_ms, outcome FROM performances WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((finished_ms, outcome)) = row else { return Ok(Err(StoreError::NotFound(id.to_string()))) };
            if finished_ms.is_some() {
                let reason =
                    format!("already finished ({}); there is nothing to resume", outcome.as_deref().unwrap_or("no outcome"));
                return Ok(Err(StoreError::NotResumable { id: id.to_string(), reason }));
            }
            let ownership = match self.take(id) {
                Ok(ownership) => ownership,
                Err(refused) => return Ok(Err(refused)),
            };
            // Informational only (see SUMMARY_COLUMNS): which process conducts it now.
            tx.execute(
                "UPDATE performances SET owner_pid = ?2, owner_boot = '', owner_start = NULL WHERE id = ?1",
                params![id, std::process::id()],
            )?;
            tx.commit()?;
            Ok(Ok(ownership))
        };
        let ownership = run().map_err(|e| sqlite_error(&self.path, e))??;
        drop(conn);
        self.keep(id, ownership);
        Ok(())
    }

    /// Takes the lock of `id` for this store; a lock someone holds means the performance is
    /// being conducted.
    fn take(&self, id: &str) -> Result<Ownership, StoreError> {
        self.owners.take(id).map_err(|e| match e {
            TakeError::Held => StoreError::NotResumable {
                id: id.to_string(),
                reason: "is still running in another process; cut it off there first".to_string(),
            },
            TakeError::Io(e) => StoreError::Lock {
                path: self.path.clone(),
                message: format!("cannot lock performance {id} in {}: {e}", self.owners.dir().display()),
            },
        })
    }

    fn keep(&self, id: &str, ownership: Ownership) {
        self.owned.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(id.to_string(), ownership);
    }

    /// A journal that appends this performance's events to the store (its own connection).
    /// When this store owns the performance, the journal shares the ownership: the performance
    /// stays owned while the journal lives, even once the store is dropped, and recording its
    /// finish gives the ownership up.
    pub fn journal(&self, id: &str) -> Result<Box<dyn Journal>, StoreError> {
        self.summary(id)?;
        let conn = connect(&self.path)?;
        let ownership = self.owned.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(id).cloned();
        Ok(Box::new(journal::StoreJournal {
            conn,
            id: id.to_string(),
            ownership,
            json: Vec::new(),
            checkpoints: self.checkpoints.clone(),
        }))
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        // A panic while holding the lock cannot leave the connection half-changed: every write is
        // one statement or one transaction, which SQLite rolls back if it was not committed.
        let conn = self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&conn).map_err(|e| sqlite_error(&self.path, e))
    }
}

/// Opens a connection with the settings every connection to the store uses.
pub(crate) fn connect(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| sqlite_error(path, e))?;
    let setup = || -> rusqlite::Result<()> {
        conn.busy_timeout(Duration::from_secs(10))?;
        // Checks the file really is a database before anything else touches it.
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // The store's checkpoint thread checkpoints instead, when a journal asks: no commit waits
        // for one (see checkpoint.rs). The last connection to close checkpoints too.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "journal_size_limit", checkpoint::KEEP_BYTES)?;
        Ok(())
    };
    setup().map_err(|e| sqlite_error(path, e))?;
    Ok(conn)
}

fn summary_from_row(row: &Row, owners: &Owners) -> rusqlite::Result<Summary> {
    let id: String = row.get(0)?;
    let finished_ms: Option<i64> = row.get(4)?;
    let status = if finished_ms.is_some() {
        Status::Finished
    } else if owners.is_held(&id) {
        Status::Running
    } else {
        Status::Interrupted
    };
    let outcome: Option<String> = row.get(5)?;
    let (players, never_cued, carried): (Option<u32>, Option<u32>, Option<u32>) = (row.get(12)?, row.get(13)?, row.get(14)?);
    let outcome_summary = outcome.as_deref().map(|word| {
        match serde_json::from_value::<ensemble_conductor::Outcome>(serde_json::Value::String(word.to_string())) {
            Ok(known) => known.summary(players.unwrap_or(0), never_cued.unwrap_or(0), carried.unwrap_or(0)),
            // An outcome a newer version wrote: shown as it was recorded.
            Err(_) => word.to_string(),
        }
    });
    Ok(Summary {
        id,
        title: row.get(1)?,
        score_path: row.get(2)?,
        started_ms: row.get::<_, i64>(3)? as u64,
        finished_ms: finished_ms.map(|ms| ms as u64),
        status,
        outcome,
        tokens: row.get::<_, i64>(6)? as u64,
        cost_usd: row.get(7)?,
        offline: row.get(8)?,
        seed: row.get::<_, i64>(9)? as u64,
        forked_from: row.get(10)?,
        forked_player: row.get(11)?,
        players,
        never_cued,
        carried,
        outcome_summary,
    })
}

fn sqlite_error(path: &Path, e: rusqlite::Error) -> StoreError {
    let message = match &e {
        rusqlite::Error::SqliteFailure(err, _) if err.code == rusqlite::ErrorCode::NotADatabase => {
            "is not a performance store (not an SQLite database); use another file with --db".to_string()
        }
        _ => e.to_string(),
    };
    StoreError::Sqlite { path: path.to_path_buf(), message }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}
