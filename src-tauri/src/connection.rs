//! "Test connection" in the instrument inspector: a thin adapter over
//! `ensemble_api::connection::test`, which sends a named key only to a host the user allowed.

use ensemble_score::Instrument;
use tauri::State;

use crate::error::UiResult;
use crate::studio::Studio;

/// Asks the instrument's endpoint whether it answers and serves the model; a message either way.
#[tauri::command]
pub async fn test_connection(studio: State<'_, Studio>, instrument: Instrument) -> UiResult<String> {
    let store = studio.store()?;
    Ok(ensemble_api::connection::test(&store, &instrument).await?)
}
