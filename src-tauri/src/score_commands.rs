//! Commands on a score as a document: new, open, parse, validate, save, its text, its context.
//! Each maps its arguments onto `ensemble_api::document`.

use std::path::{Path, PathBuf};

use ensemble_api::document::{self, ContextBadge, OpenedScore, SavedScore};
use ensemble_score::{Problem, Score};

use crate::error::UiResult;
use crate::studio::blocking;

/// A blank score.
#[tauri::command]
pub fn new_score() -> Score {
    document::new_score()
}

/// Reads a score file; a file with problems comes back with its text and every problem.
#[tauri::command]
pub async fn open_score(path: String) -> UiResult<OpenedScore> {
    blocking(move || Ok(document::open(Path::new(&path))?)).await
}

/// Parses score text; attached files are checked beside `path` when given.
#[tauri::command]
pub async fn parse_score(text: String, path: Option<String>) -> UiResult<OpenedScore> {
    blocking(move || Ok(document::parse(text, path.as_deref().map(Path::new)))).await
}

/// The model rules a score breaks (no line or column; `target` says which part).
#[tauri::command]
pub async fn validate_score(score: Score, path: Option<String>) -> UiResult<Vec<Problem>> {
    blocking(move || Ok(document::validate(&score, path.as_deref().map(Path::new)))).await
}

/// Saves canonically, keeping the comments of the file at `path` or else of `source`, the file
/// the score was opened from.
#[tauri::command]
pub async fn save_score(path: String, score: Score, source: Option<String>) -> UiResult<SavedScore> {
    blocking(move || Ok(document::save(&PathBuf::from(path), &score, source.as_deref().map(Path::new))?)).await
}

/// The canonical text of a score, for a preview or a copy.
#[tauri::command]
pub async fn score_text(score: Score) -> UiResult<String> {
    blocking(move || Ok(document::text(&score)?)).await
}

/// The shared context's version and size.
#[tauri::command]
pub async fn context_badge(score: Score, path: Option<String>) -> UiResult<ContextBadge> {
    blocking(move || Ok(document::context_badge(&score, path.as_deref().map(Path::new)))).await
}
