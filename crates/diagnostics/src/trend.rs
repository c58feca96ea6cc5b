//! The maturity track: what a diagnosis leaves for the next one, the trend of every headline
//! value, and which earlier advice was followed.
//!
//! A [`DiagnosisRecord`] is small and serialisable: the store keeps it as JSON beside the
//! score's content hash. Each piece of advice is recorded with a fingerprint of the place in the
//! score it points to (a player's part, a zone's players, the cues between two players or two
//! sections, ...). Advice is *followed* when the score now differs there: the fingerprint of the
//! same target in the current score is another one (a part rewritten, a gap filled, a cue
//! added). Advice about people (not in the score) can never be seen followed this way.

use std::collections::BTreeMap;

use ensemble_score::{Score, Zone};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::report::{Advice, Target};

/// One diagnosis, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DiagnosisRecord {
    pub score_hash: String,
    pub created_ms: u64,
    /// How many performances the diagnosis read.
    pub performances: usize,
    /// The headline values, sorted by metric id.
    pub dimensions: Vec<DimensionValue>,
    /// The advice given, sorted by id, each with the fingerprint of its target at the time.
    pub advice: Vec<AdviceRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DimensionValue {
    /// A metric id, e.g. `listening.ei_cues`.
    pub id: String,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AdviceRecord {
    pub id: String,
    pub text: String,
    pub target: Target,
    /// What the target looked like when the advice was given (see [`fingerprint`]).
    pub fingerprint: String,
}

/// One headline value over time: earlier diagnoses (oldest first), then this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TrendLine {
    pub id: String,
    pub points: Vec<TrendPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TrendPoint {
    pub created_ms: u64,
    pub score_hash: String,
    pub value: Option<f64>,
}

/// One event-based value over the most recent performances, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PerformanceTrend {
    pub id: String,
    pub points: Vec<PerformancePoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PerformancePoint {
    pub performance: String,
    /// The time of the performance's first event (0 when it has none).
    pub started_ms: u64,
    pub value: Option<f64>,
}

/// Earlier advice and whether it was followed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FollowUp {
    pub id: String,
    pub text: String,
    pub target: Target,
    /// When the advice was first given (the earliest record holding it).
    pub given_ms: u64,
    /// The score now differs where the advice pointed.
    pub followed: bool,
    /// This diagnosis gives the same advice again.
    pub still_given: bool,
}

/// The content hash of a score: `sha256:` and 16 hex digits of the SHA-256 of its JSON form.
pub fn score_hash(score: &Score) -> String {
    short_hash(&serde_json::to_string(score).unwrap_or_default())
}

fn short_hash(text: &str) -> String {
    format!("sha256:{}", &hex::encode(Sha256::digest(text.as_bytes()))[..16])
}

/// What the score holds at `target`, as a short hash; equal fingerprints mean nothing changed there.
pub fn fingerprint(score: &Score, target: &Target) -> String {
    let text = match target {
        Target::Part { player } => score.player(player).map(|p| format!("part:{}", p.part)).unwrap_or_else(|| "absent".into()),
        Target::Player { player } => score.player(player).map(|p| serde_json::to_string(p).unwrap_or_default()).unwrap_or_else(|| "absent".into()),
        Target::Zone { zone } => {
            let mut ids: Vec<&str> = score.players.iter().filter(|p| score.zone_of(p) == Some(*zone)).map(|p| p.id.as_str()).collect();
            ids.sort_unstable();
            ids.join(",")
        }
        Target::Zones => {
            let counts = Zone::ALL.map(|z| score.players.iter().filter(|p| score.zone_of(p) == Some(z)).count());
            format!("{counts:?}")
        }
        Target::Cue { from, to } => {
            let cues: Vec<String> = score.cues.iter().filter(|c| &c.from == from && &c.to == to).map(|c| serde_json::to_string(c).unwrap_or_default()).collect();
            cues.join(";")
        }
        Target::Sections { from, to } => {
            let section = |id: &str| score.player(id).and_then(|p| p.section.clone()).unwrap_or_default();
            let mut cues: Vec<String> =
                score.cues.iter().filter(|c| &section(&c.from) == from && &section(&c.to) == to).map(|c| format!("{}>{}", c.from, c.to)).collect();
            cues.sort();
            cues.join(";")
        }
        Target::Intent => serde_json::to_string(&score.intent).unwrap_or_default(),
        Target::Context => serde_json::to_string(&score.context).unwrap_or_default(),
        Target::Tempo => serde_json::to_string(&score.tempo).unwrap_or_default(),
        Target::People => String::new(),
    };
    short_hash(&text)
}

/// The record of this diagnosis.
pub fn record(score: &Score, score_hash: &str, created_ms: u64, performances: usize, dimensions: Vec<DimensionValue>, advice: &[Advice]) -> DiagnosisRecord {
    let mut advice: Vec<AdviceRecord> = advice
        .iter()
        .map(|a| AdviceRecord { id: a.id.clone(), text: a.text.clone(), target: a.target.clone(), fingerprint: fingerprint(score, &a.target) })
        .collect();
    advice.sort_by(|a, b| a.id.cmp(&b.id));
    let mut dimensions = dimensions;
    dimensions.sort_by(|a, b| a.id.cmp(&b.id));
    DiagnosisRecord { score_hash: score_hash.to_string(), created_ms, performances, dimensions, advice }
}

/// Orders earlier records oldest first (ties by hash), for trend and follow-up alike.
fn ordered(history: &[DiagnosisRecord]) -> Vec<&DiagnosisRecord> {
    let mut h: Vec<&DiagnosisRecord> = history.iter().collect();
    h.sort_by(|a, b| a.created_ms.cmp(&b.created_ms).then(a.score_hash.cmp(&b.score_hash)));
    h
}

/// One line per metric id of `current`, with the earlier values of the same id.
pub fn trend(history: &[DiagnosisRecord], current: &DiagnosisRecord) -> Vec<TrendLine> {
    let history = ordered(history);
    current
        .dimensions
        .iter()
        .map(|d| {
            let mut points: Vec<TrendPoint> = history
                .iter()
                .map(|r| TrendPoint {
                    created_ms: r.created_ms,
                    score_hash: r.score_hash.clone(),
                    value: r.dimensions.iter().find(|x| x.id == d.id).and_then(|x| x.value),
                })
                .collect();
            points.push(TrendPoint { created_ms: current.created_ms, score_hash: current.score_hash.clone(), value: d.value });
            TrendLine { id: d.id.clone(), points }
        })
        .collect()
}

/// Every piece of earlier advice (by id, as first given) and whether the score changed there since.
pub fn followed(history: &[DiagnosisRecord], score: &Score, current: &DiagnosisRecord) -> Vec<FollowUp> {
    let mut first: BTreeMap<&str, (&AdviceRecord, u64)> = BTreeMap::new();
    for r in ordered(history) {
        for a in &r.advice {
            first.entry(a.id.as_str()).or_insert((a, r.created_ms));
        }
    }
    first
        .into_values()
        .map(|(a, given_ms)| FollowUp {
            id: a.id.clone(),
            text: a.text.clone(),
            target: a.target.clone(),
            given_ms,
            followed: a.target != Target::People && fingerprint(score, &a.target) != a.fingerprint,
            still_given: current.advice.iter().any(|c| c.id == a.id),
        })
        .collect()
}
