//! Ensemble diagnostics: how an ensemble is built (alignment) and how it plays together
//! (attunement), from its score, its recorded performances and a short survey of its people.
//!
//! [`diagnose`] is a pure function: the same [`Input`] always gives the same [`Report`], byte
//! for byte once serialised. It does no I/O and reads no clock (time comes from the events or
//! the caller); everything listed is sorted by id. It never panics on odd input: an empty score,
//! no performances, events about players the score does not have, a performance that never
//! finished, invalid survey answers (reported in [`Report::notes`]).
//!
//! Every number is a [`Metric`] that carries its formula, threshold, evidence and advice; the
//! module of each dimension documents its formulas:
//! [`alignment`], [`composition`], [`listening`], [`trust`], [`cohesion`], [`tempo`],
//! [`same_song`], [`voice`], plus [`step_forward`] and the maturity track in [`trend`].
//! Renderers turn a report into text ([`render_text`]) or one self-contained HTML file
//! ([`render_html`]); JSON is the report's serde form.
//!
//! ```
//! use ensemble_diagnostics::{Input, diagnose, render_text};
//!
//! let score = ensemble_score::parse(r#"
//! format = 1
//! title = "Duo"
//! [intent]
//! goal = "Ship the kite"
//! [[players]]
//! id = "maker"
//! name = "Maker"
//! zone = "stabilizer"
//! part = "Build and ship the kite."
//! [players.instrument]
//! kind = "rehearsal"
//! "#, None).expect("the score loads");
//! let report = diagnose(&Input::new(score));
//! assert_eq!(report.composition.gaps.len(), 3, "one player leaves three zones empty");
//! assert!(render_text(&report).contains("no Innovator"));
//! ```
//!
//! The store keeps [`Report::record`] (a [`DiagnosisRecord`], as JSON) and hands the records
//! back in [`Input::history`] next time: that is all the trend and "advice followed" need.

pub mod alignment;
pub mod cohesion;
pub mod composition;
mod ensemble;
pub mod input;
pub mod lexicon;
pub mod listening;
pub mod questionnaire;
mod render_html;
mod render_text;
pub mod report;
pub mod same_song;
mod stats;
pub mod step_forward;
mod svg;
pub mod survey;
pub mod tempo;
pub mod terms;
mod timeline;
pub mod trend;
pub mod trust;
pub mod voice;

use std::collections::{BTreeMap, BTreeSet};

pub use input::{AlignmentAnswers, Input, Performance, PersonAnswers, SafetyAnswers};
pub use questionnaire::{Questionnaire, questionnaire};
pub use render_html::render_html;
pub use render_text::render_text;
pub use report::*;
pub use survey::{SafetyScore, SurveyError, ZoneProfile, score_alignment, score_safety};
pub use trend::{
    AdviceRecord, DiagnosisRecord, DimensionValue, FollowUp, PerformancePoint, PerformanceTrend, TrendLine, TrendPoint, fingerprint, score_hash,
};

use ensemble::Ensemble;
use timeline::Timeline;

/// The most events a metric lists as evidence; the rest are counted in `omitted_events`.
pub const EVIDENCE_LIMIT: usize = 100;

/// How many of the most recent performances the per-performance trend covers.
pub const TREND_PERFORMANCES: usize = 20;

