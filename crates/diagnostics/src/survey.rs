//! Scoring the survey: validation with clear errors, zone scores and primary zones for the
//! alignment questionnaire, and the reverse-scored mean of the psychological-safety items.

use ensemble_score::Zone;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::input::{AlignmentAnswers, SafetyAnswers};
use crate::questionnaire::{POINTS_PER_SCENARIO, SAFETY_SCALE, safety_reversed, statement_zones};
use crate::report::ZoneScores;

/// Half the width of the neutral band around the midpoint of a person's highest and lowest
/// zone scores: a zone is primary only when it is more than this above the midpoint, so a flat
/// profile (all zones within 0.1 of each other) has no primary zone.
pub const NEUTRAL_BAND: f64 = 0.05;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    #[error("the questionnaire has {expected} scenarios, but {got} were answered")]
    ScenarioCount { expected: usize, got: usize },
    #[error("scenario {scenario} has 4 statements, but {got} numbers were given")]
    StatementCount { scenario: usize, got: usize },
    #[error("scenario {scenario}, statement {statement}: {points} points is more than the {max} a statement can get")]
    PointsRange { scenario: usize, statement: usize, points: u32, max: u32 },
    #[error("scenario {scenario}: the points add up to {total}, but they must add up to exactly {expected}")]
    PointsTotal { scenario: usize, total: u32, expected: u32 },
    #[error("the scale has 7 items, but {got} answers were given")]
    ItemCount { got: usize },
    #[error("item {item}: {answer} is not on the scale from {} to {}", SAFETY_SCALE.start(), SAFETY_SCALE.end())]
    ItemRange { item: usize, answer: u32 },
}

/// A person's zone profile from the questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ZoneProfile {
    /// Points per zone over all points (60).
    pub scores: ZoneScores,
    /// Zones above the neutral band, highest first (ties in [`Zone::ALL`] order).
    pub primary: Vec<Zone>,
}

/// Validates and scores alignment answers. Scenarios and statements are numbered from 1 in errors.
pub fn score_alignment(answers: &AlignmentAnswers) -> Result<ZoneProfile, SurveyError> {
    let zones: Vec<[Zone; 4]> = statement_zones().collect();
    if answers.points.len() != zones.len() {
        return Err(SurveyError::ScenarioCount { expected: zones.len(), got: answers.points.len() });
    }
    let mut points = ZoneScores::default();
    for (s, (given, zones)) in answers.points.iter().zip(&zones).enumerate() {
        if given.len() != 4 {
            return Err(SurveyError::StatementCount { scenario: s + 1, got: given.len() });
        }
        for (i, &p) in given.iter().enumerate() {
            if p > POINTS_PER_SCENARIO {
                return Err(SurveyError::PointsRange { scenario: s + 1, statement: i + 1, points: p, max: POINTS_PER_SCENARIO });
            }
        }
        let total: u32 = given.iter().sum();
        if total != POINTS_PER_SCENARIO {
            return Err(SurveyError::PointsTotal { scenario: s + 1, total, expected: POINTS_PER_SCENARIO });
        }
        for (zone, &p) in zones.iter().zip(given) {
            points.add(*zone, f64::from(p));
        }
    }
    let scores = points.normalized();
    Ok(ZoneProfile { primary: primary_zones(&scores), scores })
}

/// Zones more than [`NEUTRAL_BAND`] above the midpoint of the highest and lowest score.
pub fn primary_zones(scores: &ZoneScores) -> Vec<Zone> {
    let values = Zone::ALL.map(|z| scores.get(z));
    let high = values.iter().copied().fold(f64::MIN, f64::max);
    let low = values.iter().copied().fold(f64::MAX, f64::min);
    let mid = (high + low) / 2.0;
    let mut primary: Vec<Zone> = Zone::ALL.into_iter().filter(|&z| scores.get(z) > mid + NEUTRAL_BAND).collect();
    // Highest first; the sort is stable, so ties keep zone order.
    primary.sort_by(|a, b| scores.get(*b).total_cmp(&scores.get(*a)));
    primary
}

/// One person's psychological-safety score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SafetyScore {
    /// The seven items after reverse scoring, 1 to 7, higher is safer.
    pub items: Vec<u32>,
    pub mean: f64,
}

/// Validates and scores the seven items; items 1, 3 and 5 count as 8 - answer.
pub fn score_safety(answers: &SafetyAnswers) -> Result<SafetyScore, SurveyError> {
    let reversed = safety_reversed();
    if answers.items.len() != reversed.len() {
        return Err(SurveyError::ItemCount { got: answers.items.len() });
    }
    let mut items = Vec::with_capacity(reversed.len());
    for (i, (&answer, &rev)) in answers.items.iter().zip(&reversed).enumerate() {
        if !SAFETY_SCALE.contains(&answer) {
            return Err(SurveyError::ItemRange { item: i + 1, answer });
        }
        items.push(if rev { SAFETY_SCALE.start() + SAFETY_SCALE.end() - answer } else { answer });
    }
    let mean = items.iter().map(|&v| f64::from(v)).sum::<f64>() / items.len() as f64;
    Ok(SafetyScore { items, mean })
}
