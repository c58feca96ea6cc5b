//! Reports of recorded performances from the studio: thin adapters over `ensemble_api::report`.

use ensemble_api::report::ReportFormat;
use ensemble_export::Finding;
use tauri::State;

use crate::error::{UiError, UiResult};
use crate::studio::{Studio, blocking};

/// What the check before a report finds in the score recorded with performance `id`.
#[tauri::command]
pub async fn check_report(studio: State<'_, Studio>, id: String) -> UiResult<Vec<Finding>> {
    let store = studio.store()?;
    blocking(move || Ok(ensemble_api::report::check(&store, &id)?)).await
}

/// The file name a report of performance `id` as `format` gets by default.
#[tauri::command]
pub async fn report_name(studio: State<'_, Studio>, id: String, format: ReportFormat) -> UiResult<String> {
    let store = studio.store()?;
    blocking(move || Ok(ensemble_api::report::file_name(&store, &id, format)?)).await
}

/// Writes the report of performance `id` as `format` (an HTML page, or OTLP JSON traces) to
/// `target`. Refused with the findings unless `allow` is true (after the person has seen them).
#[tauri::command]
pub async fn save_report(studio: State<'_, Studio>, id: String, format: ReportFormat, target: String, allow: bool) -> UiResult<()> {
    let store = studio.store()?;
    blocking(move || {
        let bytes = ensemble_api::report::report(&store, &id, format, allow)?;
        std::fs::write(&target, bytes).map_err(|e| UiError::new(format!("could not write {target}: {e}")))
    })
    .await
}

/// Posts performance `id` as OTLP JSON traces to the OTLP/HTTP receiver at `endpoint`; returns
/// the URL they were sent to. Refused with the findings unless `allow` is true.
#[tauri::command]
pub async fn send_traces(studio: State<'_, Studio>, id: String, endpoint: String, allow: bool) -> UiResult<String> {
    let store = studio.store()?;
    Ok(ensemble_api::report::send(&store, &id, &endpoint, allow).await?)
}
