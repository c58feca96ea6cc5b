//! Autosave and recovery: unsaved work survives a crash.
//!
//! Each open document has a key (chosen by the UI). Its latest state is written as one JSON file
//! under `autosave/` in the app data folder, named by a hash of the key so any key is a safe file
//! name. The file is written to a temporary name and renamed, so a crash mid-write leaves the
//! previous state intact. Saving or closing a document discards its file; whatever is left at the
//! next start is offered back.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use ensemble_score::Score;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tauri::{AppHandle, Manager};
use ts_rs::TS;

use crate::error::UiResult;
use crate::studio::blocking;

/// One document's unsaved state, as autosaved and as offered back after a crash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Recovered {
    /// The UI's key for the document.
    pub key: String,
    /// Where the document was last opened from or saved to, if anywhere.
    pub path: Option<String>,
    pub score: Score,
    /// When it was autosaved, in milliseconds since the Unix epoch.
    #[ts(type = "number")]
    pub saved_ms: u64,
}

/// Writes the document's latest state under its key (the UI's key for the document).
#[tauri::command]
pub async fn autosave(app: AppHandle, key: String, score: Score, path: Option<String>) -> UiResult<()> {
    let folder = folder(&app.path().app_data_dir()?);
    let saved_ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
    blocking(move || Ok(write(&folder, &Recovered { key, path, score, saved_ms })?)).await
}

/// Forgets the autosaved state of a document, after it was saved or its recovery was declined.
#[tauri::command]
pub async fn discard_autosave(app: AppHandle, key: String) -> UiResult<()> {
    let folder = folder(&app.path().app_data_dir()?);
    blocking(move || Ok(discard(&folder, &key)?)).await
}

/// The autosave folder inside the app data folder.
pub fn folder(app_data_dir: &Path) -> PathBuf {
    app_data_dir.join("autosave")
}

fn file_for(folder: &Path, key: &str) -> PathBuf {
    let digest = Sha256::digest(key.as_bytes());
    folder.join(format!("{}.json", hex::encode(&digest[..12])))
}

pub fn write(folder: &Path, saved: &Recovered) -> std::io::Result<()> {
    // Private: unsaved scores may hold notes and parts nobody else should read.
    ensemble_store::create_private_dir(folder)?;
    let file = file_for(folder, &saved.key);
    let temporary = file.with_extension("json.partial");
    let json = serde_json::to_vec_pretty(saved).expect("a score always serialises to JSON: it has no maps with non-string keys");
    std::fs::write(&temporary, json)?;
    std::fs::rename(&temporary, &file)
}

/// Removes the document's autosave; a document never autosaved is not an error.
pub fn discard(folder: &Path, key: &str) -> std::io::Result<()> {
    match std::fs::remove_file(file_for(folder, key)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Every readable autosave in `folder`, newest first. Files that cannot be read are left in
/// place (never deleted: they may be someone's work) and skipped.
pub fn recover(folder: &Path) -> Vec<Recovered> {
    let mut scores: Vec<Recovered> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            match serde_json::from_slice::<Recovered>(&bytes) {
                Ok(saved) => Some(saved),
                Err(e) => {
                    eprintln!("autosave {} could not be read and is left in place: {e}", path.display());
                    None
                }
            }
        })
        .collect();
    scores.sort_by(|a, b| b.saved_ms.cmp(&a.saved_ms).then_with(|| a.key.cmp(&b.key)));
    scores
}

#[cfg(test)]
mod tests {
    use super::*;
    use ensemble_score::{Intent, FORMAT_VERSION};

    fn score(title: &str) -> Score {
        Score {
            format: FORMAT_VERSION,
            title: title.into(),
            intent: Intent { goal: "ship it".into(), ..Intent::default() },
            context: Default::default(),
            tempo: Default::default(),
            sections: vec![],
            players: vec![],
            cues: vec![],
        }
    }

    fn saved(key: &str, title: &str, saved_ms: u64) -> Recovered {
        Recovered { key: key.into(), path: Some(format!("/scores/{title}.score.toml")), score: score(title), saved_ms }
    }

    #[test]
    fn written_work_is_recovered_newest_first_and_discarded_work_is_gone() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let folder = folder(dir.path());
        assert!(recover(&folder).is_empty(), "nothing to recover before anything is written");

        write(&folder, &saved("doc-1", "older", 10)).expect("autosave writes");
        write(&folder, &saved("untitled:/weird key\\with*chars", "newer", 20)).expect("any key is a safe file name");
        write(&folder, &saved("doc-1", "older-edited", 30)).expect("autosave overwrites");

        let titles: Vec<String> = recover(&folder).into_iter().map(|s| s.score.title).collect();
        assert_eq!(titles, ["older-edited", "newer"]);

        discard(&folder, "doc-1").expect("discard removes the file");
        discard(&folder, "never-saved").expect("discarding a missing autosave is fine");
        let keys: Vec<String> = recover(&folder).into_iter().map(|s| s.key).collect();
        assert_eq!(keys, ["untitled:/weird key\\with*chars"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_autosave_folder_is_created_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let folder = folder(&dir.path().join("app-data"));
        write(&folder, &saved("doc-1", "draft", 10)).expect("autosave writes");
        let mode = std::fs::metadata(&folder).expect("the folder exists").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "unsaved work is for its owner's eyes only");
    }

    #[test]
    fn unreadable_files_are_skipped_and_kept() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let folder = folder(dir.path());
        write(&folder, &saved("good", "good", 1)).expect("autosave writes");
        let broken = folder.join("broken.json");
        std::fs::write(&broken, b"{ not json").expect("test file writes");

        let recovered = recover(&folder);
        assert_eq!(recovered.len(), 1);
        assert!(broken.exists(), "a file we cannot read may still be someone's work");
    }
}
