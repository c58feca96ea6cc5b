//! The shared context: what every player receives first, identically, and its version.
//!
//! The text is built the same way every time from the same score and files, so its hash names
//! exactly what the players read: two performances with the same version played from the same
//! material. Files are read in the order the score lists them; nothing else (time, machine paths)
//! goes into the text.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::attached;
use crate::text::MAX_SCORE_BYTES;
use crate::workspace::{self, PathTrouble};
use crate::{Problem, Rule, Score, Target};

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
    let mut text = String::new();
    let intent = &score.intent;
    text.push_str("# Intent\n\n");
    for (label, value) in [
        ("Goal", &intent.goal),
        ("Why", &intent.why),
        ("For whom", &intent.for_whom),
        ("Done when", &intent.done_when),
        ("Constraints", &intent.constraints),
    ] {
        if !value.trim().is_empty() {
            text.push_str(&format!("{label}: {}\n", value.trim_end()));
        }
    }
    if !score.context.notes.trim().is_empty() {
        text.push_str(&format!("\n# Notes\n\n{}\n", score.context.notes.trim_end()));
    }

    let mut problems = Vec::new();
    if !score.context.files.is_empty() {
        match workspace::workspace_dir(score, base_dir) {
            Ok(ws) => {
                for file in &score.context.files {
                    match read_attached(&ws, file) {
                        Ok(content) => text.push_str(&format!("\n# File: {file}\n\n{}\n", content.trim_end())),
                        Err(message) => problems.push(problem(file_rule(&message), message.text)),
                    }
                }
            }
            Err(t) => problems.push(problem(
                if t.is_escape() { Rule::OutsideWorkspace } else { Rule::AttachedFileMissing },
                format!(
                    "the workspace folder `{}` {}",
                    score.context.workspace.as_deref().unwrap_or("."),
                    t.describe()
                ),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let digest = Sha256::digest(text.as_bytes());
    let version = format!("sha256:{}", &hex::encode(digest)[..16]);
    let tokens_estimate = (text.chars().count() as u64).div_ceil(4);
    Ok(RenderedContext { text, version, tokens_estimate })
}

struct FileTrouble {
    escape: bool,
    unreadable: bool,
    text: String,
}

fn file_rule(t: &FileTrouble) -> Rule {
    if t.escape {
        Rule::OutsideWorkspace
    } else if t.unreadable {
        Rule::Unreadable
    } else {
        Rule::AttachedFileMissing
    }
}

fn problem(rule: Rule, message: String) -> Problem {
    Problem { rule, message, line: None, column: None, target: Target::Context }
}

fn read_attached(ws: &Path, file: &str) -> Result<String, FileTrouble> {
    let path = workspace::resolve(ws, file, false).map_err(|t: PathTrouble| FileTrouble {
        escape: t.is_escape(),
        unreadable: false,
        text: format!("attached file `{file}` {}", t.describe()),
    })?;
    let unreadable = |why: String| FileTrouble { escape: false, unreadable: true, text: format!("attached file `{file}` {why}") };
    let bytes = attached::read_bounded(&path, MAX_SCORE_BYTES as u64).map_err(|why| unreadable(why.to_string()))?;
    let content = String::from_utf8(bytes).map_err(|_| unreadable("is not UTF-8 text; attach text files only".into()))?;
    if content.contains('\0') {
        return Err(unreadable("holds binary data; attach text files only".into()));
    }
    Ok(content)
}
