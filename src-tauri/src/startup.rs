//! What the studio needs to know when its window first asks: a file named on the command line,
//! work left unsaved by an earlier crash, and whether the test-only path field is wanted.

use ensemble_api::launch::{self, FileKind};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use ts_rs::TS;

use crate::autosave::{self, Recovered};
use crate::error::UiResult;
use crate::studio::blocking;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Startup {
    /// The score or bundle named on the command line (the first, when several were), made
    /// absolute: also how a file manager opens a file with the studio.
    pub initial_path: Option<String>,
    /// How `initial_path` opens: a bundle is unpacked into a folder the person picks first.
    pub initial_kind: Option<FileKind>,
    /// The newest autosaved work from an earlier run that was never saved or discarded; once it
    /// is saved or discarded, the next older one (if any) is offered at the next start.
    pub recovered: Option<Recovered>,
    /// `ENSEMBLE_TEST_PATHS=1`: the UI offers a plain path field instead of native dialogs,
    /// which WebDriver cannot drive.
    pub test_paths: bool,
}

/// A file named on the command line (also how end-to-end tests open one), and autosaved unsaved
/// work found from a previous crash.
#[tauri::command]
pub async fn startup(app: AppHandle) -> UiResult<Startup> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let initial = launch::files_to_open(std::env::args_os().skip(1), &cwd).into_iter().next();
    let folder = autosave::folder(&app.path().app_data_dir()?);
    let recovered = blocking(move || Ok(autosave::recover(&folder).into_iter().next())).await?;
    Ok(Startup {
        initial_kind: initial.as_ref().map(|file| file.kind),
        initial_path: initial.map(|file| file.path),
        recovered,
        test_paths: std::env::var("ENSEMBLE_TEST_PATHS").is_ok_and(|v| v == "1"),
    })
}
