//! Trust vs tolerance: first-pass acceptance, calibration, rework and review-loop choruses.

mod common;

use common::*;
use ensemble_conductor::Outcome;
use ensemble_diagnostics::{EventRef, Performance, Target, diagnose};

/// Coder -> Reviewer; Reviewer sends back (loop, at most 3) or on to the Shipper.
fn review_band() -> String {
    let mut t = header("Ship the kite", "The kite flies");
    t += &section("build", "stabilizer");
    t += &section("quality", "improver");
    t += &player("coder", "build", "Write the code.");
    t += &player("reviewer", "quality", "Review the code.");
    t += &player("shipper", "build", "Ship it.");
    t += &cue("coder", "reviewer");
    t += &cue_with("reviewer", "coder", "when = \"verdict\"\nverdict = \"CHANGES\"\nmax_repeats = 3");
    t += &cue_with("reviewer", "shipper", "when = \"verdict\"\nverdict = \"APPROVED\"");
    t
}

/// A performance whose reviewer asks for changes `rejections` times, then approves; the shipper
/// then succeeds or fails. Returns the performance.
fn reviewed(id: &str, rejections: u32, ship_ok: bool, edit: bool) -> Performance {
    let mut l = Log::new(id);
    let mut at = 0;
    l.start(at, "v1", &["coder", "reviewer", "shipper"]);
    for chorus in 1..=rejections + 1 {
        at += 10;
        l.cued(at, "coder", chorus, "v1", &[]);
        at += 100;
        l.finished(at, "coder", chorus, "the code", 100);
        if edit && chorus == 1 {
            l.edited(at, "coder", "the code, fixed by hand");
        }
        l.fired(at, "coder", "reviewer", chorus);
        l.cued(at, "reviewer", chorus, "v1", &[("coder", "the code")]);
        at += 50;
        if chorus <= rejections {
            l.finished(at, "reviewer", chorus, "VERDICT: CHANGES REQUESTED", 50);
            l.fired(at, "reviewer", "coder", chorus);
            l.held(at, "reviewer", "shipper", "verdict /APPROVED/ did not match");
        } else {
            l.finished(at, "reviewer", chorus, "VERDICT: APPROVED", 50);
            l.held(at, "reviewer", "coder", "verdict /CHANGES/ did not match");
            l.fired(at, "reviewer", "shipper", 1);
        }
    }
    l.cued(at, "shipper", 1, "v1", &[("reviewer", "VERDICT: APPROVED")]);
    at += 20;
    if ship_ok {
        l.finished(at, "shipper", 1, "shipped", 20);
        l.finish(at, Outcome::Succeeded, at);
    } else {
        l.failed(at, "shipper", 1, 20);
        l.finish(at, Outcome::Failed, at);
    }
    l.done()
}

#[test]
fn review_loop_acceptance_calibration_and_rework() {
    let performances = vec![
        reviewed("p1", 2, true, false),
        reviewed("p2", 0, true, false),
        reviewed("p3", 0, false, false),
        reviewed("p4", 1, true, true),
    ];
    let report = diagnose(&input(score(&review_band()), performances));
    // The reviewer's first chorus passed the work in p2 and p3, not in p1 and p4: 2 of 4.
    close(value(&report, "trust.first_pass"), 0.5, "first-pass acceptance");
    assert!(!metric(&report, "trust.first_pass").flagged, "0.5 is not below 0.5");
    // Of the accepted (p2, p3), p2 succeeded: 1/2; calibration = 1 - |0.5 - 0.5| = 1.
    close(value(&report, "trust.calibration"), 1.0, "acceptance matches later success");
    // Rework: p1 two loops, p4 one loop and one edit: (2 + 0 + 0 + 2) / 4 = 1.
    close(value(&report, "trust.rework"), 1.0, "rework per performance");
    // The coder played 3, 1, 1 and 2 choruses: 7/4.
    close(value(&report, "trust.loop_choruses"), 1.75, "mean choruses of the review loop");
    assert!(!metric(&report, "trust.loop_choruses").flagged, "1.75 is under 2");
    assert_eq!(metric(&report, "trust.rework").evidence.players, vec!["coder".to_string()], "the edited output is the coder's");
}

#[test]
fn a_long_review_loop_is_flagged_with_advice_for_the_coder() {
    let report = diagnose(&input(score(&review_band()), vec![reviewed("p1", 2, true, false)]));
    let loop_metric = metric(&report, "trust.loop_choruses");
    close(loop_metric.value.expect("the loop played"), 3.0, "three choruses in the only performance");
    assert!(loop_metric.flagged, "3 is above 2");
    assert_eq!(
        loop_metric.advice[0].text,
        "the review loop Reviewer -> Coder took 3.0 choruses on average: tighten Coder's part with what Reviewer checks"
    );
    assert_eq!(loop_metric.advice[0].target, Target::Part { player: "coder".into() });
    let first = metric(&report, "trust.first_pass");
    close(first.value.expect("one gate reached"), 0.0, "the first verdict sent the work back");
    assert!(first.flagged);
    // Traced to the reviewer's first finish (seq 6: start, cued, finished, fired, cued, finished).
    assert_eq!(first.evidence.events, vec![EventRef::new("p1", 6)]);
    assert_eq!(metric(&report, "trust.calibration").value, None, "nothing was accepted first time, so nothing to calibrate");
    assert_flagged_have_advice(&report);
}

#[test]
fn a_checkpoint_that_approves_failing_work_is_miscalibrated() {
    let mut t = header("Ship the kite", "The kite flies");
    t += &loose("a", "stabilizer", "Build it.");
    t += &loose("b", "stabilizer", "Ship it.");
    t += &cue_with("a", "b", "checkpoint = true");
    let run = |id: &str, first_ok: bool, outcome: Outcome| {
        let mut l = Log::new(id);
        l.start(0, "v1", &["a", "b"]);
        l.cued(0, "a", 1, "v1", &[]);
        l.finished(10, "a", 1, "built", 10);
        l.checkpoint(20, "a", "b", first_ok);
        if !first_ok {
            // The conductor re-cues a by hand, then approves.
            l.cued(30, "a", 2, "v1", &[]);
            l.finished(40, "a", 2, "built again", 10);
            l.checkpoint(50, "a", "b", true);
        }
        l.fired(60, "a", "b", 1);
        l.cued(60, "b", 1, "v1", &[("a", "built")]);
        l.finished(70, "b", 1, "shipped", 10);
        l.finish(70, outcome, 70);
        l.done()
    };
    let report = diagnose(&input(score(&t), vec![run("p1", false, Outcome::Succeeded), run("p2", true, Outcome::Failed)]));
    // First resolutions: p1 rejected, p2 approved: 1/2. The approved one failed: later success 0.
    // Calibration = 1 - |0.5 - 0| = 0.5, under 0.7: the checkpoint trusts too much.
    close(value(&report, "trust.first_pass"), 0.5, "one of two checkpoints approved first");
    let calibration = metric(&report, "trust.calibration");
    close(calibration.value.expect("something was accepted"), 0.5, "calibration");
    assert!(calibration.flagged);
    assert_eq!(calibration.advice[0].text, "the checkpoint A -> B approves work that later fails: check it against the intent's done-when before approving");
    assert_eq!(calibration.advice[0].target, Target::Cue { from: "a".into(), to: "b".into() });
    // p1: a re-cue that no loop made. Rework (1 + 0) / 2.
    close(value(&report, "trust.rework"), 0.5, "one re-cue over two performances");
}
