//! What an import could not carry over, said per item so a person can finish the job by hand.

use serde::Serialize;
use ts_rs::TS;

/// Which tool the imported file came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportSource {
    Crewai,
    Langgraph,
}

/// One thing an import left out or changed, and where it was in the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportNote {
    /// Where in the source: `agent researcher`, `task write_report`, `edge agent -> tools`, `crew`.
    pub place: String,
    /// What happened to it, as a sentence. Never quotes a value that could be a secret.
    pub message: String,
}

/// What an import made, and everything it could not carry over.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportReport {
    pub source: ImportSource,
    pub players: usize,
    pub cues: usize,
    /// In the order of the source: agents, then tasks, then the crew as a whole.
    pub notes: Vec<ImportNote>,
}

/// Collects notes while an import runs.
#[derive(Debug, Default)]
pub(crate) struct Notes(pub Vec<ImportNote>);

impl Notes {
    pub fn add(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.0.push(ImportNote {
            place: place.into(),
            message: message.into(),
        });
    }
}
