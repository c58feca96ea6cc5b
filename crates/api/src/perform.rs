//! Beginning a performance, and conducting one that is staged.
//!
//! Both front ends perform through [`begin`] (a new performance) or
//! [`resume`](crate::resume::resume) (an interrupted one), then [`Staged::run`]: so the same file
//! is recorded with the same text and path, trust is checked the same way, and every event is
//! committed to the store before a front end sees it (the conductor's journal rule).

use std::path::{Path, PathBuf};

use ensemble_conductor::{Conductor, Control, Event, Options, Outcome};
use ensemble_score::{Player, Score};
use ensemble_store::{NewPerformance, Store};

use crate::{ApiError, folder, trust};

/// What to perform.
#[derive(Debug, Clone)]
pub struct PerformRequest {
    /// The score as it is to be played (it may differ from the file: unsaved edits, `--endpoint`).
    pub score: Score,
    /// The file it belongs to, if it was ever saved: its folder is where the score reads from.
    pub path: Option<PathBuf>,
    /// Swap every instrument for rehearsal: no model, program or person is used.
    pub offline: bool,
    /// Seed for rehearsal instruments.
    pub seed: u64,
}

/// A performance recorded in the store and ready to be conducted.
pub struct Staged {
    pub id: String,
    /// The score's player ids, in score order, for a front end's display.
    players: Vec<String>,
    conductor: Conductor,
}

/// Validates the score, checks trust (unless offline), records the new performance and stages it.
/// Nothing is recorded when it is refused.
pub fn begin(store: &Store, request: PerformRequest) -> Result<Staged, ApiError> {
    let PerformRequest { score, path, offline, seed } = request;
    let path = path.map(|p| folder::absolute(&p));
    let base_dir = folder::of(path.as_deref());
    let problems = ensemble_score::validate(&score, Some(&base_dir));
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    if !offline {
        trust::ensure(store, &score, &base_dir)?;
    }
    let id = ulid::Ulid::new().to_string();
    store.begin(&NewPerformance {
        id: id.clone(),
        title: score.title.clone(),
        score_path: path.as_ref().map(|p| p.display().to_string()),
        score_toml: recorded_text(&score, path.as_deref())?,
        offline,
        seed,
    })?;
    let journal = store.journal(&id)?;
    let options = Options { performance: Some(id.clone()), base_dir, seed, offline, prior: vec![] };
    let players = score.players.clone();
    Ok(Staged::new(id, &players, Conductor::new(score, options, journal)))
}

/// The text a performance records: the file's own text when the score is what the file says
/// (comments and all; canvas places the studio filled in on opening do not count as a change),
/// else the score's canonical text with the file's comments carried over.
pub fn recorded_text(score: &Score, path: Option<&Path>) -> Result<String, ApiError> {
    let file_text = path.and_then(|p| std::fs::read_to_string(p).ok());
    if let Some(text) = &file_text
        && let Ok(mut on_disk) = ensemble_score::parse(text, None)
    {
        let as_written = &on_disk == score;
        ensemble_score::place_unplaced(&mut on_disk);
        if as_written || &on_disk == score {
            return Ok(text.clone());
        }
    }
    ensemble_score::to_toml(score, file_text.as_deref())
        .map_err(|e| ApiError::File { path: "(score)".into(), message: format!("cannot record the score: {e}") })
}

impl Staged {
    pub(crate) fn new(id: String, players: &[Player], conductor: Conductor) -> Staged {
        Staged { id, players: players.iter().map(|p| p.id.clone()).collect(), conductor }
    }

    /// The ids of the players, in score order.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// Plays every attempt within `limits` instead of the defaults (how long a server may stay
    /// silent, how much output one attempt may produce).
    pub fn with_limits(self, limits: ensemble_instruments::Limits) -> Staged {
        Staged { conductor: self.conductor.with_limits(limits), ..self }
    }

    /// The conductor's hands for this performance (pause, step, cut off, answers...).
    pub fn control(&self) -> Control {
        self.conductor.control()
    }

    /// Conducts the performance to its end, handing `forward` every event in order as soon as it
    /// is recorded; returns once the last event has been forwarded.
    pub async fn run(self, mut forward: impl FnMut(Event) + Send) -> Outcome {
        let Staged { mut conductor, .. } = self;
        let mut events = conductor.subscribe();
        let conducting = conductor.run();
        tokio::pin!(conducting);
        let outcome = loop {
            tokio::select! {
                biased;
                Some(event) = events.recv() => forward(event),
                outcome = &mut conducting => break outcome,
            }
        };
        // The conductor has ended and dropped its side of the channel; what it recorded last is
        // still queued.
        while let Some(event) = events.recv().await {
            forward(event);
        }
        outcome
    }

    /// Conducts the performance to its end like [`Staged::run`], handing `forward` the events in
    /// batches, at most one per `frame` (see [`crate::frames`]): for a window that redraws once a
    /// frame. Returns once the last batch has been forwarded.
    pub async fn run_in_frames(self, frame: std::time::Duration, forward: impl FnMut(Vec<Event>) + Send) -> Outcome {
        let Staged { mut conductor, .. } = self;
        let events = conductor.subscribe();
        let (outcome, ()) = tokio::join!(conductor.run(), crate::frames::in_frames(events, frame, forward));
        outcome
    }
}
