//! A score as a document: new, open, parse, validate, save, its canonical text and its context.
//!
//! A score that does not load is not a failed operation: it comes back with its text and every
//! problem, so a front end can show them beside the text and nothing the person wrote is lost.

use std::path::Path;

use ensemble_score::{FORMAT_VERSION, Intent, LoadError, Problem, Rule, Score, Target};
use serde::Serialize;
use ts_rs::TS;

use crate::{ApiError, folder};

/// A score read from a file or from text, with everything wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OpenedScore {
    pub path: Option<String>,
    pub text: String,
    /// Absent whenever there is a problem: never a half-loaded score.
    pub score: Option<Score>,
    /// With line and column.
    pub problems: Vec<Problem>,
}

/// What was written, as written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SavedScore {
    pub path: String,
    pub text: String,
}

/// The shared context's badge: which version every player receives, and how big it is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ContextBadge {
    pub version: String,
    #[ts(type = "number")]
    pub tokens_estimate: u64,
    /// Attached files.
    pub files: u32,
    pub problems: Vec<Problem>,
}

/// A blank score: the format this build writes, a title to rename, nothing else.
pub fn new_score() -> Score {
    Score {
        format: FORMAT_VERSION,
        title: "Untitled score".into(),
        intent: Intent::default(),
        context: Default::default(),
        tempo: Default::default(),
        sections: vec![],
        players: vec![],
        cues: vec![],
    }
}

/// Reads the score at `path`. Only a file that cannot be read at all is an error. Whatever the
/// file does not place on the canvas is placed (see `ensemble_score::layout`), so a score written
/// by hand opens as a picture, not a pile; positions the file has are kept.
pub fn open(path: &Path) -> Result<OpenedScore, ApiError> {
    let shown = path.display().to_string();
    match ensemble_score::load(path) {
        Ok(loaded) => {
            let mut score = loaded.score;
            ensemble_score::place_unplaced(&mut score);
            Ok(OpenedScore { path: Some(shown), text: loaded.text, score: Some(score), problems: vec![] })
        }
        Err(LoadError::Invalid { problems, .. }) => {
            // The file was read once already; a failure now means it vanished in between.
            let bytes = std::fs::read(path).map_err(|e| ApiError::File { path: shown.clone(), message: e.to_string() })?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Ok(OpenedScore { path: Some(shown), text, score: None, problems })
        }
        Err(LoadError::Io { source, .. }) => Err(ApiError::File { path: shown, message: source.to_string() }),
    }
}

/// Parses score text; attached files are checked beside `path` when it is given. Unplaced
/// sections and players are placed, as when opening a file.
pub fn parse(text: String, path: Option<&Path>) -> OpenedScore {
    let base_dir = path.map(|p| folder::of(Some(p)));
    let shown = path.map(|p| p.display().to_string());
    match ensemble_score::parse(&text, base_dir.as_deref()) {
        Ok(mut score) => {
            ensemble_score::place_unplaced(&mut score);
            OpenedScore { path: shown, text, score: Some(score), problems: vec![] }
        }
        Err(problems) => OpenedScore { path: shown, text, score: None, problems },
    }
}

/// The model rules a score breaks (no lines or columns: it did not come from text).
pub fn validate(score: &Score, path: Option<&Path>) -> Vec<Problem> {
    let base_dir = path.map(|p| folder::of(Some(p)));
    ensemble_score::validate(score, base_dir.as_deref())
}

/// Saves even a score with problems: a half-built ensemble is still work worth keeping.
/// Comments come from the file being replaced or, on "save as" to a new path, from `source`,
/// the file the score was opened from.
pub fn save(path: &Path, score: &Score, source: Option<&Path>) -> Result<SavedScore, ApiError> {
    let shown = path.display().to_string();
    let previous = std::fs::read_to_string(path).ok().or_else(|| source.and_then(|s| std::fs::read_to_string(s).ok()));
    ensemble_score::save(path, score, previous.as_deref())
        .map_err(|e| ApiError::File { path: shown.clone(), message: format!("could not save: {e}") })?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| ApiError::File { path: shown.clone(), message: format!("saved but could not read it back: {e}") })?;
    Ok(SavedScore { path: shown, text })
}

/// The canonical text of a score, for a preview or a copy.
pub fn text(score: &Score) -> Result<String, ApiError> {
    ensemble_score::to_toml(score, None).map_err(|e| ApiError::File { path: "(score)".into(), message: e.to_string() })
}

/// A score never saved has no folder, so its attached files cannot be found yet: the badge then
/// counts them and describes the rest of the context.
pub fn context_badge(score: &Score, path: Option<&Path>) -> ContextBadge {
    let files = u32::try_from(score.context.files.len()).unwrap_or(u32::MAX);
    let rendered = match path {
        Some(path) => {
            let dir = folder::of(Some(path));
            // Opening a score reads nothing outside its folder: that waits for trust (and a performance).
            let outside = ensemble_score::reach(score, &dir).outside_reads;
            if !outside.is_empty() {
                let message = format!(
                    "the score reads outside its folder ({}); its files are read once you trust it",
                    outside.iter().map(|read| format!("{} at {}", read.what, read.path)).collect::<Vec<_>>().join("; ")
                );
                let problem = Problem { rule: Rule::OutsideWorkspace, message, line: None, column: None, target: Target::Context };
                return ContextBadge { version: String::new(), tokens_estimate: 0, files, problems: vec![problem] };
            }
            ensemble_score::render_context(score, &dir)
        }
        None => {
            let mut unsaved = score.clone();
            unsaved.context.files.clear();
            ensemble_score::render_context(&unsaved, &std::env::temp_dir())
        }
    };
    match rendered {
        Ok(rendered) => ContextBadge { version: rendered.version, tokens_estimate: rendered.tokens_estimate, files, problems: vec![] },
        Err(problems) => ContextBadge { version: String::new(), tokens_estimate: 0, files, problems },
    }
}
