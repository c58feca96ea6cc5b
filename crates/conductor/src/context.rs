//! The shared context a performance hands every player first.
//!
//! Rendering belongs to the score crate ([`ensemble_score::render_context`]); this module only
//! turns its result into what the conductor keeps: the text and its version, or a reason the
//! performance cannot start.

use std::path::Path;

use ensemble_score::Score;

pub(crate) struct Context {
    pub text: String,
    pub version: String,
}

/// Renders the context of `score`, or says why it cannot be (a missing attached file, say).
pub(crate) fn render(score: &Score, base_dir: &Path) -> Result<Context, String> {
    match ensemble_score::render_context(score, base_dir) {
        Ok(rendered) => Ok(Context { text: rendered.text, version: rendered.version }),
        Err(problems) => {
            let list: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
            Err(format!("the shared context cannot be rendered: {}", list.join("; ")))
        }
    }
}
