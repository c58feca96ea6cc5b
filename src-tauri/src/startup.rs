//! What the studio needs to know when its window first asks: a file named on the command line,
//! work left unsaved by an earlier crash, and whether the test-only path field is wanted.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::{AppHandle, Manager};
use ts_rs::TS;

use crate::autosave::{self, Recovered};
use crate::error::UiResult;
use crate::studio::blocking;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Startup {
    /// The score file named on the command line, made absolute.
    pub initial_path: Option<String>,
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
    let initial_path = initial_path(std::env::args_os().skip(1), &cwd).map(|p| p.display().to_string());
    let folder = autosave::folder(&app.path().app_data_dir()?);
    let recovered = blocking(move || Ok(autosave::recover(&folder).into_iter().next())).await?;
    Ok(Startup {
        initial_path,
        recovered,
        test_paths: std::env::var("ENSEMBLE_TEST_PATHS").is_ok_and(|v| v == "1"),
    })
}

/// The first argument that is not a flag, as an absolute path. Flags (`-x`, `--x`) are skipped
/// so platform launchers that add their own switches do not become "files".
pub fn initial_path(args: impl IntoIterator<Item = OsString>, cwd: &Path) -> Option<PathBuf> {
    let arg = args.into_iter().find(|a| !a.to_string_lossy().starts_with('-'))?;
    let path = PathBuf::from(arg);
    Some(if path.is_absolute() { path } else { cwd.join(path) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_first_non_flag_argument_is_the_initial_path() {
        let cwd = Path::new("/home/ann/scores");
        assert_eq!(
            initial_path(args(&["--verbose", "band.score.toml", "other.toml"]), cwd),
            Some(PathBuf::from("/home/ann/scores/band.score.toml"))
        );
        assert_eq!(initial_path(args(&["/tmp/x.score.toml"]), cwd), Some(PathBuf::from("/tmp/x.score.toml")));
    }

    #[test]
    fn no_path_without_a_non_flag_argument() {
        assert_eq!(initial_path(args(&["-v", "--flag"]), Path::new("/")), None);
        assert_eq!(initial_path(args(&[]), Path::new("/")), None);
    }
}
