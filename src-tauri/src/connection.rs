//! "Test connection" in the instrument inspector: can this instrument be reached from here?

use ensemble_score::Instrument;

use crate::error::{UiError, UiResult};

#[tauri::command]
pub async fn test_connection(instrument: Instrument) -> UiResult<String> {
    ensemble_instruments::test_connection(&instrument).await.map_err(|e| UiError::new(e.to_string()))
}
