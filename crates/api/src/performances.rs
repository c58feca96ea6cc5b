//! Reading recorded performances back: the list, one summary, one performance's events.

use ensemble_conductor::Event;
use ensemble_store::{Store, Summary};

use crate::ApiError;

/// Every performance, newest first.
pub fn list(store: &Store) -> Result<Vec<Summary>, ApiError> {
    Ok(store.list()?)
}

pub fn summary(store: &Store, id: &str) -> Result<Summary, ApiError> {
    Ok(store.summary(id)?)
}

/// Every event of a performance in order, tokens included (a replay folds them).
pub fn events(store: &Store, id: &str) -> Result<Vec<Event>, ApiError> {
    Ok(store.events(id)?)
}
