//! Trusting what a score runs before the studio runs it: a thin adapter over `ensemble_api::trust`.

use std::path::Path;

use ensemble_api::trust::{self, ScoreTrust};
use ensemble_score::Score;
use tauri::State;

use crate::error::UiResult;
use crate::studio::{Studio, blocking};

/// Whether the score runs programs, and whether the user has trusted exactly those.
#[tauri::command]
pub async fn score_trust(studio: State<'_, Studio>, score: Score) -> UiResult<ScoreTrust> {
    let store = studio.store()?;
    blocking(move || Ok(trust::check(&store, &score)?)).await
}

/// Trusts exactly the programs this score runs; `path` is remembered as where they came from.
#[tauri::command]
pub async fn trust_score(studio: State<'_, Studio>, score: Score, path: Option<String>) -> UiResult<()> {
    let store = studio.store()?;
    blocking(move || Ok(trust::trust(&store, &score, path.as_deref().map(Path::new))?)).await
}
