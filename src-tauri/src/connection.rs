//! "Test connection" in the instrument inspector: can this instrument be reached from here?

use ensemble_score::Instrument;

use crate::error::{UiError, UiResult};

/// Asks the instrument's endpoint whether it answers and serves the model; a message either way.
#[tauri::command]
pub async fn test_connection(instrument: Instrument) -> UiResult<String> {
    ensemble_instruments::test_connection(&instrument).await.map_err(|e| UiError::new(e.to_string()))
}
