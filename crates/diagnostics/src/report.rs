//! The report: what a diagnosis says, as data.
//!
//! Every number is a [`Metric`]: its value, the threshold it is judged against, whether it is
//! flagged, the formula in words, the evidence it was computed from (players, cues, events) and
//! the advice it leads to. Renderers and the studio only display these; they compute nothing.
//! Lists are sorted by id so that the same input always gives the same bytes.

use ensemble_score::Zone;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::trend::{DiagnosisRecord, FollowUp, PerformanceTrend, TrendLine};

/// The whole diagnosis of one score with its recorded performances and survey answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Report {
    pub title: String,
    /// The content hash of the score diagnosed (see [`crate::score_hash`]).
    pub score_hash: String,
    /// When the diagnosis was made, in ms since the epoch: given by the caller, else the time of
    /// the latest recorded event, else 0 (the engine reads no clock).
    pub created_ms: u64,
    /// The performances diagnosed, by id, in the order given.
    pub performances: Vec<String>,
    pub alignment: Alignment,
    /// Everyone whose survey answers were read, sorted by name.
    pub respondents: Vec<Respondent>,
    pub composition: Composition,
    /// The attunement dimensions, in a fixed order: listening, trust, cohesion, tempo, same song, voice.
    pub attunement: Vec<Dimension>,
    /// For each stalled or failed performance, who is best placed to act next.
    pub step_forward: Vec<StepForward>,
    /// Every piece of advice of the report, once, sorted by id.
    pub advice: Vec<Advice>,
    /// Each headline value over the earlier diagnoses and this one.
    pub trend: Vec<TrendLine>,
    /// Each value computed from events, performance by performance, over the most recent
    /// [`crate::TREND_PERFORMANCES`] performances.
    pub performance_trend: Vec<PerformanceTrend>,
    /// Advice given by earlier diagnoses, and whether the score changed where it pointed.
    pub followed: Vec<FollowUp>,
    /// What this diagnosis adds to the history, for the store to keep as JSON.
    pub record: DiagnosisRecord,
    /// Things about the input a reader should know (unknown players, invalid answers, ...).
    pub notes: Vec<String>,
}

/// One number of the report, with everything needed to check it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Metric {
    /// Stable id, e.g. `listening.ei_cues`; the trend and the store key on it.
    pub id: String,
    pub name: String,
    /// `None` when there is nothing to compute it from (e.g. no performance yet).
    pub value: Option<f64>,
    pub unit: Unit,
    pub threshold: Option<Threshold>,
    /// The value is on the wrong side of its threshold.
    pub flagged: bool,
    /// How the value is computed, in words.
    pub formula: String,
    pub evidence: Evidence,
    pub advice: Vec<Advice>,
}

/// How to read a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A share from 0 to 1, shown as a percentage.
    Share,
    /// An index from -1 to 1.
    Index,
    Milliseconds,
    Choruses,
    /// A count per performance.
    PerPerformance,
    /// A point on the 1..=7 scale.
    Scale7,
    /// A whole number of things.
    Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct Threshold {
    pub value: f64,
    /// Flagged when the value is above (or below) `value`.
    pub flag_when: Side,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Above,
    Below,
}

impl Threshold {
    pub fn above(value: f64) -> Option<Threshold> {
        Some(Threshold { value, flag_when: Side::Above })
    }

    pub fn below(value: f64) -> Option<Threshold> {
        Some(Threshold { value, flag_when: Side::Below })
    }

    /// Whether `value` is on the flagged side (strictly).
    pub fn flags(&self, value: f64) -> bool {
        match self.flag_when {
            Side::Above => value > self.value,
            Side::Below => value < self.value,
        }
    }
}

