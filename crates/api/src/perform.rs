//! Beginning a performance, and conducting one that is staged.
//!
//! Both front ends perform through [`begin`] (a new performance; [`begin_loaded`] when the score
//! file was just loaded, so its work is not done twice) or
//! [`resume`](crate::resume::resume) (an interrupted one), then [`Staged::run`]: so the same file
//! is recorded with the same text and path, trust is checked the same way, and every event is
//! committed to the store before a front end sees it (the conductor's journal rule).

use std::path::{Path, PathBuf};

use ensemble_conductor::{Conductor, Control, Event, Options, Outcome};
use ensemble_score::{Loaded, Player, Score};
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
    let base_dir = folder::of(request.path.as_deref());
    refuse_problems(&request.score, &base_dir)?;
    stage(store, request, base_dir, recorded_text)
}

/// Like [`begin`], for a score file just read by [`ensemble_score::load`] (which validated it
/// against its folder) and played from that file (`request.path`). The work `load` did is not
/// done again: the score is validated only if it was changed since (e.g. played on another
/// endpoint), and the text to record is decided from the text read, not by reading and parsing
/// the file a second time. What is recorded is what [`begin`] would record.
pub fn begin_loaded(store: &Store, loaded: &Loaded, request: PerformRequest) -> Result<Staged, ApiError> {
    let from_loaded_file = request.path.as_deref().map(folder::absolute) == Some(folder::absolute(&loaded.path));
    if !from_loaded_file {
        return begin(store, request);
    }
    let base_dir = folder::of(request.path.as_deref());
    if request.score != loaded.score {
        refuse_problems(&request.score, &base_dir)?;
    }
    stage(store, request, base_dir, |score, _| text_to_record(score, Some(&loaded.text), Some(&loaded.score)))
}

fn refuse_problems(score: &Score, base_dir: &Path) -> Result<(), ApiError> {
    let problems = ensemble_score::validate(score, Some(base_dir));
    if problems.is_empty() { Ok(()) } else { Err(ApiError::Invalid { problems }) }
}

/// Checks trust (unless offline), records the new performance with the text `recorded` gives
/// for its score and absolute path, and stages it. The score has been validated.
fn stage(
    store: &Store,
    request: PerformRequest,
    base_dir: PathBuf,
    recorded: impl FnOnce(&Score, Option<&Path>) -> Result<String, ApiError>,
) -> Result<Staged, ApiError> {
    let PerformRequest { score, path, offline, seed } = request;
    let path = path.map(|p| folder::absolute(&p));
    if !offline {
        trust::ensure(store, &score, &base_dir)?;
    }
    let id = ulid::Ulid::new().to_string();
    store.begin(&NewPerformance {
        id: id.clone(),
        title: score.title.clone(),
        score_path: path.as_ref().map(|p| p.display().to_string()),
        score_toml: recorded(&score, path.as_deref())?,
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
    let on_disk = file_text.as_deref().and_then(|text| ensemble_score::parse(text, None).ok());
    text_to_record(score, file_text.as_deref(), on_disk.as_ref())
}

/// [`recorded_text`] from the file's text and the score that text reads as (`None` when it
/// does not read as one).
fn text_to_record(score: &Score, file_text: Option<&str>, on_disk: Option<&Score>) -> Result<String, ApiError> {
    if let (Some(text), Some(on_disk)) = (file_text, on_disk) {
        if on_disk == score {
            return Ok(text.to_string());
        }
        let mut placed = on_disk.clone();
        ensemble_score::place_unplaced(&mut placed);
        if &placed == score {
            return Ok(text.to_string());
        }
    }
    ensemble_score::to_toml(score, file_text)
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
        // Spawned, so the conductor runs on a worker of the runtime and each player's task, spawned
        // from there, runs beside it. Polled here instead, on the thread that blocks on the
        // runtime (as `ensemble run` does), it handed every player to another thread and waited
        // to be woken for each report: several times slower per cue (bench/README.md).
        // Aborted if this future is dropped, as the conductor polled here would have been.
        let mut conducting = tokio_util::task::AbortOnDropHandle::new(tokio::spawn(conductor.run()));
        let outcome = loop {
            tokio::select! {
                biased;
                Some(event) = events.recv() => forward(event),
                outcome = &mut conducting => {
                    // Only a bug in the conductor ends its task otherwise; what it recorded stands.
                    break outcome.unwrap_or(Outcome::Failed);
                }
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
