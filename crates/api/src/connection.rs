//! "Test connection": can this instrument be reached from here, without sending a key the user
//! has not let go to that host.
//!
//! Testing an instrument sends its key exactly as performing does, so it obeys the same trust:
//! a named key goes only to a host the user approved for it (by trusting a score that sends it
//! there, see [`crate::trust`]). Otherwise it is refused before any request is made.

use ensemble_score::Instrument;
use ensemble_store::Store;

use crate::ApiError;

/// Checks that `instrument` can be reached and would play; says what was found.
pub async fn test(store: &Store, instrument: &Instrument) -> Result<String, ApiError> {
    crate::trust::ensure_key_send(store, ensemble_score::key_send(instrument))?;
    ensemble_instruments::test_connection(instrument).await.map_err(|e| ApiError::Connection(e.to_string()))
}