/// What a number was computed from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Evidence {
    /// One line in words: the counts behind the value.
    pub summary: String,
    pub players: Vec<String>,
    pub cues: Vec<CueRef>,
    pub events: Vec<EventRef>,
    /// Named items with a value each (per player, per section, per person).
    pub items: Vec<Item>,
    /// How many events were left out of `events` to keep the report readable (the first
    /// [`crate::EVIDENCE_LIMIT`] are kept, in performance and seq order).
    pub omitted_events: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct CueRef {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct EventRef {
    pub performance: String,
    pub seq: u64,
}

/// A named value inside the evidence, e.g. one player's idle share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Item {
    pub id: String,
    pub value: f64,
    /// A short remark, e.g. the passage of an off-key output.
    pub note: String,
}

/// Something to do, tied to the place in the score it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Advice {
    /// Stable across diagnoses of the same situation, e.g. `gap.stabilizer`.
    pub id: String,
    pub text: String,
    pub target: Target,
}

/// Where in the score a piece of advice points; a later score that differs there followed it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
// Named apart from the score's problem `Target` in the generated TypeScript, where both share one folder.
#[ts(rename = "AdviceTarget")]
pub enum Target {
    /// A player's part (role prompt).
    Part { player: String },
    /// A player as a whole (part, zone, instrument, section).
    Player { player: String },
    /// The players of a zone.
    Zone { zone: Zone },
    /// The spread of players over zones.
    Zones,
    /// The cues from one player to another.
    Cue { from: String, to: String },
    /// The cues from players of one section to players of another.
    Sections { from: String, to: String },
    /// The composer's intent.
    Intent,
    /// The shared context (notes, files, workspace).
    Context,
    /// The score's tempo (mode and budgets).
    Tempo,
    /// Not in the score: how the people work together.
    People,
}

/// A zone and its score, from 0 to 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ZoneScores {
    pub innovator: f64,
    pub integrator: f64,
    pub improver: f64,
    pub stabilizer: f64,
}

impl ZoneScores {
    pub fn get(&self, zone: Zone) -> f64 {
        match zone {
            Zone::Innovator => self.innovator,
            Zone::Integrator => self.integrator,
            Zone::Improver => self.improver,
            Zone::Stabilizer => self.stabilizer,
        }
    }

    pub fn add(&mut self, zone: Zone, amount: f64) {
        match zone {
            Zone::Innovator => self.innovator += amount,
            Zone::Integrator => self.integrator += amount,
            Zone::Improver => self.improver += amount,
            Zone::Stabilizer => self.stabilizer += amount,
        }
    }

    pub fn one(zone: Zone) -> ZoneScores {
        let mut s = ZoneScores::default();
        s.add(zone, 1.0);
        s
    }

    pub fn total(&self) -> f64 {
        self.innovator + self.integrator + self.improver + self.stabilizer
    }

    /// Scaled to sum to 1; all zeros stay zeros.
    pub fn normalized(&self) -> ZoneScores {
        let t = self.total();
        if t <= 0.0 { *self } else { self.scaled(1.0 / t) }
    }

    pub fn scaled(&self, k: f64) -> ZoneScores {
        ZoneScores { innovator: self.innovator * k, integrator: self.integrator * k, improver: self.improver * k, stabilizer: self.stabilizer * k }
    }

    pub fn plus(&self, other: &ZoneScores) -> ZoneScores {
        ZoneScores {
            innovator: self.innovator + other.innovator,
            integrator: self.integrator + other.integrator,
            improver: self.improver + other.improver,
            stabilizer: self.stabilizer + other.stabilizer,
        }
    }

    /// The highest-scoring zone; ties go to the earlier zone in [`Zone::ALL`].
    pub fn top(&self) -> Zone {
        let mut best = Zone::Innovator;
        for z in Zone::ALL {
            if self.get(z) > self.get(best) {
                best = z;
            }
        }
        best
    }
}

/// How the ensemble is built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Alignment {
    /// Every player of the score, sorted by id.
    pub players: Vec<PlayerAlignment>,
    /// Every person who answered the questionnaire, sorted by name.
    pub people: Vec<PersonAlignment>,
    /// Players whose declared zone differs from the inferred one.
    pub mismatches: Metric,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlayerAlignment {
    pub player: String,
    pub name: String,
    pub section: Option<String>,
    pub declared: Option<Zone>,
    pub inferred: Zone,
    /// The blended zone scores, summing to 1.
    pub scores: ZoneScores,
    /// Each signal that went into `scores`, with its weight and why.
    pub signals: Vec<Signal>,
    /// Declared and inferred zones differ.
    pub mismatch: bool,
    /// The person playing this part, when its instrument is a person who answered the survey.
    pub person: Option<String>,
}

