//! Listening across sections: E-I index over cues and over fired cues, silo advice, uptake.

mod common;

use common::*;
use ensemble_conductor::Outcome;
use ensemble_diagnostics::{CueRef, EventRef, Input, Target, diagnose};

/// Build (coder, helper), Quality (reviewer, tester), Docs (writer).
/// Cues: coder->helper (within), coder->reviewer (across), helper->reviewer (across),
/// reviewer->tester (within), tester->writer (across): E = 3, I = 2.
fn band() -> String {
    let mut t = header("Ship the kite", "The kite flies");
    t += &section("build", "integrator");
    t += &section("quality", "improver");
    t += &section("docs", "stabilizer");
    t += &player("coder", "build", "Write the code.");
    t += &player("helper", "build", "Help the coder.");
    t += &player("reviewer", "quality", "Review the code.");
    t += &player("tester", "quality", "Test the code.");
    t += &player("writer", "docs", "Write the guide.");
    for (f, to) in [("coder", "helper"), ("coder", "reviewer"), ("helper", "reviewer"), ("reviewer", "tester"), ("tester", "writer")] {
        t += &cue(f, to);
    }
    t
}

const CODER: &str = "Refactored the tokenizer module and added streaming support.";
const HELPER: &str = "Helper notes on tokenizer streaming.";
const TESTER: &str = "Regression matrix covering locale parsing.";

fn played() -> Vec<ensemble_diagnostics::Performance> {
    let mut a = Log::new("p1");
    a.start(0, "v1", &["coder", "helper", "reviewer", "tester", "writer"]);
    a.cued(0, "coder", 1, "v1", &[]);
    a.finished(100, "coder", 1, CODER, 100);
    a.fired(100, "coder", "helper", 1);
    a.fired(100, "coder", "reviewer", 1);
    a.cued(100, "helper", 1, "v1", &[("coder", CODER)]);
    a.finished(200, "helper", 1, HELPER, 100);
    a.fired(200, "helper", "reviewer", 1);
    a.cued(200, "reviewer", 1, "v1", &[("coder", CODER), ("helper", HELPER)]);
    a.finished(300, "reviewer", 1, "Looks fine.\nVERDICT: APPROVED", 100);
    a.fired(300, "reviewer", "tester", 1);
    a.cued(300, "tester", 1, "v1", &[("reviewer", "Looks fine.")]);
    a.finished(400, "tester", 1, TESTER, 100);
    a.fired(400, "tester", "writer", 1);
    a.fired(400, "ghost", "writer", 1);
    a.cued(400, "writer", 1, "v1", &[("tester", TESTER)]);
    a.finished(500, "writer", 1, "Documented locale parsing limits.", 100);
    a.finish(500, Outcome::Succeeded, 500);

    let mut b = Log::new("p2");
    b.start(1000, "v1", &["coder", "helper", "reviewer", "tester", "writer"]);
    b.cued(1000, "coder", 1, "v1", &[]);
    b.finished(1100, "coder", 1, CODER, 100);
    b.fired(1100, "coder", "helper", 1);
    b.cued(1100, "helper", 1, "v1", &[("coder", CODER)]);
    b.failed(1200, "helper", 1, 100);
    b.finish(1200, Outcome::Failed, 200);
    vec![a.done(), b.done()]
}

#[test]
fn ei_index_over_cues_and_over_firings() {
    let report = diagnose(&input(score(&band()), played()));
    // Score cues: E = 3, I = 2: (3 - 2) / 5 = 0.2.
    close(value(&report, "listening.ei_cues"), 0.2, "E-I over the score's cues");
    // Fired, known players only: p1 coder->helper (I), coder->reviewer (E), helper->reviewer (E),
    // reviewer->tester (I), tester->writer (E); p2 coder->helper (I). ghost->writer is not in the
    // score and is left out. E = 3, I = 3: 0.
    close(value(&report, "listening.ei_fired"), 0.0, "E-I over the cues that fired");
    assert!(!report.attunement[0].metrics[0].flagged, "0.2 is not a silo");
    let crossing = &report.attunement[0].metrics[0].evidence.cues;
    assert_eq!(crossing, &vec![CueRef::new("coder", "reviewer"), CueRef::new("helper", "reviewer"), CueRef::new("tester", "writer")]);
    assert!(report.notes.iter().any(|n| n.contains("ghost")), "the unknown player is noted: {:?}", report.notes);
}

