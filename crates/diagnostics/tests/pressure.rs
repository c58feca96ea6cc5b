//! Cohesion under pressure, tempo and "who should step forward", on one small band with a
//! failure that another player covers, a failure nobody covers, and a performance that stalled.

mod common;

use common::*;
use ensemble_conductor::Outcome;
use ensemble_diagnostics::{EventRef, Performance, Target, diagnose, render_text};
use ensemble_score::Zone;

/// Planner -> Worker; Worker on failure -> Backup, on success -> Checker; Backup -> Checker.
fn band() -> String {
    let mut t = header("Ship the kite", "The kite flies");
    t += &section("plan", "integrator");
    t += &section("build", "stabilizer");
    t += &section("quality", "improver");
    t += &player("planner", "plan", "Plan.");
    t += &player("worker", "build", "Build.");
    t += &player("backup", "build", "Build if the worker cannot.");
    t += &player("checker", "quality", "Check.");
    t += &cue("planner", "worker");
    t += &cue_with("worker", "backup", "when = \"failure\"");
    t += &cue_with("worker", "checker", "when = \"success\"");
    t += &cue("backup", "checker");
    t
}

/// The worker fails at 3 s, the backup covers (3-7 s), the checker starts 2 s after the hand-off.
fn covered() -> Performance {
    let mut l = Log::new("p1");
    l.start(0, "v1", &["planner", "worker", "backup", "checker"]);
    l.cued(0, "planner", 1, "v1", &[]);
    l.finished(1000, "planner", 1, "plan", 1000);
    l.fired(1000, "planner", "worker", 1);
    l.cued(1000, "worker", 1, "v1", &[("planner", "plan")]);
    l.failed(3000, "worker", 1, 2000);
    l.fired(3000, "worker", "backup", 1);
    l.held(3000, "worker", "checker", "condition `success` not met");
    l.cued(3000, "backup", 1, "v1", &[("worker", "Worker failed: boom")]);
    l.finished(7000, "backup", 1, "built", 4000);
    l.fired(7000, "backup", "checker", 1);
    l.cued(9000, "checker", 1, "v1", &[("backup", "built")]);
    l.finished(10000, "checker", 1, "checked", 1000);
    l.finish(10000, Outcome::Succeeded, 10000);
    l.done()
}

/// The worker fails, the backup fails too: the performance fails.
fn uncovered() -> Performance {
    let mut l = Log::new("p2");
    l.start(0, "v1", &["planner", "worker", "backup", "checker"]);
    l.cued(0, "planner", 1, "v1", &[]);
    l.finished(1000, "planner", 1, "plan", 1000);
    l.fired(1000, "planner", "worker", 1);
    l.cued(1000, "worker", 1, "v1", &[("planner", "plan")]);
    l.failed(2000, "worker", 1, 1000);
    l.fired(2000, "worker", "backup", 1);
    l.cued(2000, "backup", 1, "v1", &[("worker", "Worker failed: boom")]);
    l.failed(2500, "backup", 1, 500);
    l.finish(2500, Outcome::Failed, 2500);
    l.done()
}

/// Never finished: the worker was cued and nothing more was recorded.
fn stalled() -> Performance {
    let mut l = Log::new("p3");
    l.start(0, "v1", &["planner", "worker", "backup", "checker"]);
    l.cued(0, "planner", 1, "v1", &[]);
    l.finished(1000, "planner", 1, "plan", 1000);
    l.fired(1000, "planner", "worker", 1);
    l.cued(1000, "worker", 1, "v1", &[("planner", "plan")]);
    l.done()
}

#[test]
fn recovery_time_to_recover_and_backup() {
    let report = diagnose(&input(score(&band()), vec![covered(), uncovered()]));
    // Two performances had a failure; p1 still succeeded: 1/2 (not below 0.5).
    close(value(&report, "cohesion.recovery"), 0.5, "recovery rate");
    // Only p1's worker failure was followed by a finished chorus: 3 s -> 7 s = 4000 ms.
    close(value(&report, "cohesion.time_to_recover"), 4000.0, "time to recover");
    // Three failures (p1 worker, p2 worker, p2 backup); only the first was covered: 1/3.
    let backup = metric(&report, "cohesion.backup");
    close(backup.value.expect("failures happened"), 1.0 / 3.0, "backup share");
    assert!(backup.flagged);
    assert_eq!(backup.evidence.events, vec![EventRef::new("p1", 6), EventRef::new("p2", 6), EventRef::new("p2", 9)], "every failure is evidence");
    let texts: Vec<&str> = backup.advice.iter().map(|a| a.text.as_str()).collect();
    // The backup's nearest fellow Stabilizer is the worker; the worker already has a failure
    // cue to the backup, so its nearest other choice is the Improver checker.
    assert_eq!(
        texts,
        vec![
            "nobody covers for Backup when it fails: add a failure cue from Backup to Worker",
            "nobody covers for Worker when it fails: add a failure cue from Worker to Checker",
        ]
    );
    assert_eq!(backup.advice[1].target, Target::Cue { from: "worker".into(), to: "checker".into() });
    assert_flagged_have_advice(&report);
}

