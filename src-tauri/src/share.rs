//! Sharing from the studio: thin adapters over `ensemble_api::export`.

use std::path::{Path, PathBuf};

use ensemble_api::export::ExportFormat;
use ensemble_api::import::ImportedScore;
use ensemble_export::{Finding, OpenedBundle};
use ensemble_score::Score;
use tauri::AppHandle;
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::error::{UiError, UiResult};
use crate::studio::blocking;

/// What the check before an export finds: strings that look like keys, paths of this machine.
#[tauri::command]
pub async fn check_export(score: Score, path: Option<String>) -> UiResult<Vec<Finding>> {
    blocking(move || Ok(ensemble_api::export::check(&score, path.as_deref().map(Path::new)))).await
}

/// Writes the score as `format` to `target`. Refused with the findings unless `allow` is true
/// (after the person has seen them); a bundle needs the score saved at `path`.
#[tauri::command]
pub async fn export_score(score: Score, path: Option<String>, format: ExportFormat, target: String, allow: bool) -> UiResult<()> {
    blocking(move || {
        let bytes = ensemble_api::export::export(&score, path.as_deref().map(Path::new), format, allow)?;
        std::fs::write(&target, bytes).map_err(|e| crate::error::UiError::new(format!("could not write {target}: {e}")))?;
        Ok(())
    })
    .await
}

/// The file name an export of `format` gets by default, beside the score when it has a file.
#[tauri::command]
pub fn export_target(score: Score, path: Option<String>, format: ExportFormat) -> String {
    ensemble_api::export::default_target(&score, path.as_deref().map(Path::new), format).display().to_string()
}

/// Opens a `.score.zip` bundle into the folder `into`; nothing is written when it is refused.
#[tauri::command]
pub async fn open_bundle(bundle: String, into: String) -> UiResult<OpenedBundle> {
    blocking(move || Ok(ensemble_api::export::open_bundle(Path::new(&bundle), &PathBuf::from(into))?)).await
}

/// Imports a CrewAI project (its folder, agents.yaml or tasks.yaml), a LangGraph graph (.json)
/// or a bundle into the folder `into`; nothing is written when it is refused. The score written
/// is untrusted like any score from elsewhere.
#[tauri::command]
pub async fn import_project(source: String, into: String) -> UiResult<ImportedScore> {
    blocking(move || Ok(ensemble_api::import::import(Path::new(&source), Path::new(&into))?)).await
}

/// "Copy as image": the score's picture at 2x on the system clipboard, after the same check as
/// any export (refused with the findings unless `allow`).
#[tauri::command]
pub async fn copy_picture(app: AppHandle, score: Score, path: Option<String>, allow: bool) -> UiResult<()> {
    let png = blocking(move || Ok(ensemble_api::export::export(&score, path.as_deref().map(Path::new), ExportFormat::Png2x, allow)?)).await?;
    let image = tauri::image::Image::from_bytes(&png).map_err(|e| UiError::new(format!("the picture could not be read back: {e}")))?;
    app.clipboard().write_image(&image).map_err(|e| UiError::new(format!("the clipboard did not take the picture: {e}")))
}
