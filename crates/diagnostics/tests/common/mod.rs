//! Scores from TOML text and performances written event by event, shared by the tests.
#![allow(dead_code)]

use ensemble_conductor::{Event, EventKind, Handoff, Outcome};
use ensemble_diagnostics::{Dimension, Input, Metric, Performance, Report};
use ensemble_instruments::Usage;
use ensemble_score::Score;

/// Parses a score, failing the test with the problems when it does not load.
pub fn score(text: &str) -> Score {
    match ensemble_score::parse(text, None) {
        Ok(score) => score,
        Err(problems) => panic!("the test score should load: {problems:#?}"),
    }
}

/// A score header with an intent, to which players, sections and cues are appended.
pub fn header(goal: &str, done_when: &str) -> String {
    format!("format = 1\ntitle = \"Test\"\n\n[intent]\ngoal = \"{goal}\"\ndone_when = \"{done_when}\"\n\n")
}

pub fn section(id: &str, zone: &str) -> String {
    format!("[[sections]]\nid = \"{id}\"\nname = \"{}\"\nzone = \"{zone}\"\n\n", capitalise(id))
}

/// A rehearsal player in a section (zone from the section).
pub fn player(id: &str, section: &str, part: &str) -> String {
    format!("[[players]]\nid = \"{id}\"\nname = \"{}\"\nsection = \"{section}\"\npart = \"{part}\"\n[players.instrument]\nkind = \"rehearsal\"\n\n", capitalise(id))
}

/// A rehearsal player outside sections with its own zone.
pub fn loose(id: &str, zone: &str, part: &str) -> String {
    format!("[[players]]\nid = \"{id}\"\nname = \"{}\"\nzone = \"{zone}\"\npart = \"{part}\"\n[players.instrument]\nkind = \"rehearsal\"\n\n", capitalise(id))
}

pub fn cue(from: &str, to: &str) -> String {
    format!("[[cues]]\nfrom = \"{from}\"\nto = \"{to}\"\n\n")
}

pub fn cue_with(from: &str, to: &str, extra: &str) -> String {
    format!("[[cues]]\nfrom = \"{from}\"\nto = \"{to}\"\n{extra}\n\n")
}

fn capitalise(id: &str) -> String {
    let mut c = id.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// A performance written event by event; seqs run from 1 without gaps.
pub struct Log {
    pub id: String,
    pub events: Vec<Event>,
}

impl Log {
    pub fn new(id: &str) -> Log {
        Log { id: id.to_string(), events: Vec::new() }
    }

    fn push(&mut self, at_ms: u64, kind: EventKind) -> u64 {
        let seq = self.events.len() as u64 + 1;
        self.events.push(Event { seq, at_ms, kind });
        seq
    }

    pub fn start(&mut self, at: u64, version: &str, players: &[&str]) -> u64 {
        self.push(
            at,
            EventKind::PerformanceStarted {
                performance: self.id.clone(),
                title: "Test".into(),
                context_version: version.into(),
                players: players.iter().map(|p| p.to_string()).collect(),
                offline: true,
                resumed: false,
                tempo: None,
            },
        )
    }

    /// A cue on a real instrument (its output counts for the text measures).
    pub fn cued(&mut self, at: u64, player: &str, chorus: u32, version: &str, handoffs: &[(&str, &str)]) -> u64 {
        self.push(
            at,
            EventKind::PlayerCued {
                player: player.into(),
                chorus,
                context_version: version.into(),
                instrument: "openai test-model".into(),
                rehearsal: false,
                handoffs: handoffs.iter().map(|(f, o)| Handoff { from: f.to_string(), output: o.to_string() }).collect(),
            },
        )
    }

    pub fn finished(&mut self, at: u64, player: &str, chorus: u32, output: &str, elapsed_ms: u64) -> u64 {
        self.push(at, EventKind::PlayerFinished { player: player.into(), chorus, output: output.into(), usage: Usage::default(), cost_usd: 0.0, elapsed_ms })
    }

    pub fn failed(&mut self, at: u64, player: &str, chorus: u32, elapsed_ms: u64) -> u64 {
        self.push(
            at,
            EventKind::PlayerFailed { player: player.into(), chorus, error: "boom".into(), partial_output: String::new(), usage: Usage::default(), cost_usd: 0.0, elapsed_ms },
        )
    }

    pub fn fired(&mut self, at: u64, from: &str, to: &str, count: u32) -> u64 {
        self.push(at, EventKind::CueFired { from: from.into(), to: to.into(), count })
    }

    pub fn held(&mut self, at: u64, from: &str, to: &str, reason: &str) -> u64 {
        self.push(at, EventKind::CueHeld { from: from.into(), to: to.into(), reason: reason.into() })
    }

    pub fn checkpoint(&mut self, at: u64, from: &str, to: &str, approved: bool) -> u64 {
        self.push(at, EventKind::CheckpointWaiting { from: from.into(), to: to.into() });
        self.push(at, EventKind::CheckpointResolved { from: from.into(), to: to.into(), approved, note: None })
    }

    pub fn waiting(&mut self, at: u64, player: &str) -> u64 {
        self.push(at, EventKind::HumanWaiting { player: player.into(), question: "Go on?".into() })
    }

    pub fn edited(&mut self, at: u64, player: &str, output: &str) -> u64 {
        self.push(at, EventKind::OutputEdited { player: player.into(), output: output.into() })
    }

    pub fn finish(&mut self, at: u64, outcome: Outcome, elapsed_ms: u64) -> u64 {
        self.push(at, EventKind::PerformanceFinished { outcome, reason: None, usage: Usage::default(), cost_usd: 0.0, elapsed_ms, players: 0, never_cued: 0, carried: 0 })
    }

    pub fn done(self) -> Performance {
        Performance { id: self.id, events: self.events }
    }
}

pub fn input(score: Score, performances: Vec<Performance>) -> Input {
    Input { performances, ..Input::new(score) }
}

pub fn dimension<'a>(report: &'a Report, id: &str) -> &'a Dimension {
    report.attunement.iter().find(|d| d.id == id).unwrap_or_else(|| panic!("the report has dimension {id}"))
}

/// The metric with `id`, wherever it is in the report.
pub fn metric<'a>(report: &'a Report, id: &str) -> &'a Metric {
    [&report.alignment.mismatches, &report.composition.imbalance, &report.composition.gap_count]
        .into_iter()
        .chain(report.attunement.iter().flat_map(|d| &d.metrics))
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("the report has metric {id}"))
}

pub fn value(report: &Report, id: &str) -> f64 {
    metric(report, id).value.unwrap_or_else(|| panic!("metric {id} has a value: {:#?}", metric(report, id)))
}

/// Every flagged number must say what to do about it.
pub fn assert_flagged_have_advice(report: &Report) {
    let metrics = [&report.alignment.mismatches, &report.composition.imbalance, &report.composition.gap_count]
        .into_iter()
        .chain(report.attunement.iter().flat_map(|d| &d.metrics));
    for m in metrics {
        assert!(!m.flagged || !m.advice.is_empty(), "{} is flagged ({}) but gives no advice", m.id, m.display());
    }
}

pub fn close(actual: f64, expected: f64, why: &str) {
    assert!((actual - expected).abs() < 1e-9, "{why}: expected {expected}, got {actual}");
}
