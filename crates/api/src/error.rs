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
    /// The score would run programs, send keys or read outside its folder, and the user has not
    /// trusted that; `reach` says all of it, one escaped line each.
    #[error(
        "this score reaches beyond itself on your computer ({}); trust it before performing, or perform offline",
        reach.join("; ")
    )]
    Untrusted { reach: Vec<String> },
    /// A test of an instrument would send a named key to a host the user has not allowed for it.
    #[error(
        "testing this instrument would send the key {key} to {host}, which you have not allowed for that key; \
         trust the score first (it lists each key and where it goes)"
    )]
    KeyNotTrusted { key: String, host: String },
    /// "Test connection" reached nothing, or was answered with an error.
    #[error("{0}")]
    Connection(String),
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
    /// A setting is outside what is accepted; the message gives the range.
    #[error("{0}")]
    Setting(String),
    /// A project or graph from another tool was refused (too large, not text, malformed...).
    #[error("{0}")]
    Import(String),
    /// An operation named a player the score does not have.
    #[error("the score has no player `{player}`; its players are {}", players.join(", "))]
    UnknownPlayer { player: String, players: Vec<String> },
    /// An operation named a tool server the player does not have.
    #[error("player `{player}` has no tool server `{server}`; its servers are {}", if servers.is_empty() { "none".to_string() } else { servers.join(", ") })]
    UnknownToolServer { player: String, server: String, servers: Vec<String> },
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
