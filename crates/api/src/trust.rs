//! Trusting what a score runs before it runs.
//!
//! A score opened from elsewhere may name command-line programs. They run only after the user
//! trusts that exact set (by fingerprint, kept in the performance store, which the studio and the
//! CLI share). Performing offline runs no program and needs no trust.

use std::path::Path;

use ensemble_score::Score;
use ensemble_store::Store;
use serde::Serialize;
use ts_rs::TS;

use crate::{ApiError, folder};

/// Whether a score runs programs, and whether the user has trusted them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ScoreTrust {
    /// The score runs at least one program (a `command` instrument).
    pub needed: bool,
    /// The user has trusted exactly these programs.
    pub trusted: bool,
    /// Each program as `player: program arg…`.
    pub programs: Vec<String>,
}

/// What the score runs and whether that is trusted.
pub fn check(store: &Store, score: &Score) -> Result<ScoreTrust, ApiError> {
    let programs = ensemble_score::programs(score);
    let trusted = match ensemble_score::programs_fingerprint(score) {
        Some(fingerprint) => store.programs_trusted(&fingerprint)?,
        None => true,
    };
    Ok(ScoreTrust { needed: !programs.is_empty(), trusted, programs })
}

/// Trusts exactly the programs this score runs; `path` is remembered to say where they came from.
pub fn trust(store: &Store, score: &Score, path: Option<&Path>) -> Result<(), ApiError> {
    if let Some(fingerprint) = ensemble_score::programs_fingerprint(score) {
        let path = path.map(|p| folder::absolute(p).display().to_string());
        store.trust_programs(&fingerprint, path.as_deref())?;
    }
    Ok(())
}

/// Refuses a score whose programs the user has not trusted, listing them.
pub fn ensure(store: &Store, score: &Score) -> Result<(), ApiError> {
    let trust = check(store, score)?;
    if trust.trusted {
        return Ok(());
    }
    Err(ApiError::Untrusted { programs: trust.programs })
}
