//! Commands on a score as a document: new, open, parse, validate, save, its text, its context.
//!
//! The engine does the work; these map its results to what the webview shows. A score that
//! does not load is not a failed command: it comes back with its text and every problem, so
//! the studio can show them beside the text and nothing the person wrote is lost.

use std::path::{Path, PathBuf};

use ensemble_score::{FORMAT_VERSION, Intent, LoadError, Problem, Score};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{UiError, UiResult};

/// A score read from a file or from text, with everything wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OpenedScore {
    pub path: Option<String>,
    pub text: String,
    /// Absent whenever there is a problem: never a half-loaded score.
    pub score: Option<Score>,
    /// With line and column.
    pub problems: Vec<Problem>,
}

/// What was written, as written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SavedScore {
    pub path: String,
    pub text: String,
}

/// The shared context's badge: which version every player receives, and how big it is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ContextBadge {
    pub version: String,
    #[ts(type = "number")]
    pub tokens_estimate: u64,
    /// Attached files.
    pub files: u32,
    pub problems: Vec<Problem>,
}

#[tauri::command]
pub fn new_score() -> Score {
    Score {
        format: FORMAT_VERSION,
        title: "Untitled score".into(),
        intent: Intent::default(),
        context: Default::default(),
        tempo: Default::default(),
        sections: vec![],
        players: vec![],
        cues: vec![],
    }
}

#[tauri::command]
pub fn open_score(path: String) -> UiResult<OpenedScore> {
    let file = PathBuf::from(&path);
    match ensemble_score::load(&file) {
        Ok(loaded) => Ok(OpenedScore { path: Some(path), text: loaded.text, score: Some(loaded.score), problems: vec![] }),
        Err(LoadError::Invalid { problems, .. }) => {
            // The file was read once already; a failure now means it vanished in between.
            let bytes = std::fs::read(&file).map_err(|e| UiError::new(format!("{path}: {e}")))?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Ok(OpenedScore { path: Some(path), text, score: None, problems })
        }
        Err(e @ LoadError::Io { .. }) => Err(e.into()),
    }
}

#[tauri::command]
pub fn parse_score(text: String, path: Option<String>) -> OpenedScore {
    let base_dir = path.as_deref().and_then(base_dir_of);
    match ensemble_score::parse(&text, base_dir.as_deref()) {
        Ok(score) => OpenedScore { path, text, score: Some(score), problems: vec![] },
        Err(problems) => OpenedScore { path, text, score: None, problems },
    }
}

#[tauri::command]
pub fn validate_score(score: Score, path: Option<String>) -> Vec<Problem> {
    let base_dir = path.as_deref().and_then(base_dir_of);
    ensemble_score::validate(&score, base_dir.as_deref())
}

/// Saves even a score with problems: a half-built ensemble is still work worth keeping.
#[tauri::command]
pub fn save_score(path: String, score: Score) -> UiResult<SavedScore> {
    let file = PathBuf::from(&path);
    let previous = std::fs::read_to_string(&file).ok();
    ensemble_score::save(&file, &score, previous.as_deref()).map_err(|e| UiError::new(format!("could not save {path}: {e}")))?;
    let text = std::fs::read_to_string(&file).map_err(|e| UiError::new(format!("saved {path} but could not read it back: {e}")))?;
    Ok(SavedScore { path, text })
}

#[tauri::command]
pub fn score_text(score: Score) -> UiResult<String> {
    Ok(ensemble_score::to_toml(&score, None)?)
}

/// A score never saved has no folder, so its attached files cannot be found yet: the badge then
/// counts them and describes the rest of the context.
#[tauri::command]
pub fn context_badge(score: Score, path: Option<String>) -> ContextBadge {
    let files = score.context.files.len() as u32;
    let (score, base_dir) = match path.as_deref().and_then(base_dir_of) {
        Some(dir) => (score, dir),
        None => {
            let mut score = score;
            score.context.files.clear();
            (score, std::env::temp_dir())
        }
    };
    match ensemble_score::render_context(&score, &base_dir) {
        Ok(rendered) => ContextBadge { version: rendered.version, tokens_estimate: rendered.tokens_estimate, files, problems: vec![] },
        Err(problems) => ContextBadge { version: String::new(), tokens_estimate: 0, files, problems },
    }
}

/// The folder a score file sits in: its workspace and attached files are relative to it.
pub fn base_dir_of(path: &str) -> Option<PathBuf> {
    let parent = Path::new(path).parent()?;
    Some(if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent.to_path_buf() })
}
