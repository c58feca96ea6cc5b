//! What is wrong with a score, said so that a person can fix it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One thing wrong with a score: the rule it broke, a message, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Problem {
    pub rule: Rule,
    pub message: String,
    /// 1-based line in the file, when the score came from text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub line: Option<u32>,
    /// 1-based column (in characters) in the file, when the score came from text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub column: Option<u32>,
    /// The part of the score at fault, so the studio can select it.
    pub target: Target,
}

/// The rules a score can break. Each has its own message; the studio and the CLI show the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Rule {
    /// Not a file we can read: too large, binary, not UTF-8.
    Unreadable,
    /// Not valid TOML.
    Syntax,
    /// A `format` this build does not read.
    Format,
    UnknownKey,
    WrongType,
    MissingKey,
    DuplicateId,
    EmptyId,
    CueToMissingPlayer,
    PlayerInMissingSection,
    MissingZone,
    CycleWithoutRepeatLimit,
    UnknownInstrument,
    MissingInstrumentSetting,
    BadInstrumentSetting,
    BudgetOutOfRange,
    AttachedFileMissing,
    OutsideWorkspace,
    BadVerdict,
    DuplicateCue,
    SelfCue,
    /// A player's tools: a server that is neither a program nor a URL, a bad limit, tools on an
    /// instrument that cannot call them.
    BadToolSetting,
}

/// The part of a score a problem is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Target {
    Score,
    Intent,
    Context,
    Tempo,
    Section { id: String },
    Player { id: String },
    Cue { from: String, to: String },
}
