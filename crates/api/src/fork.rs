//! Forking a recorded performance: re-running it from a chosen player.
//!
//! The fork is a new performance, linked to the one it was forked from. The chosen player and
//! every player its cues reach play again; every other player that ended in the recorded
//! performance is carried over (its recorded output taken as given, not played: see
//! `ensemble_conductor::carried_outputs`). Any recorded performance can be forked: finished,
//! failed, cut off, interrupted, or still running (what it had recorded so far is used).
//!
//! Which score plays: the one recorded with the performance, by default, so a fork replays the
//! same piece whatever became of the file. To hear a change (the usual reason to fork: a part
//! was rewritten), the person names the score file to play instead, as it is now; players are
//! then matched by id, and one the recorded performance does not have plays as any player would.
//! The fork plays from the folder of the score it plays, with the recorded performance's seed,
//! and needs trust like any performance unless it is rehearsed.

use std::path::PathBuf;

use ensemble_conductor::{Carried, Conductor, Options};
use ensemble_score::{LoadError, Score};
use ensemble_store::{NewPerformance, Store};

use crate::{ApiError, Staged, folder, resume, trust};

/// What to fork.
#[derive(Debug, Clone)]
pub struct ForkRequest {
    /// The recorded performance.
    pub performance: String,
    /// The player to re-run from.
    pub player: String,
    /// Play this score file as it is now instead of the score recorded with the performance.
    pub score_file: Option<PathBuf>,
}

/// A fork worked out and not yet begun: what it would play, so a front end can ask for trust
/// (and for people's answers) first.
pub struct Fork {
    pub from: String,
    pub player: String,
    /// The score the fork plays.
    pub score: Score,
    /// The file it belongs to, if any.
    pub path: Option<PathBuf>,
    /// The folder it plays from.
    pub base_dir: PathBuf,
    /// The players whose recorded outputs are taken as given.
    pub carried: Vec<Carried>,
    text: String,
    seed: u64,
}

/// Works out the fork: the score it plays and the outputs it carries over. Refuses a player the
/// score does not have, and a score with problems.
pub fn prepare(store: &Store, request: &ForkRequest) -> Result<Fork, ApiError> {
    let recorded = resume::recorded(store, &request.performance)?;
    let events = store.events(&request.performance)?;
    let (score, path, base_dir, text) = match &request.score_file {
        None => {
            let path = recorded.summary.score_path.as_ref().map(PathBuf::from);
            (recorded.score.clone(), path, recorded.base_dir.clone(), store.score_toml(&request.performance)?)
        }
        Some(file) => {
            let path = folder::absolute(file);
            // Loading validates the score against its folder; played as loaded, it records the
            // file's own text.
            let loaded = match ensemble_score::load(&path) {
                Ok(loaded) => loaded,
                Err(LoadError::Invalid { problems, .. }) => return Err(ApiError::Invalid { problems }),
                Err(LoadError::Io { source, .. }) => {
                    return Err(ApiError::File { path: path.display().to_string(), message: source.to_string() });
                }
            };
            (loaded.score, Some(path.clone()), folder::of(Some(&path)), loaded.text)
        }
    };
    let carried = ensemble_conductor::carried_outputs(&recorded.score, &events, &score, &request.player).ok_or_else(|| {
        ApiError::UnknownPlayer { player: request.player.clone(), players: score.players.iter().map(|p| p.id.clone()).collect() }
    })?;
    Ok(Fork {
        from: request.performance.clone(),
        player: request.player.clone(),
        score,
        path,
        base_dir,
        carried,
        text,
        seed: recorded.summary.seed,
    })
}

/// Checks trust (unless `offline`), records the fork as a new performance linked to the one it
/// comes from, and stages it. Nothing is recorded when it is refused.
pub fn begin(store: &Store, fork: Fork, offline: bool) -> Result<Staged, ApiError> {
    if !offline {
        trust::ensure(store, &fork.score, &fork.base_dir)?;
    }
    let id = ulid::Ulid::new().to_string();
    let new = NewPerformance {
        id: id.clone(),
        title: fork.score.title.clone(),
        score_path: fork.path.as_ref().map(|p| p.display().to_string()),
        score_toml: fork.text,
        offline,
        seed: fork.seed,
    };
    store.begin_fork(&new, &fork.from, &fork.player)?;
    let journal = store.journal(&id)?;
    let options = Options { performance: Some(id.clone()), base_dir: fork.base_dir, seed: fork.seed, offline, prior: vec![] };
    let players = fork.score.players.clone();
    let conductor = Conductor::new(fork.score, options, journal).carrying(fork.from, fork.carried);
    Ok(Staged::new(id, &players, conductor))
}

/// Prepares and begins a fork in one step.
pub fn fork(store: &Store, request: &ForkRequest, offline: bool) -> Result<Staged, ApiError> {
    begin(store, prepare(store, request)?, offline)
}

/// What a resumed fork carries over again (those already carried are not recorded twice):
/// worked out from the performance it was forked from, as when it began.
pub(crate) fn carried_again(store: &Store, score: &Score, from: &str, player: &str) -> Option<(String, Vec<Carried>)> {
    let original = resume::recorded(store, from).ok()?;
    let events = store.events(from).ok()?;
    let carried = ensemble_conductor::carried_outputs(&original.score, &events, score, player)?;
    Some((from.to_string(), carried))
}
