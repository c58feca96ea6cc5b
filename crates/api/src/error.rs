//! Why an operation could not be carried out, said so that a person can act on it.

use ensemble_score::Problem;
use ensemble_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The score breaks rules of the format; a performance needs a valid score.
    #[error("the score cannot be performed until it is fixed: {}", first_problems(problems))]
    Invalid { problems: Vec<Problem> },
    /// The score recorded with a performance no longer loads (it was written by another version).
    #[error("the score recorded with performance {id} no longer loads: {}", first_problems(problems))]
    RecordedScoreBroken { id: String, problems: Vec<Problem> },
    /// The score runs programs the user has not trusted.
    #[error(
        "this score runs programs on your computer ({}); trust it before performing, or perform offline",
        programs.join("; ")
    )]
    Untrusted { programs: Vec<String> },
    #[error("{path}: {message}")]
    File { path: String, message: String },
    /// The check before an export found what looks like secrets or paths of this machine.
    #[error(
        "the export would share what looks like secrets or paths of this machine: {}; remove them, or export anyway once you have looked",
        findings.iter().map(|f| format!("{} ({})", f.place, f.excerpt)).collect::<Vec<_>>().join("; ")
    )]
    Findings { findings: Vec<ensemble_export::Finding> },
    #[error("{0}")]
    Export(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The first three problems, and how many more there are: enough to act on in one line.
fn first_problems(problems: &[Problem]) -> String {
    let listed: Vec<&str> = problems.iter().take(3).map(|p| p.message.as_str()).collect();
    let more = problems.len().saturating_sub(listed.len());
    let mut text = listed.join("; ");
    if more > 0 {
        text.push_str(&format!(" (and {more} more)"));
    }
    text
}
