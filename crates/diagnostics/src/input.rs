//! What a diagnosis reads: the score, its recorded performances, survey answers and the
//! diagnoses made before. All of it is data the caller has already loaded; the engine does no I/O.

use ensemble_conductor::Event;
use ensemble_score::Score;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::trend::DiagnosisRecord;

/// Everything one diagnosis is made from.
#[derive(Debug, Clone)]
pub struct Input {
    pub score: Score,
    /// Recorded performances of this score, oldest first.
    pub performances: Vec<Performance>,
    /// Survey answers of the people in (or around) the ensemble.
    pub people: Vec<PersonAnswers>,
    /// Earlier diagnoses of this score (any version of it), in any order: the trend and the
    /// "advice followed" are computed against them.
    pub history: Vec<DiagnosisRecord>,
    /// When this diagnosis is made; when absent, the time of the latest recorded event.
    pub created_ms: Option<u64>,
}

impl Input {
    /// An input with the score only: alignment and composition, no attunement yet.
    pub fn new(score: Score) -> Input {
        Input { score, performances: Vec::new(), people: Vec::new(), history: Vec::new(), created_ms: None }
    }
}

/// One recorded performance: its id and its events in recorded order.
#[derive(Debug, Clone)]
pub struct Performance {
    pub id: String,
    pub events: Vec<Event>,
}

/// One person's survey answers; either part may be missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PersonAnswers {
    /// The person's name; a human player whose instrument's `who` (or whose player id) equals it,
    /// ignoring case, is played by this person.
    pub person: String,
    pub alignment: Option<AlignmentAnswers>,
    pub safety: Option<SafetyAnswers>,
    /// When the answers were kept, in ms since the epoch: the store's record of it, so the report
    /// can say how recent they are. Absent in a survey file and for answers given directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub answered_ms: Option<u64>,
}

/// Points per statement for each scenario of [`crate::questionnaire()`], in the order the
/// statements are listed there: six scenarios, four numbers each, 10 points per scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlignmentAnswers {
    pub points: Vec<Vec<u32>>,
}

/// The seven psychological-safety items of [`crate::questionnaire()`], each 1 (very inaccurate)
/// to 7 (very accurate), as answered (before reverse scoring).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SafetyAnswers {
    pub items: Vec<u32>,
}