#[test]
fn uptake_counts_hand_offs_whose_terms_reach_the_output() {
    let report = diagnose(&input(score(&band()), played()));
    // Cross-section hand-offs the receiver finished on: coder->reviewer and helper->reviewer
    // (the verdict "Looks fine. VERDICT: APPROVED" shares none of their terms: unused) and
    // tester->writer ({regression, matrix, cover, locale, pars}: the writer's output has
    // locale and pars, 2 of 5 = 0.4 >= 0.2: used). Uptake 1 of 3.
    let uptake = metric(&report, "listening.uptake");
    close(uptake.value.expect("uptake has a value"), 1.0 / 3.0, "one of three hand-offs used");
    assert!(uptake.flagged, "1/3 is under 0.5");
    // The unused ones are traced to the reviewer's cue (seq 9 in p1).
    assert_eq!(uptake.evidence.events, vec![EventRef::new("p1", 9)]);
    let texts: Vec<&str> = uptake.advice.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "Reviewer did not use what Coder handed on (1 of 1 times): say in Reviewer's part what to take from Coder's output",
            "Reviewer did not use what Helper handed on (1 of 1 times): say in Reviewer's part what to take from Helper's output",
        ]
    );
    assert_eq!(uptake.advice[0].target, Target::Part { player: "reviewer".into() });
    assert_flagged_have_advice(&report);
}

#[test]
fn sections_that_keep_to_themselves_are_a_silo() {
    let mut t = header("Ship the kite", "The kite flies");
    t += &section("alpha", "innovator");
    t += &section("beta", "stabilizer");
    t += &player("a1", "alpha", "Explore.");
    t += &player("a2", "alpha", "Explore more.");
    t += &player("b1", "beta", "Build.");
    t += &player("b2", "beta", "Ship.");
    t += &cue("a1", "a2");
    t += &cue("b1", "b2");
    let report = diagnose(&Input::new(score(&t)));
    // No cue crosses: E = 0, I = 2: -1, below -0.3.
    let ei = metric(&report, "listening.ei_cues");
    close(ei.value.expect("two sections have an index"), -1.0, "every cue stays inside");
    assert!(ei.flagged, "-1 is a silo");
    let texts: Vec<&str> = ei.advice.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(texts, vec!["Alpha never hears from Beta: add a cue from B1 to A1", "Beta never hears from Alpha: add a cue from A1 to B1"]);
    assert_eq!(ei.advice[1].target, Target::Sections { from: "alpha".into(), to: "beta".into() });
    assert_eq!(metric(&report, "listening.ei_fired").value, None, "nothing fired without performances");
    assert_eq!(metric(&report, "listening.uptake").value, None, "no hand-offs without performances");
}

#[test]
fn sections_that_mostly_talk_inside_get_a_cue_to_add() {
    // Each section hears from the other once, but keeps three cues inside: E = 2, I = 5,
    // (2 - 5) / 7 = -3/7 < -0.3. No section is deaf, so the advice opens up the most inward one.
    let mut t = header("Ship the kite", "The kite flies");
    t += &section("alpha", "innovator");
    t += &section("beta", "stabilizer");
    for p in ["a1", "a2", "a3", "a4"] {
        t += &player(p, "alpha", "Explore.");
    }
    for p in ["b1", "b2", "b3"] {
        t += &player(p, "beta", "Build.");
    }
    for (f, to) in [("a1", "a2"), ("a2", "a3"), ("a3", "a4"), ("b1", "b2"), ("b2", "b3"), ("a4", "b1")] {
        t += &cue(f, to);
    }
    // The way back closes a cycle, so it needs a repeat limit.
    t += &cue_with("b3", "a1", "max_repeats = 1");
    let report = diagnose(&Input::new(score(&t)));
    let ei = metric(&report, "listening.ei_cues");
    close(ei.value.expect("two sections"), -3.0 / 7.0, "E = 2, I = 5");
    assert!(ei.flagged);
    assert_eq!(ei.advice[0].text, "Alpha keeps 3 cues to itself: add a cue from A1 to B1 in Beta");
    assert_flagged_have_advice(&report);
}

#[test]
fn one_section_has_nothing_to_listen_across() {
    let mut t = header("Ship the kite", "The kite flies");
    t += &section("solo", "integrator");
    t += &player("a", "solo", "Plan.");
    t += &player("b", "solo", "Do.");
    t += &cue("a", "b");
    let report = diagnose(&Input::new(score(&t)));
    let ei = metric(&report, "listening.ei_cues");
    assert_eq!(ei.value, None, "one section: no E-I index");
    assert!(!ei.flagged && ei.advice.is_empty(), "and nothing to flag");
}
