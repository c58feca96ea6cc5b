//! The performance store: one SQLite file (WAL) holding every performance as an append-only
//! event log, plus a summary row per performance so lists are quick.
//!
//! An event is committed before the conductor hands it to anyone else (see
//! `ensemble_conductor::Journal`), so a process killed mid-performance loses nothing it showed.

use std::path::{Path, PathBuf};

use ensemble_conductor::{Event, Journal, JournalError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("performance store {path}: {message}")]
    Sqlite { path: PathBuf, message: String },
    #[error("no performance with id {0}")]
    NotFound(String),
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
}

/// The store, open.
pub struct Store {
    _private: (),
}

impl Store {
    /// The default file: `performances.sqlite3` under the user's data directory.
    pub fn default_path() -> PathBuf {
        todo!()
    }

    /// Opens (creating and migrating as needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let _ = path;
        todo!()
    }

    /// Records a new performance owned by this process.
    pub fn begin(&self, performance: &NewPerformance) -> Result<(), StoreError> {
        let _ = performance;
        todo!()
    }

    pub fn list(&self) -> Result<Vec<Summary>, StoreError> {
        todo!()
    }

    pub fn summary(&self, id: &str) -> Result<Summary, StoreError> {
        let _ = id;
        todo!()
    }

    pub fn score_toml(&self, id: &str) -> Result<String, StoreError> {
        let _ = id;
        todo!()
    }

    pub fn events(&self, id: &str) -> Result<Vec<Event>, StoreError> {
        let _ = id;
        todo!()
    }

    /// A journal that appends this performance's events to the store (its own connection).
    pub fn journal(&self, id: &str) -> Result<Box<dyn Journal>, StoreError> {
        let _ = id;
        todo!()
    }
}

#[allow(dead_code)]
fn journal_error(e: rusqlite::Error) -> JournalError {
    JournalError(e.to_string())
}