/// One source of a player's zone scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Signal {
    /// `declared`, `wording`, `temperature`, `instrument`, `cue_graph`, `observed`, `survey`.
    pub source: String,
    /// Its weight in the blend (weights of present signals are scaled to sum to 1).
    pub weight: f64,
    pub scores: ZoneScores,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PersonAlignment {
    pub person: String,
    /// Points per zone over total points.
    pub scores: ZoneScores,
    /// The zones above the neutral band, highest first.
    pub primary: Vec<Zone>,
    /// Players whose instrument is this person.
    pub plays: Vec<String>,
}

/// Someone whose survey answers were read: who answered, when, and what the answers said of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Respondent {
    pub person: String,
    /// When the answers were kept, in ms since the epoch; absent for answers not read from a store.
    pub answered_ms: Option<u64>,
    /// The zone questionnaire was answered and counted (invalid answers are left out, with a note).
    pub questionnaire: bool,
    /// The psychological-safety items were answered and counted.
    pub safety: bool,
    /// The zones above the neutral band, highest first: empty for a flat profile or without a
    /// counted questionnaire.
    pub primary: Vec<Zone>,
}

impl Respondent {
    /// The day the answers were kept, `YYYY-MM-DD` in UTC, or `-` when not known.
    pub(crate) fn answered_on(&self) -> String {
        self.answered_ms
            .and_then(|ms| i64::try_from(ms).ok())
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
            .map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "-".into())
    }

    /// The primary zones in words, or why there are none.
    pub(crate) fn primary_words(&self) -> String {
        if !self.questionnaire {
            "- (no questionnaire counted)".into()
        } else if self.primary.is_empty() {
            "none (a flat profile)".into()
        } else {
            self.primary.iter().map(|z| crate::alignment::zone_name(*z)).collect::<Vec<_>>().join(", ")
        }
    }

    /// Which parts of the survey counted.
    pub(crate) fn parts(&self) -> &'static str {
        match (self.questionnaire, self.safety) {
            (true, true) => "questionnaire and safety",
            (true, false) => "questionnaire",
            (false, true) => "safety",
            (false, false) => "nothing counted (see the notes)",
        }
    }
}

/// The spread of players over zones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Composition {
    /// One entry per zone, in [`Zone::ALL`] order.
    pub zones: Vec<ZoneShare>,
    /// Zones nobody plays in.
    pub gaps: Vec<Zone>,
    pub imbalance: Metric,
    /// Empty zones, as a metric with advice per gap.
    pub gap_count: Metric,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ZoneShare {
    pub zone: Zone,
    pub players: Vec<String>,
    pub share: f64,
}

/// One attunement dimension and its numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Dimension {
    /// `listening`, `trust`, `cohesion`, `tempo`, `same_song`, `voice`.
    pub id: String,
    pub title: String,
    pub metrics: Vec<Metric>,
}

/// Who is best placed to act next in a stalled or failed performance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StepForward {
    pub performance: String,
    /// `failed`, `stalled`, `budget_exceeded`, `cut_off`.
    pub situation: String,
    /// The player where it went wrong or stopped, when there is one.
    pub at_player: Option<String>,
    pub zone: Zone,
    pub player: Option<String>,
    pub why: String,
    pub evidence: Vec<EventRef>,
}

impl Metric {
    /// A metric without a value yet; set it with [`Metric::with_value`].
    pub fn new(id: &str, name: &str, unit: Unit, threshold: Option<Threshold>, formula: &str) -> Metric {
        Metric {
            id: id.to_string(),
            name: name.to_string(),
            value: None,
            unit,
            threshold,
            flagged: false,
            formula: formula.to_string(),
            evidence: Evidence::default(),
            advice: Vec::new(),
        }
    }

