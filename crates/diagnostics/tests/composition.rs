//! Composition: zone shares, gaps and imbalance = 1 - H / ln 4, with hand-worked values.

mod common;

use common::*;
use ensemble_diagnostics::{Input, Target, diagnose};
use ensemble_score::Zone;

fn players_in(zones: &[&str]) -> String {
    let mut text = header("Ship the kite", "The kite flies");
    for (i, z) in zones.iter().enumerate() {
        text.push_str(&loose(&format!("p{i}"), z, "Do the work."));
    }
    text
}

#[test]
fn two_zones_half_and_half_is_imbalance_one_half() {
    let report = diagnose(&Input::new(score(&players_in(&["innovator", "innovator", "integrator", "integrator"]))));
    // Shares 1/2, 1/2, 0, 0: H = ln 2, so 1 - ln 2 / ln 4 = 1 - 1/2 = 0.5.
    close(value(&report, "composition.imbalance"), 0.5, "two equal zones out of four");
    assert!(report.composition.imbalance.flagged, "0.5 is above the 0.35 threshold");
    assert_eq!(report.composition.gaps, vec![Zone::Improver, Zone::Stabilizer], "nobody checks or ships");
    close(value(&report, "composition.gaps"), 2.0, "two empty zones");
    let gap = report.advice.iter().find(|a| a.id == "gap.stabilizer").expect("a missing Stabilizer gets advice");
    assert_eq!(gap.text, "no Stabilizer: add a player who checks and ships");
    assert_eq!(gap.target, Target::Zone { zone: Zone::Stabilizer }, "the advice points at the empty zone");
}

#[test]
fn a_half_and_two_quarters_is_imbalance_one_quarter() {
    let report = diagnose(&Input::new(score(&players_in(&["improver", "improver", "innovator", "stabilizer"]))));
    // Shares 1/4 (Innovator), 0, 1/2 (Improver), 1/4: H = 1/2 ln 2 + 2 x 1/4 ln 4 = 1.5 ln 2;
    // H / ln 4 = 0.75, so imbalance 0.25: under the threshold.
    close(value(&report, "composition.imbalance"), 0.25, "a half and two quarters");
    assert!(!report.composition.imbalance.flagged, "0.25 is under 0.35");
    assert!(report.composition.imbalance.advice.is_empty(), "an unflagged metric carries no advice");
    assert_eq!(report.composition.gaps, vec![Zone::Integrator]);
}

#[test]
fn one_player_and_all_in_one_zone_are_fully_imbalanced() {
    for zones in [vec!["improver"], vec!["stabilizer", "stabilizer", "stabilizer"]] {
        let report = diagnose(&Input::new(score(&players_in(&zones))));
        // One zone holds everything: H = 0, imbalance = 1.
        close(value(&report, "composition.imbalance"), 1.0, "a single zone");
        assert_eq!(report.composition.gaps.len(), 3, "three zones are empty with {zones:?}");
        let imbalance = report.advice.iter().find(|a| a.id == "imbalance").expect("imbalance advice");
        assert!(imbalance.text.starts_with("100% of players are"), "the advice names the crowded zone: {}", imbalance.text);
    }
}

#[test]
fn one_per_zone_is_balanced() {
    let report = diagnose(&Input::new(score(&players_in(&["innovator", "integrator", "improver", "stabilizer"]))));
    close(value(&report, "composition.imbalance"), 0.0, "a quarter in each zone has the highest entropy");
    assert!(report.composition.gaps.is_empty());
    assert!(!report.composition.gap_count.flagged);
    let shares: Vec<f64> = report.composition.zones.iter().map(|z| z.share).collect();
    assert_eq!(shares, vec![0.25; 4]);
}
