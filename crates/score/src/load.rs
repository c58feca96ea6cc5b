//! Reading a `.score.toml` file: every problem at once, each with its line and column.

use std::path::{Path, PathBuf};

use crate::{Problem, Score};

/// A score read from a file, with the text it came from (kept so saving can keep its comments).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub text: String,
    pub score: Score,
}

/// Why a score could not be loaded. Never a half-loaded score.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {} problem(s)", problems.len())]
    Invalid { path: PathBuf, problems: Vec<Problem> },
}

/// Parses and validates score text. `base_dir` is the folder of the score file; when given,
/// attached files are checked on disk.
pub fn parse(text: &str, base_dir: Option<&Path>) -> Result<Score, Vec<Problem>> {
    let _ = (text, base_dir);
    todo!("parse score text")
}

/// Reads, parses and validates a score file.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let _ = path;
    todo!("load score file")
}
