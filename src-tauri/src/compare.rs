//! Comparing recorded performances and reading each player's part: thin adapters over
//! `ensemble_api::compare` and `ensemble_api::players`, off the main thread.

use ensemble_api::compare::Comparison;
use ensemble_api::players::PlayerRun;
use tauri::State;

use crate::error::UiResult;
use crate::studio::{Studio, blocking};

/// Performance `left` and performance `right` side by side: each player's outcome, output (word
/// by word), choruses, time, tokens and cost, and the recorded scores line by line.
#[tauri::command]
pub async fn compare_performances(studio: State<'_, Studio>, left: String, right: String) -> UiResult<Comparison> {
    let store = studio.store()?;
    blocking(move || Ok(ensemble_api::compare::compare(&store, &left, &right)?)).await
}

/// The performance of the same score that started just before `id`, if any: what "compare with
/// the previous one" compares with.
#[tauri::command]
pub async fn previous_performance(studio: State<'_, Studio>, id: String) -> UiResult<Option<String>> {
    let store = studio.store()?;
    blocking(move || Ok(ensemble_api::compare::previous(&store, &id)?)).await
}

/// Each player's part in performance `id`: outcome, output, choruses, time, tokens, cost (failed
/// and retried attempts included) and the shared-context version it played from.
#[tauri::command]
pub async fn performance_players(studio: State<'_, Studio>, id: String) -> UiResult<Vec<PlayerRun>> {
    let store = studio.store()?;
    blocking(move || Ok(ensemble_api::players::of_performance(&store, &id)?)).await
}
