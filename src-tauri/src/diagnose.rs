//! Ensemble diagnostics from the studio: thin adapters over `ensemble_api::diagnose` and
//! `ensemble_api::survey`.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use ensemble_api::diagnose::{DEFAULT_LAST, DiagnoseRequest, score_key};
use ensemble_diagnostics::{PersonAnswers, Questionnaire, Report};
use ensemble_score::Score;
use tauri::State;

use crate::error::UiResult;
use crate::studio::{Studio, blocking};

/// Diagnoses the score from its latest `last` performances (the operations layer's default when
/// absent), its people's kept survey answers and its earlier diagnoses; the diagnosis is recorded
/// for the next trend.
#[tauri::command]
pub async fn diagnose(studio: State<'_, Studio>, score: Score, path: Option<String>, last: Option<u32>) -> UiResult<Report> {
    let store = studio.store()?;
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
    let request =
        DiagnoseRequest { score, path: path.map(PathBuf::from), last: last.map_or(DEFAULT_LAST, |n| n as usize), survey: vec![], now_ms };
    blocking(move || Ok(ensemble_api::diagnose::diagnose(&store, request)?)).await
}

/// The people's survey: six forced-choice scenarios and the seven psychological-safety items.
#[tauri::command]
pub fn survey_questions() -> Questionnaire {
    ensemble_api::survey::questionnaire()
}

/// Keeps survey answers (filled in the studio, or read from a returned file) for the score.
#[tauri::command]
pub async fn keep_survey_answers(studio: State<'_, Studio>, score: Score, path: Option<String>, answers: Vec<PersonAnswers>) -> UiResult<()> {
    let store = studio.store()?;
    blocking(move || {
        let key = score_key(&score, path.as_deref().map(std::path::Path::new));
        for person in &answers {
            ensemble_api::survey::keep(&store, &key, person)?;
        }
        Ok(())
    })
    .await
}

/// Reads the answers of a returned survey file.
#[tauri::command]
pub async fn read_survey_file(path: String) -> UiResult<Vec<PersonAnswers>> {
    blocking(move || Ok(ensemble_api::survey::read(std::path::Path::new(&path))?)).await
}

/// A blank survey file for `person`, to save and send.
#[tauri::command]
pub fn blank_survey(person: String) -> String {
    ensemble_api::survey::blank_file(&person)
}

/// Saves a blank survey file for `person` at `path` (a place the person picked in a save dialog).
#[tauri::command]
pub async fn save_blank_survey(path: String, person: String) -> UiResult<()> {
    blocking(move || write_text(&path, &ensemble_api::survey::blank_file(&person))).await
}

/// Saves the report as one self-contained HTML file at `path`.
#[tauri::command]
pub async fn save_diagnosis_html(path: String, report: Report) -> UiResult<()> {
    blocking(move || write_text(&path, &ensemble_diagnostics::render_html(&report, None))).await
}

/// The webview chooses where, never what: the text is made here from the engine's own output.
fn write_text(path: &str, text: &str) -> UiResult<()> {
    std::fs::write(path, text).map_err(|e| crate::error::UiError::new(format!("could not write {path}: {e}")))
}

/// The report as one self-contained HTML file (no network), printable to PDF.
#[tauri::command]
pub async fn diagnosis_html(report: Report) -> UiResult<String> {
    blocking(move || Ok(ensemble_diagnostics::render_html(&report, None))).await
}
