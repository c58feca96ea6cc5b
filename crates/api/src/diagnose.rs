//! Diagnosing an ensemble: its score, its latest recorded performances, its people's survey
//! answers and its earlier diagnoses, read from the store; the report recorded back, so the next
//! diagnosis shows the trend and which advice was followed.

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use ensemble_diagnostics::{DiagnosisRecord, Input, Performance, PersonAnswers, Report};
use ensemble_score::Score;
use ensemble_store::Store;

use crate::{ApiError, folder};

/// How many earlier diagnoses a trend is drawn over.
const HISTORY: usize = 50;

/// How many of the latest performances a diagnosis reads when not told: enough for tempo and
/// cohesion to show a tendency, few enough that an old version of the score does not dominate.
pub const DEFAULT_LAST: usize = 10;
/// How many it may be told to read: at least one, and at most a thousand, so that one request
/// cannot make a diagnosis read every event of a long-used store.
pub const LAST_RANGE: RangeInclusive<usize> = 1..=1000;

/// What to diagnose.
#[derive(Debug, Clone)]
pub struct DiagnoseRequest {
    pub score: Score,
    /// The score's file, if it was ever saved: performances recorded from it are this score's.
    pub path: Option<PathBuf>,
    /// How many of the latest performances to read (within `LAST_RANGE`; one outside is brought to its nearest end).
    pub last: usize,
    /// Answers to keep before diagnosing (from a returned survey file, or filled in the studio).
    pub survey: Vec<PersonAnswers>,
    /// The time the diagnosis is made, in milliseconds since the Unix epoch.
    pub now_ms: u64,
}

/// What the store keys a score's diagnoses and survey answers by: its file's absolute path, or
/// its title while it was never saved.
pub fn score_key(score: &Score, path: Option<&Path>) -> String {
    match path {
        Some(path) => folder::absolute(path).display().to_string(),
        None => format!("untitled:{}", score.title),
    }
}

/// Diagnoses the score and records the diagnosis.
pub fn diagnose(store: &Store, request: DiagnoseRequest) -> Result<Report, ApiError> {
    let DiagnoseRequest { score, path, last, survey, now_ms } = request;
    let key = score_key(&score, path.as_deref());
    for person in &survey {
        crate::survey::keep(store, &key, person)?;
    }
    let recorded = path.as_ref().map(|path| folder::absolute(path).display().to_string());
    // Newest first from the store; the engine reads them oldest first.
    let mut mine: Vec<_> = store
        .list()?
        .into_iter()
        .filter(|s| match &recorded {
            Some(file) => s.score_path.as_deref() == Some(file.as_str()),
            None => s.score_path.is_none() && s.title == score.title,
        })
        .take(last.clamp(*LAST_RANGE.start(), *LAST_RANGE.end()))
        .collect();
    mine.reverse();
    let mut performances = Vec::with_capacity(mine.len());
    for summary in mine {
        performances.push(Performance { events: store.events(&summary.id)?, id: summary.id });
    }
    let people = crate::survey::answers(store, &key)?;
    // A record that no longer reads (written by another version) is left out of the trend.
    let history: Vec<DiagnosisRecord> =
        store.diagnoses(&key, HISTORY)?.iter().filter_map(|json| serde_json::from_str(json).ok()).collect();
    let input = Input { score, performances, people, history, created_ms: Some(now_ms) };
    let report = ensemble_diagnostics::diagnose(&input);
    let record = serde_json::to_string(&report.record)
        .map_err(|e| ApiError::File { path: "(diagnosis)".into(), message: format!("cannot record the diagnosis: {e}") })?;
    store.record_diagnosis(&key, &report.score_hash, report.created_ms, &record)?;
    Ok(report)
}
