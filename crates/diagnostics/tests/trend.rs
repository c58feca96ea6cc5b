//! The maturity track: records, trend lines and advice followed since.

mod common;

use common::*;
use ensemble_diagnostics::{DiagnosisRecord, Input, Target, diagnose, fingerprint};
use ensemble_score::Zone;

fn first_score() -> String {
    let mut t = header("Ship the kite", "The kite flies");
    t += &loose("idea", "innovator", "Explore options.");
    t += &loose("hub", "integrator", "Coordinate the team.");
    t += &cue("idea", "hub");
    t
}

#[test]
fn trend_and_advice_followed() {
    let v1 = score(&first_score());
    let first = diagnose(&Input { created_ms: Some(1000), ..Input::new(v1.clone()) });
    let ids: Vec<&str> = first.record.advice.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, vec!["gap.improver", "gap.stabilizer", "imbalance"], "two gaps and an imbalance of 0.5");
    // The store keeps the record as JSON: it must come back the same.
    let stored = serde_json::to_string(&first.record).expect("a record serialises");
    let back: DiagnosisRecord = serde_json::from_str(&stored).expect("and parses back");
    assert_eq!(back, first.record);

    // The composer adds a Stabilizer.
    let second_text = first_score() + &loose("shipper", "stabilizer", "Build and ship.");
    let v2 = score(&second_text);
    let second = diagnose(&Input { created_ms: Some(2000), history: vec![back], ..Input::new(v2.clone()) });

    let follow = |id: &str| second.followed.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("{id} is followed up"));
    assert!(follow("gap.stabilizer").followed, "the Stabilizer zone now has a player");
    assert!(!follow("gap.stabilizer").still_given);
    assert!(!follow("gap.improver").followed, "still no Improver");
    assert!(follow("gap.improver").still_given);
    // Zones changed (1, 1, 0, 1): followed; 1 - ln 3 / ln 4 = 0.2075 is no longer flagged.
    assert!(follow("imbalance").followed && !follow("imbalance").still_given);
    assert_eq!(follow("gap.improver").given_ms, 1000);

    let line = second.trend.iter().find(|l| l.id == "composition.imbalance").expect("a trend line per metric");
    let values: Vec<f64> = line.points.iter().map(|p| p.value.expect("both have a value")).collect();
    assert_eq!(line.points.iter().map(|p| p.created_ms).collect::<Vec<_>>(), vec![1000, 2000]);
    close(values[0], 0.5, "first diagnosis: shares 1/2, 1/2");
    close(values[1], 1.0 - 3f64.ln() / 4f64.ln(), "second: three zones of a third");
    assert_ne!(line.points[0].score_hash, line.points[1].score_hash, "the score changed between them");

    // A part rewritten changes its fingerprint; an unrelated change does not.
    let part = Target::Part { player: "idea".into() };
    let mut v3 = v2.clone();
    v3.title = "Renamed".into();
    assert_eq!(fingerprint(&v2, &part), fingerprint(&v3, &part), "the title is not idea's part");
    v3.players[0].part = "Explore options and propose three.".into();
    assert_ne!(fingerprint(&v2, &part), fingerprint(&v3, &part), "the part was rewritten");
    assert_ne!(fingerprint(&v1, &Target::Zone { zone: Zone::Stabilizer }), fingerprint(&v2, &Target::Zone { zone: Zone::Stabilizer }));
}

#[test]
fn records_are_ordered_by_time_whatever_order_they_come_in() {
    let v1 = score(&first_score());
    let a = diagnose(&Input { created_ms: Some(10), ..Input::new(v1.clone()) }).record;
    let b = diagnose(&Input { created_ms: Some(20), ..Input::new(v1.clone()) }).record;
    let now = diagnose(&Input { created_ms: Some(30), history: vec![b, a], ..Input::new(v1) });
    let line = now.trend.iter().find(|l| l.id == "composition.imbalance").expect("a line");
    assert_eq!(line.points.iter().map(|p| p.created_ms).collect::<Vec<_>>(), vec![10, 20, 30]);
    assert!(now.followed.iter().all(|f| !f.followed && f.still_given), "nothing changed, all advice stands");
}
