//! The studio's managed state: the performance store, opened once for the whole process, and
//! the stage of running performances; plus the one way commands leave the main thread.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use ensemble_conductor::Control;
use ensemble_store::Store;

use crate::error::{UiError, UiResult};

pub struct Studio {
    /// A store that cannot be opened (a broken file, a folder without rights) does not stop the
    /// window from opening: every command that needs it says why instead.
    store: Result<Arc<Store>, String>,
    pub stage: Stage,
}

impl Studio {
    pub fn open(path: &Path) -> Studio {
        Studio { store: Store::open(path).map(Arc::new).map_err(|e| e.to_string()), stage: Stage::default() }
    }

    pub fn store(&self) -> UiResult<Arc<Store>> {
        self.store.clone().map_err(UiError::new)
    }
}

/// The running performances, by performance id.
#[derive(Default)]
pub struct Stage {
    controls: Mutex<HashMap<String, Playing>>,
}

/// A running performance: its control handle and the window it streams to. Closing that window
/// cuts it off, as closing the studio does, so no performance plays on unseen.
#[derive(Clone)]
pub struct Playing {
    pub control: Control,
    pub window: String,
}

impl Stage {
    pub fn controls(&self) -> MutexGuard<'_, HashMap<String, Playing>> {
        // A panic while holding this lock cannot leave the map half-changed (each use is a
        // single insert, remove or lookup), so a poisoned lock is still safe to use.
        self.controls.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Runs work that touches the disk, SQLite, the keychain or a regex on the blocking pool, so
/// neither the window's main thread nor the async workers wait on it.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> UiResult<T> + Send + 'static) -> UiResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| UiError::new(format!("the work stopped unexpectedly: {e}")))?
}
