//! Sharing a score: a picture (SVG, PNG), a Mermaid flowchart, Markdown program notes, or a
//! `.score.zip` bundle with its attached files; and opening a bundle someone sent.
//!
//! Every export is checked first for what must not leave the machine (strings that look like
//! keys, paths of this machine). Found ones are listed and the export is refused until the person
//! has looked and says to go on (`allow`), so nothing slips out silently.

use std::path::{Path, PathBuf};

use ensemble_export::{Finding, OpenedBundle};
use ensemble_score::Score;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ApiError;

/// What to export a score as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Svg,
    /// At 1x.
    Png,
    /// At 2x, for high-density screens and print.
    Png2x,
    Mermaid,
    Markdown,
    /// The score file with its attached files.
    Zip,
}

impl ExportFormat {
    /// The file name suffix of an export of `title`.
    pub fn file_name(self, stem: &str) -> String {
        match self {
            ExportFormat::Svg => format!("{stem}.svg"),
            ExportFormat::Png => format!("{stem}.png"),
            ExportFormat::Png2x => format!("{stem}@2x.png"),
            ExportFormat::Mermaid => format!("{stem}.mmd"),
            ExportFormat::Markdown => format!("{stem}.md"),
            ExportFormat::Zip => format!("{stem}.score.zip"),
        }
    }
}

/// What the check before an export found, with the score it was run on.
pub fn check(score: &Score, path: Option<&Path>) -> Vec<Finding> {
    let text = path.and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
    ensemble_export::scan(score, &text)
}

/// The bytes of the export. Refused with the findings when the check finds anything and
/// `allow` is false. A bundle is made from the saved file, so the score must have a `path`.
pub fn export(score: &Score, path: Option<&Path>, format: ExportFormat, allow: bool) -> Result<Vec<u8>, ApiError> {
    let findings = check(score, path);
    if !findings.is_empty() && !allow {
        return Err(ApiError::Findings { findings });
    }
    let mut placed = score.clone();
    ensemble_score::place_unplaced(&mut placed);
    let failed = |e: ensemble_export::ExportError| ApiError::Export(e.to_string());
    Ok(match format {
        ExportFormat::Svg => ensemble_export::svg(&placed).into_bytes(),
        ExportFormat::Png => ensemble_export::png(&placed, 1).map_err(failed)?,
        ExportFormat::Png2x => ensemble_export::png(&placed, 2).map_err(failed)?,
        ExportFormat::Mermaid => ensemble_export::mermaid(&placed).into_bytes(),
        ExportFormat::Markdown => ensemble_export::program_notes(&placed).into_bytes(),
        ExportFormat::Zip => {
            let Some(path) = path else {
                return Err(ApiError::Export("save the score first: a bundle holds the saved file and its attached files".into()));
            };
            ensemble_export::write_bundle(path).map_err(failed)?
        }
    })
}

/// The stem of an export's file name: the score file's name without `.score.toml`, else a
/// name made from the title.
pub fn stem(score: &Score, path: Option<&Path>) -> String {
    if let Some(name) = path.and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()) {
        let stem = name.strip_suffix(".score.toml").or_else(|| name.strip_suffix(".toml")).unwrap_or(&name);
        if !stem.is_empty() {
            return stem.to_string();
        }
    }
    let slug = slug(&score.title);
    if slug.is_empty() { "score".into() } else { slug }
}

/// A title as a file-name part: lower-case letters and digits, every other run of characters one
/// `-`, none at either end; empty when the title has no letter or digit.
pub(crate) fn slug(title: &str) -> String {
    title
        .chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Opens a bundle someone sent into the folder `into`: everything is checked before anything is
/// written, and nothing is written when it is refused. The score inside is untrusted like any
/// score from elsewhere.
pub fn open_bundle(bundle: &Path, into: &Path) -> Result<OpenedBundle, ApiError> {
    let shown = bundle.display().to_string();
    let size = std::fs::metadata(bundle).map_err(|e| ApiError::File { path: shown.clone(), message: e.to_string() })?.len();
    let largest = ensemble_export::Limits::default().max_total_bytes;
    if size > largest {
        return Err(ApiError::File { path: shown, message: format!("is {size} bytes; a bundle is at most {largest}") });
    }
    let bytes = std::fs::read(bundle).map_err(|e| ApiError::File { path: shown.clone(), message: e.to_string() })?;
    ensemble_export::open_bundle(&bytes, into).map_err(|e| ApiError::File { path: shown, message: e.to_string() })
}

/// Where an export of `format` goes beside the score, when no place is given.
pub fn default_target(score: &Score, path: Option<&Path>, format: ExportFormat) -> PathBuf {
    let folder = path.and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
    folder.join(format.file_name(&stem(score, path)))
}
