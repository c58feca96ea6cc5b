//! What a studio window needs to know when its page first asks: the file it opens (named on the
//! command line, see `launch`), work left unsaved by an earlier crash, and whether the test-only
//! path field is wanted.

use ensemble_api::launch::FileKind;
use serde::Serialize;
use tauri::{AppHandle, Manager, State, WebviewWindow};
use ts_rs::TS;

use crate::autosave::{self, Recovered};
use crate::error::UiResult;
use crate::launch::{MAIN_WINDOW, OpenedFiles};
use crate::studio::blocking;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Startup {
    /// The score or bundle this window opens, made absolute: for the main window the first file
    /// named on the command line (also how a file manager opens files with the studio), for a
    /// window opened for a further file that file.
    pub initial_path: Option<String>,
    /// How `initial_path` opens: a bundle is unpacked into a folder the person picks first.
    pub initial_kind: Option<FileKind>,
    /// The newest autosaved work from an earlier run that was never saved or discarded; once it
    /// is saved or discarded, the next older one (if any) is offered at the next start. Offered
    /// in the main window only, so two windows never offer the same work.
    pub recovered: Option<Recovered>,
    /// `ENSEMBLE_TEST_PATHS=1`: the UI offers a plain path field instead of native dialogs,
    /// which WebDriver cannot drive.
    pub test_paths: bool,
}

/// The window's file (a file named on the command line is also how end-to-end tests open one),
/// and autosaved unsaved work found from a previous crash.
#[tauri::command]
pub async fn startup(app: AppHandle, window: WebviewWindow, opened: State<'_, OpenedFiles>) -> UiResult<Startup> {
    let initial = opened.started_with(window.label());
    let recovered = if window.label() == MAIN_WINDOW {
        let folder = autosave::folder(&app.path().app_data_dir()?);
        blocking(move || Ok(autosave::recover(&folder).into_iter().next())).await?
    } else {
        None
    };
    Ok(Startup {
        initial_kind: initial.as_ref().map(|file| file.kind),
        initial_path: initial.map(|file| file.path),
        recovered,
        test_paths: std::env::var("ENSEMBLE_TEST_PATHS").is_ok_and(|v| v == "1"),
    })
}
