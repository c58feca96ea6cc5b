//! The survey for people: a forced-choice alignment questionnaire written for this product, and
//! Edmondson's (1999) seven-item team psychological-safety scale.
//!
//! Alignment: six scenarios from the life of a team that builds things with a mixed ensemble of
//! people and AI players. Each scenario has four statements, one per zone, listed in a different
//! order each time so that no zone always comes first. A person spreads 10 points over the four
//! statements of each scenario (whole numbers, 0 to 10); a zone's score is its points over all
//! points given (60). Forced choice, because a person asked to rate each statement alone rates
//! them all highly.
//!
//! Voice: the seven items of Edmondson (1999), "Psychological Safety and Learning Behavior in
//! Work Teams", Administrative Science Quarterly 44(2), answered on a 7-point scale from
//! 1 (very inaccurate) to 7 (very accurate). Items 1, 3 and 5 are worded negatively and are
//! reverse-scored (8 - answer) so that a higher score always means more safety.

use ensemble_score::Zone;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Questionnaire {
    /// How to answer the scenarios, for display.
    pub alignment_instructions: String,
    pub scenarios: Vec<Scenario>,
    /// How to answer the scale, for display.
    pub safety_instructions: String,
    pub safety_items: Vec<SafetyItem>,
    /// The labels of 1 and 7.
    pub scale_labels: (String, String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Scenario {
    pub id: String,
    pub prompt: String,
    /// Four statements, one per zone.
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Statement {
    pub text: String,
    pub zone: Zone,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SafetyItem {
    /// 1 to 7, as numbered in Edmondson (1999).
    pub number: u32,
    pub text: String,
    /// Worded negatively: scored as 8 - answer.
    pub reversed: bool,
}

/// Points a person spreads over each scenario's statements.
pub const POINTS_PER_SCENARIO: u32 = 10;

/// The answers a psychological-safety item takes: the scale's seven points, 1 to 7.
pub const SAFETY_SCALE: std::ops::RangeInclusive<u32> = 1..=7;

use Zone::{Improver as Imp, Innovator as Inn, Integrator as Int, Stabilizer as Sta};

/// (id, prompt, four (zone, statement)).
type ScenarioText = (&'static str, &'static str, [(Zone, &'static str); 4]);

const SCENARIOS: [ScenarioText; 6] = [
    (
        "kickoff",
        "A new piece of work lands on your team with a one-line brief. In the first hour you would rather...",
        [
            (Inn, "sketch three quite different ways it could go, and what each would make possible"),
            (Int, "find out who needs to be involved and agree who hands what to whom"),
            (Imp, "write down how we will know the result is right before anyone starts"),
            (Sta, "set up the repository, the build and a first thing that runs end to end"),
        ],
    ),
    (
        "stuck",
        "Halfway through, the team is stuck: the pieces do not fit together. You are most likely to...",
        [
            (Int, "get the people who own the pieces in one room and redraw the hand-offs"),
            (Sta, "cut the scope to what works today and make that solid and shippable"),
            (Inn, "question the approach itself and propose a different one"),
            (Imp, "trace exactly where it breaks and test each piece on its own"),
        ],
    ),
    (
        "review",
        "A teammate (person or agent) hands you work to look at. What you do first is...",
        [
            (Imp, "check it against what was asked, line by line, and list what is missing"),
            (Inn, "ask whether this is the best idea at all, or whether something bolder would serve better"),
            (Sta, "run it, see whether it builds and behaves, and fix the small things myself"),
            (Int, "work out who else it affects and make sure they see it too"),
        ],
    ),
    (
        "deadline",
        "The release is due on Friday and not everything will make it. You would...",
        [
            (Sta, "freeze what is done, automate the release steps and ship on time"),
            (Imp, "hold back anything not properly tested, even if the release is smaller"),
            (Int, "renegotiate with the people waiting for it and re-plan who does what"),
            (Inn, "look for a simpler way to deliver the core of it that nobody has tried"),
        ],
    ),
    (
        "meeting",
        "In a planning meeting, the contribution you are usually thanked for is...",
        [
            (Inn, "the idea that opened up a new direction"),
            (Imp, "the question that caught a flaw before it was built"),
            (Int, "the summary that got everyone agreeing on the next steps"),
            (Sta, "the estimate and the plan that actually held"),
        ],
    ),
    (
        "ensemble",
        "You are composing an ensemble of AI agents for a project. The player you would write first is the one who...",
        [
            (Int, "routes the work between the others and keeps their outputs consistent"),
            (Sta, "builds and ships the thing, reliably, every time"),
            (Inn, "explores the problem and proposes options nobody asked for"),
            (Imp, "reviews every output and sends back what is not good enough"),
        ],
    ),
];

/// (text, reversed), in Edmondson's order.
const SAFETY: [(&str, bool); 7] = [
    ("If you make a mistake on this team, it is often held against you.", true),
    ("Members of this team are able to bring up problems and tough issues.", false),
    ("People on this team sometimes reject others for being different.", true),
    ("It is safe to take a risk on this team.", false),
    ("It is difficult to ask other members of this team for help.", true),
    ("No one on this team would deliberately act in a way that undermines my efforts.", false),
    ("Working with members of this team, my unique skills and talents are valued and utilized.", false),
];

/// The whole survey, for the studio and the CLI to present.
pub fn questionnaire() -> Questionnaire {
    Questionnaire {
        alignment_instructions: format!(
            "For each scenario, spread {POINTS_PER_SCENARIO} points over its four statements: more points to what sounds more like you. Whole numbers only; any statement may get 0."
        ),
        scenarios: SCENARIOS
            .iter()
            .map(|(id, prompt, statements)| Scenario {
                id: id.to_string(),
                prompt: prompt.to_string(),
                statements: statements.iter().map(|(zone, text)| Statement { text: text.to_string(), zone: *zone }).collect(),
            })
            .collect(),
        safety_instructions: "How accurately does each statement describe your team? Answer from 1 (very inaccurate) to 7 (very accurate).".to_string(),
        safety_items: SAFETY
            .iter()
            .enumerate()
            .map(|(i, (text, reversed))| SafetyItem { number: i as u32 + 1, text: text.to_string(), reversed: *reversed })
            .collect(),
        scale_labels: ("very inaccurate".to_string(), "very accurate".to_string()),
    }
}

/// The zone of each statement, by scenario, for scoring.
pub(crate) fn statement_zones() -> impl Iterator<Item = [Zone; 4]> {
    SCENARIOS.iter().map(|(_, _, s)| [s[0].0, s[1].0, s[2].0, s[3].0])
}

/// Whether each safety item is reverse-scored, in order.
pub(crate) fn safety_reversed() -> [bool; 7] {
    SAFETY.map(|(_, r)| r)
}