#[test]
fn tempo_critical_path_latency_and_bottleneck() {
    let report = diagnose(&input(score(&band()), vec![covered(), uncovered()]));
    // p1: planner 1000 + worker 2000 + backup 4000 + checker 1000 = 8000 of 10000 ms = 0.8.
    // p2: planner 1000 + worker 1000 + backup 500 = 2500 of 2500 = 1. Mean 0.9.
    close(value(&report, "tempo.critical_path"), 0.9, "critical path over wall time");
    // Hand-offs: p1 0, 0, 2000 (backup ended 7000, checker cued 9000); p2 0, 0.
    // Nearest-rank p95 of five values is the 5th smallest: 2000.
    close(value(&report, "tempo.handoff_p95"), 2000.0, "p95 hand-off latency");
    // Idle: planner (0.9 + 0.6) / 2, worker (0.8 + 0.6) / 2, backup (0.6 + 0.8) / 2, checker 0.9.
    close(value(&report, "tempo.idle"), (0.75 + 0.7 + 0.7 + 0.9) / 4.0, "mean idle share");
    // On the critical paths: planner 2000, worker 3000, backup 4500, checker 1000 of 10500.
    let bottleneck = metric(&report, "tempo.bottleneck");
    close(bottleneck.value.expect("paths exist"), 4500.0 / 10500.0, "the backup's share");
    assert_eq!(bottleneck.evidence.players, vec!["backup".to_string()], "the bottleneck is named");
    assert!(!bottleneck.flagged, "43% is not above 50%");
}

#[test]
fn each_performance_has_its_own_trend_point() {
    let report = diagnose(&input(score(&band()), vec![covered(), uncovered()]));
    let line = report.performance_trend.iter().find(|l| l.id == "tempo.critical_path").expect("a per-performance line");
    let values: Vec<Option<f64>> = line.points.iter().map(|p| p.value).collect();
    // p1: 8000 of 10000 ms; p2: 2500 of 2500 ms (the 0.9 of the whole is their mean).
    assert_eq!(values, vec![Some(0.8), Some(1.0)]);
    let recovery = report.performance_trend.iter().find(|l| l.id == "cohesion.recovery").expect("recovery per performance");
    assert_eq!(recovery.points.iter().map(|p| p.value).collect::<Vec<_>>(), vec![Some(1.0), Some(0.0)], "p1 recovered, p2 did not");
    assert!(report.performance_trend.iter().all(|l| l.id != "listening.ei_cues"), "a score-only value does not vary by performance");
    assert!(render_text(&report).contains("OVER THE LAST 2 PERFORMANCES"), "{}", render_text(&report));
}

#[test]
fn a_performance_stalled_on_a_person_calls_for_an_integrator() {
    let mut l = Log::new("p4");
    l.start(0, "v1", &["planner", "worker", "backup", "checker"]);
    l.cued(0, "planner", 1, "v1", &[]);
    l.finished(1000, "planner", 1, "plan", 1000);
    l.fired(1000, "planner", "worker", 1);
    l.cued(1000, "worker", 1, "v1", &[("planner", "plan")]);
    l.waiting(1001, "worker");
    let report = diagnose(&input(score(&band()), vec![l.done()]));
    let s = &report.step_forward[0];
    assert_eq!((s.situation.as_str(), s.zone), ("stalled", Zone::Integrator), "someone has to decide for the person who did not answer");
    assert_eq!(s.player.as_deref(), Some("planner"), "the only Integrator");
    assert_eq!(s.evidence, vec![EventRef::new("p4", 6)], "the question that was never answered");
}

#[test]
fn who_should_step_forward() {
    let report = diagnose(&input(score(&band()), vec![covered(), uncovered(), stalled()]));
    assert_eq!(report.step_forward.len(), 2, "p1 succeeded; p2 failed and p3 stalled");
    let failed = &report.step_forward[0];
    assert_eq!((failed.performance.as_str(), failed.situation.as_str()), ("p2", "failed"));
    assert_eq!(failed.at_player.as_deref(), Some("backup"), "the last player to fail");
    assert_eq!(failed.zone, Zone::Improver, "a failure calls for someone who finds out why");
    assert_eq!(failed.player.as_deref(), Some("checker"), "the only Improver");
    let stalled = &report.step_forward[1];
    assert_eq!((stalled.performance.as_str(), stalled.situation.as_str()), ("p3", "stalled"));
    assert_eq!(stalled.zone, Zone::Stabilizer);
    assert_eq!(stalled.player.as_deref(), Some("backup"), "the nearest other Stabilizer to the stalled worker");
    assert_eq!(stalled.evidence, vec![EventRef::new("p3", 5)], "the worker's cue (seq 5), which never ended");
    assert!(report.notes.iter().any(|n| n.contains("p3 never finished")), "{:?}", report.notes);
}
