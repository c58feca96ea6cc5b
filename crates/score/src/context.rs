//! The shared context: what every player receives first, identically, and its version.

use std::path::Path;

use crate::{Problem, Score};

/// The shared context as sent to players, with its content hash.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedContext {
    /// Intent, notes and attached files, in that order, as one text.
    pub text: String,
    /// `sha256:` and the first 16 hex digits of the SHA-256 of `text`.
    pub version: String,
    /// A rough token count (characters / 4), for budgets and the studio's badge.
    pub tokens_estimate: u64,
}

/// Renders the shared context of `score`, reading attached files relative to its workspace.
pub fn render_context(score: &Score, base_dir: &Path) -> Result<RenderedContext, Vec<Problem>> {
    let _ = (score, base_dir);
    todo!("render_context")
}
