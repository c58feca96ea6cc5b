//! Bringing work from elsewhere into a folder: a `.score.zip` bundle someone sent, a CrewAI
//! project, or a LangGraph graph description. One operation for the studio and the command line.
//!
//! Everything is read and checked before anything is written, and nothing is written when the
//! source is refused or the score file would overwrite one that exists. The score written is a
//! normal `.score.toml`, untrusted like any score from elsewhere: it runs no program and sends
//! no key until the person trusts it.

use std::io::Write;
use std::path::{Path, PathBuf};

use ensemble_import::ImportReport;
use serde::Serialize;
use ts_rs::TS;

use crate::ApiError;

/// What an import wrote, and what it could not carry over.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportedScore {
    /// The score file written.
    pub score: PathBuf,
    /// Every file written, the score included.
    pub files: Vec<PathBuf>,
    /// For a CrewAI project or a LangGraph graph: what was not carried over. None for a bundle,
    /// which holds a score already.
    pub report: Option<ImportReport>,
}

/// Imports `source` into the folder `into` (made if missing): a `.score.zip` is opened as a
/// bundle; a CrewAI project (its folder, `agents.yaml` or `tasks.yaml`) or a LangGraph `.json`
/// becomes `INTO/NAME.score.toml`.
pub fn import(source: &Path, into: &Path) -> Result<ImportedScore, ApiError> {
    let is_bundle = source.file_name().is_some_and(|n| {
        n.to_string_lossy()
            .to_ascii_lowercase()
            .ends_with(".score.zip")
    });
    if is_bundle {
        let opened = crate::export::open_bundle(source, into)?;
        return Ok(ImportedScore {
            score: opened.score,
            files: opened.files,
            report: None,
        });
    }
    let imported = ensemble_import::import(source).map_err(|e| ApiError::Import(e.to_string()))?;
    let target = into.join(format!("{}.score.toml", imported.stem));
    let shown = target.display().to_string();
    let failed = |e: std::io::Error| ApiError::File {
        path: shown.clone(),
        message: format!("{e}; nothing was imported"),
    };
    if target.exists() {
        return Err(ApiError::File {
            path: shown,
            message: "already exists; nothing was imported or overwritten (choose another folder)"
                .into(),
        });
    }
    std::fs::create_dir_all(into).map_err(failed)?;
    // `create_new` so that a file appearing meanwhile is never overwritten.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(failed)?;
    if let Err(e) = file
        .write_all(imported.text.as_bytes())
        .and_then(|()| file.sync_all())
    {
        drop(file);
        let _ = std::fs::remove_file(&target);
        return Err(failed(e));
    }
    Ok(ImportedScore {
        score: target.clone(),
        files: vec![target],
        report: Some(imported.report),
    })
}