/// Diagnoses a score with its performances, survey answers and earlier diagnoses.
pub fn diagnose(input: &Input) -> Report {
    let score = &input.score;
    let ensemble = Ensemble::new(score);
    // The score is indexed for the conductor's fold once, and each performance replayed on it.
    let replay = ensemble_conductor::Replay::new(score);
    let timelines: Vec<Timeline> = input.performances.iter().map(|p| Timeline::new(&p.id, &replay, &p.events)).collect();
    let mut notes = input_notes(&timelines);

    // The survey: invalid answers are left out, with a note that says why.
    let mut profiles = BTreeMap::new();
    let mut safety = Vec::new();
    let mut respondents: BTreeMap<&str, Respondent> = BTreeMap::new();
    for person in &input.people {
        let respondent = respondents.entry(&person.person).or_insert_with(|| Respondent {
            person: person.person.clone(),
            answered_ms: None,
            questionnaire: false,
            safety: false,
            primary: Vec::new(),
        });
        respondent.answered_ms = respondent.answered_ms.max(person.answered_ms);
        if let Some(answers) = &person.alignment {
            match score_alignment(answers) {
                Ok(profile) => {
                    respondent.questionnaire = true;
                    respondent.primary.clone_from(&profile.primary);
                    if profiles.insert(person.person.clone(), profile).is_some() {
                        notes.push(format!("{} answered the questionnaire twice: the later answers count", person.person));
                    }
                }
                Err(e) => notes.push(format!("{}'s questionnaire answers are left out: {e}", person.person)),
            }
        }
        if let Some(answers) = &person.safety {
            match score_safety(answers) {
                Ok(s) => {
                    respondent.safety = true;
                    safety.push((person.person.clone(), s));
                }
                Err(e) => notes.push(format!("{}'s psychological-safety answers are left out: {e}", person.person)),
            }
        }
    }
    safety.sort_by(|a, b| a.0.cmp(&b.0));

    let alignment = alignment::align(&ensemble, &timelines, &profiles);
    let composition = composition::compose(&alignment.players);
    let intent = &score.intent;
    let shared_terms: BTreeSet<String> = terms::key_terms(&format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        intent.goal, intent.why, intent.for_whom, intent.done_when, intent.constraints, score.context.notes
    ));
    let mut attunement = performed(&ensemble, &timelines, &shared_terms);
    attunement.push(voice::voice(&safety));
    let performance_trend = per_performance(&ensemble, &timelines, &shared_terms);
    let step_forward = step_forward::step_forward(&ensemble, &timelines);

    let metrics: Vec<&Metric> = [&alignment.mismatches, &composition.imbalance, &composition.gap_count]
        .into_iter()
        .chain(attunement.iter().flat_map(|d| &d.metrics))
        .collect();
    let mut advice: Vec<Advice> = Vec::new();
    let mut seen = BTreeSet::new();
    for a in metrics.iter().flat_map(|m| &m.advice) {
        if seen.insert(a.id.clone()) {
            advice.push(a.clone());
        }
    }
    advice.sort_by(|a, b| a.id.cmp(&b.id));
    let dimensions = metrics.iter().map(|m| DimensionValue { id: m.id.clone(), value: m.value }).collect();

    let created_ms = input.created_ms.or_else(|| timelines.iter().filter_map(|t| t.last_at).max()).unwrap_or(0);
    let hash = score_hash(score);
    let record = trend::record(score, &hash, created_ms, timelines.len(), dimensions, &advice);
    let trend = trend::trend(&input.history, &record);
    let followed = trend::followed(&input.history, score, &record);

    Report {
        title: score.title.clone(),
        score_hash: hash,
        created_ms,
        performances: input.performances.iter().map(|p| p.id.clone()).collect(),
        alignment,
        respondents: respondents.into_values().collect(),
        composition,
        attunement,
        step_forward,
        advice,
        trend,
        performance_trend,
        followed,
        record,
        notes,
    }
}

/// The dimensions computed from the performances, in report order.
fn performed(ensemble: &Ensemble, timelines: &[Timeline], shared_terms: &BTreeSet<String>) -> Vec<Dimension> {
    vec![
        listening::listening(ensemble, timelines, shared_terms),
        trust::trust(ensemble, timelines),
        cohesion::cohesion(ensemble, timelines),
        tempo::tempo(ensemble, timelines),
        same_song::same_song(ensemble, timelines),
    ]
}

/// The event-based values of each of the most recent performances on its own. Values that
/// come from the score alone (the E-I index over cues) are the same for every performance and
/// are left out.
fn per_performance(ensemble: &Ensemble, timelines: &[Timeline], shared_terms: &BTreeSet<String>) -> Vec<PerformanceTrend> {
    let recent = &timelines[timelines.len().saturating_sub(TREND_PERFORMANCES)..];
    let mut lines: Vec<PerformanceTrend> = Vec::new();
    for t in recent {
        let dimensions = performed(ensemble, std::slice::from_ref(t), shared_terms);
        let metrics = dimensions.iter().flat_map(|d| &d.metrics).filter(|m| m.id != "listening.ei_cues");
        for (i, m) in metrics.enumerate() {
            if lines.len() <= i {
                lines.push(PerformanceTrend { id: m.id.clone(), points: Vec::new() });
            }
            lines[i].points.push(PerformancePoint { performance: t.id.to_string(), started_ms: t.first_at.unwrap_or(0), value: m.value });
        }
    }
    lines
}

/// What a reader should know about the recorded input before trusting the numbers.
fn input_notes(timelines: &[Timeline]) -> Vec<String> {
    let mut notes = Vec::new();
    for t in timelines {
        let unknown = &t.unknown_players;
        if !unknown.is_empty() {
            notes.push(format!(
                "performance {} names players the score does not have ({}): they count where only events matter and are left out where a section or zone is needed",
                t.id,
                unknown.join(", ")
            ));
        }
        let rehearsed = t.choruses.iter().filter(|s| s.rehearsal).count();
        if rehearsed > 0 {
            notes.push(format!(
                "performance {}: {rehearsed} chorus(es) were played by rehearsal stand-ins; their outputs are left out of uptake, off key and observed wording",
                t.id
            ));
        }
        if t.finish.is_none() {
            notes.push(format!("performance {} never finished: its open choruses count as not ended", t.id));
        }
    }
    notes
}
