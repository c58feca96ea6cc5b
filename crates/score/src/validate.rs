//! The rules a well-formed score must keep, checked on the model (for the studio, which has no text).

use std::path::Path;

use crate::{Problem, Score};

/// Every rule broken by `score`, without line numbers. `base_dir` is the folder of the score file;
/// when given, attached files are checked on disk.
pub fn validate(score: &Score, base_dir: Option<&Path>) -> Vec<Problem> {
    let _ = (score, base_dir);
    todo!("validate")
}
