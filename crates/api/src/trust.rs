//! Trusting what a score would do on this machine before it does it.
//!
//! A score is untrusted input: until the user trusts it, it runs no program, sends no named key
//! to a host, and reads nothing outside its own folder (`ensemble_score::reach` lists all three,
//! ready to show). Trust is kept in the performance store, which the studio and the CLI share:
//!
//! - a score's whole reach is trusted by its full fingerprint, so any change to what runs, what is
//!   sent where, what is read, or the folders these resolve against asks again;
//! - trusting a score also lets each of its keys go to its host: a score whose only reach is
//!   sending keys to hosts the user already approved for those keys needs no new question (a
//!   key sent somewhere new always asks).
//!
//! A score in its own folder that talks to a model without a key (a local server) needs no trust.
//! Performing offline (rehearsal) runs, sends and reads nothing beyond the score and needs none.

use std::path::Path;

use ensemble_score::{KeySend, OutsideRead, ProgramRun, Reach, Score};
use ensemble_store::Store;
use serde::Serialize;
use ts_rs::TS;

use crate::{ApiError, folder};

/// What a score would do on this machine, and whether the user has trusted it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ScoreTrust {
    /// The score runs a program, sends a named key or reads outside its folder.
    pub needed: bool,
    /// The user has trusted all of it (or nothing needs trust).
    pub trusted: bool,
    /// Programs it runs, with their arguments quoted and escaped.
    pub programs: Vec<ProgramRun>,
    /// Keys it sends, and the host each goes to.
    pub key_sends: Vec<KeySend>,
    /// What it reads outside its own folder.
    pub outside_reads: Vec<OutsideRead>,
}

/// What the score in `score_dir` would do, and whether that is trusted.
pub fn check(store: &Store, score: &Score, score_dir: &Path) -> Result<ScoreTrust, ApiError> {
    let reach = ensemble_score::reach(score, score_dir);
    let trusted = is_trusted(store, score, &reach)?;
    let Reach { programs, key_sends, outside_reads, .. } = reach;
    let needed = !programs.is_empty() || !key_sends.is_empty() || !outside_reads.is_empty();
    Ok(ScoreTrust { needed, trusted, programs, key_sends, outside_reads })
}

fn is_trusted(store: &Store, score: &Score, reach: &Reach) -> Result<bool, ApiError> {
    if !reach.needs_trust() || store.score_trusted(&reach.fingerprint)? {
        return Ok(true);
    }
    // Keys alone: each already allowed to go to its host is enough.
    if reach.programs.is_empty() && reach.outside_reads.is_empty() {
        for (key, host) in ensemble_score::key_pairs(score) {
            if !store.key_host_trusted(&key, &host)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    Ok(false)
}

/// Trusts all the score in `score_dir` would do; `path` is remembered to say where it came from.
pub fn trust(store: &Store, score: &Score, score_dir: &Path, path: Option<&Path>) -> Result<(), ApiError> {
    let reach = ensemble_score::reach(score, score_dir);
    if reach.needs_trust() {
        let path = path.map(|p| folder::absolute(p).display().to_string());
        store.trust_score(&reach.fingerprint, path.as_deref(), &ensemble_score::key_pairs(score))?;
    }
    Ok(())
}

/// Refuses a score the user has not trusted, listing everything it would do.
pub fn ensure(store: &Store, score: &Score, score_dir: &Path) -> Result<(), ApiError> {
    let reach = ensemble_score::reach(score, score_dir);
    if is_trusted(store, score, &reach)? {
        return Ok(());
    }
    Err(ApiError::Untrusted { reach: reach.lines() })
}

/// Refuses to send `key` to `host` (a key one instrument or tool server would send) unless the
/// user allowed that key to go to that host; nothing to send is always fine.
pub fn ensure_key_send(store: &Store, send: Option<(String, String)>) -> Result<(), ApiError> {
    match send {
        Some((key, host)) if !store.key_host_trusted(&key, &host)? => {
            Err(ApiError::KeyNotTrusted { key: ensemble_score::quoted(&key), host: ensemble_score::quoted(&host) })
        }
        _ => Ok(()),
    }
}
