//! Resuming a performance whose process died before it finished.
//!
//! Every event was recorded before anyone saw it, so the store holds all that happened: the
//! conductor is handed those events as its prior history and goes on from the last finished
//! cue, appending to the same record. The score played is the one recorded with the
//! performance, not whatever the file says now, so the resumed stretch plays the same piece;
//! what it runs, sends and reads needs trust exactly as when it began
//! (resolved against the folder it was performed from).

use std::path::PathBuf;

use ensemble_conductor::{Conductor, Options};
use ensemble_score::Score;
use ensemble_store::{Store, Summary};

use crate::{ApiError, Staged, folder, trust};

/// Stages the interrupted performance `id` and makes this process its owner. Refuses a finished
/// performance, one still being conducted, and one whose programs are not trusted (unless it
/// was a rehearsal), saying which.
pub fn resume(store: &Store, id: &str) -> Result<Staged, ApiError> {
    let Recorded { summary, score, base_dir } = recorded(store, id)?;
    if !summary.offline {
        trust::ensure(store, &score, &base_dir)?;
    }
    let prior = store.events(id)?;
    store.claim(id)?;
    let journal = store.journal(id)?;
    let options = Options { performance: Some(id.to_string()), base_dir, seed: summary.seed, offline: summary.offline, prior };
    let players = score.players.clone();
    // A fork carries over what it was forked with; what its first stretch recorded is not again.
    let carry = match (&summary.forked_from, &summary.forked_player) {
        (Some(from), Some(player)) => crate::fork::carried_again(store, &score, from, player),
        _ => None,
    };
    let mut conductor = Conductor::new(score, options, journal);
    if let Some((from, carried)) = carry {
        conductor = conductor.carrying(from, carried);
    }
    Ok(Staged::new(id.to_string(), &players, conductor))
}

/// A recorded performance's score as it was played, and the folder it plays from.
pub struct Recorded {
    pub summary: Summary,
    pub score: Score,
    pub base_dir: PathBuf,
}

/// Loads the score recorded with performance `id`, so a front end can ask what a resume needs
/// (trust, people to answer) before resuming.
pub fn recorded(store: &Store, id: &str) -> Result<Recorded, ApiError> {
    let summary = store.summary(id)?;
    let text = store.score_toml(id)?;
    let base_dir = folder::of_recorded(summary.score_path.as_deref());
    let score = ensemble_score::parse(&text, Some(&base_dir))
        .map_err(|problems| ApiError::RecordedScoreBroken { id: id.to_string(), problems })?;
    Ok(Recorded { summary, score, base_dir })
}
