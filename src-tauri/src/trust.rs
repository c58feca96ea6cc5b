//! Trusting what a score would do before the studio lets it: a thin adapter over
//! `ensemble_api::trust`. The score's path says which folder it reads from, which is part of
//! what is trusted.

use std::path::Path;

use ensemble_api::folder;
use ensemble_api::trust::{self, ScoreTrust};
use ensemble_score::Score;
use tauri::State;

use crate::error::UiResult;
use crate::studio::{Studio, blocking};

/// What the score would run, send and read outside its folder, and whether the user trusted it.
#[tauri::command]
pub async fn score_trust(studio: State<'_, Studio>, score: Score, path: Option<String>) -> UiResult<ScoreTrust> {
    let store = studio.store()?;
    blocking(move || {
        let path = path.as_deref().map(Path::new);
        Ok(trust::check(&store, &score, &folder::of(path))?)
    })
    .await
}

/// Trusts all the score would do; `path` is where it is, and is remembered as where it came from.
#[tauri::command]
pub async fn trust_score(studio: State<'_, Studio>, score: Score, path: Option<String>) -> UiResult<()> {
    let store = studio.store()?;
    blocking(move || {
        let path = path.as_deref().map(Path::new);
        Ok(trust::trust(&store, &score, &folder::of(path), path)?)
    })
    .await
}