    /// Sets the value and judges it against the threshold. A value that is not finite is
    /// treated as no value, so no NaN ever reaches a report.
    pub fn with_value(mut self, value: Option<f64>) -> Metric {
        self.value = value.filter(|v| v.is_finite());
        self.flagged = match (self.value, self.threshold) {
            (Some(v), Some(t)) => t.flags(v),
            _ => false,
        };
        self
    }

    pub fn with_evidence(mut self, evidence: Evidence) -> Metric {
        self.evidence = evidence;
        self
    }

    /// Advice applies only to a flagged metric; unflagged, it is dropped.
    pub fn with_advice(mut self, advice: Vec<Advice>) -> Metric {
        if self.flagged {
            self.advice = advice;
        }
        self
    }
}

impl Evidence {
    /// Sets `events`, keeping the first [`crate::EVIDENCE_LIMIT`] in (performance, seq) order.
    pub fn with_events(mut self, mut events: Vec<EventRef>) -> Evidence {
        events.sort();
        events.dedup();
        if events.len() > crate::EVIDENCE_LIMIT {
            self.omitted_events = events.len() - crate::EVIDENCE_LIMIT;
            events.truncate(crate::EVIDENCE_LIMIT);
        }
        self.events = events;
        self
    }

    pub fn with_players(mut self, mut players: Vec<String>) -> Evidence {
        players.sort();
        players.dedup();
        self.players = players;
        self
    }

    pub fn with_cues(mut self, mut cues: Vec<CueRef>) -> Evidence {
        cues.sort();
        cues.dedup();
        self.cues = cues;
        self
    }
}

impl CueRef {
    pub fn new(from: &str, to: &str) -> CueRef {
        CueRef { from: from.to_string(), to: to.to_string() }
    }
}

impl EventRef {
    pub fn new(performance: &str, seq: u64) -> EventRef {
        EventRef { performance: performance.to_string(), seq }
    }
}

impl Advice {
    pub fn new(id: impl Into<String>, text: impl Into<String>, target: Target) -> Advice {
        Advice { id: id.into(), text: text.into(), target }
    }
}

impl Unit {
    /// A value as a person reads it: 42%, +0.33, 1.2 s, 3.4 choruses, 4.2 / 7; "n/a" for none.
    pub fn display(self, value: Option<f64>) -> String {
        let Some(v) = value else { return "n/a".to_string() };
        match self {
            Unit::Share => format!("{:.0}%", v * 100.0),
            Unit::Index => format!("{v:+.2}"),
            Unit::Milliseconds if v >= 1000.0 => format!("{:.1} s", v / 1000.0),
            Unit::Milliseconds => format!("{v:.0} ms"),
            Unit::Choruses => format!("{v:.1} choruses"),
            Unit::PerPerformance => format!("{v:.1}"),
            Unit::Scale7 => format!("{v:.1} / 7"),
            Unit::Count => format!("{v:.0}"),
        }
    }

    /// The range a chart of this unit spans, given the value and threshold it must show.
    pub fn range(self, value: Option<f64>, threshold: Option<f64>) -> (f64, f64) {
        match self {
            Unit::Share => (0.0, 1.0),
            Unit::Index => (-1.0, 1.0),
            Unit::Scale7 => (1.0, 7.0),
            Unit::Milliseconds | Unit::Choruses | Unit::PerPerformance | Unit::Count => {
                let top = value.unwrap_or(0.0).max(threshold.unwrap_or(0.0)).max(1.0) * 1.25;
                (0.0, top)
            }
        }
    }
}

impl Metric {
    pub fn display(&self) -> String {
        self.unit.display(self.value)
    }

    /// "flag below 50%" / "flag above 0.35"; empty without a threshold.
    pub fn threshold_text(&self) -> String {
        match self.threshold {
            Some(t) => format!(
                "flag {} {}",
                if t.flag_when == Side::Above { "above" } else { "below" },
                self.unit.display(Some(t.value))
            ),
            None => String::new(),
        }
    }
}
