//! Real performances: a score conducted with rehearsal instruments through the conductor, then
//! diagnosed, so the engine reads the events exactly as the conductor records them.

mod common;

use common::*;
use ensemble_conductor::{Conductor, Event, MemoryJournal, Options, Outcome};
use ensemble_diagnostics::{Performance, diagnose, render_html, render_text};

async fn conduct(text: &str, id: &str) -> (Outcome, Vec<Event>) {
    let options = Options { performance: Some(id.into()), base_dir: std::env::temp_dir(), seed: 7, offline: true, prior: Vec::new() };
    let mut conductor = Conductor::new(score(text), options, Box::new(MemoryJournal::default()));
    let mut rx = conductor.subscribe();
    let outcome = conductor.run().await;
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    (outcome, events)
}

fn review_score() -> String {
    let mut t = header("Ship the kite", "The kite flies");
    t += &section("build", "stabilizer");
    t += &section("quality", "improver");
    t += &player("coder", "build", "Build the kite.");
    t += "[[players]]\nid = \"reviewer\"\nname = \"Reviewer\"\nsection = \"quality\"\npart = \"Review the kite.\"\n[players.instrument]\nkind = \"rehearsal\"\nverdicts = [\"CHANGES REQUESTED\", \"APPROVED\"]\n\n";
    t += &player("shipper", "build", "Ship the kite.");
    t += &cue("coder", "reviewer");
    t += &cue_with("reviewer", "coder", "when = \"verdict\"\nverdict = \"CHANGES\"\nmax_repeats = 3");
    t += &cue_with("reviewer", "shipper", "when = \"verdict\"\nverdict = \"APPROVED\"");
    t
}

#[tokio::test]
async fn a_conducted_review_loop() {
    let text = review_score();
    let (outcome, events) = conduct(&text, "live").await;
    assert_eq!(outcome, Outcome::Succeeded, "the rehearsal approves on the second chorus");
    let report = diagnose(&input(score(&text), vec![Performance { id: "live".into(), events }]));
    // The reviewer asks for changes once, then approves: the coder plays 2 choruses.
    close(value(&report, "trust.loop_choruses"), 2.0, "one trip round the loop");
    close(value(&report, "trust.first_pass"), 0.0, "the first verdict sent the work back");
    close(value(&report, "trust.rework"), 1.0, "one loop taken, no re-cue, no edit");
    close(value(&report, "same_song.shared_version"), 1.0, "everyone plays the one shared context");
    // Score cues: coder->reviewer, reviewer->coder across; reviewer->shipper across: E = 3, I = 0.
    close(value(&report, "listening.ei_cues"), 1.0, "every cue crosses a section");
    assert_eq!(metric(&report, "cohesion.recovery").value, None, "nobody failed: nothing to recover from");
    assert!(report.step_forward.is_empty(), "a successful performance needs nobody to step forward");
    // Rehearsal stand-ins write no real output: the text measures have nothing to read.
    assert_eq!(metric(&report, "same_song.off_key").value, None, "no real output to compare with the intent");
    assert_eq!(metric(&report, "listening.uptake").value, None, "no real output to look for hand-offs in");
    assert!(report.notes.iter().any(|n| n.contains("rehearsal stand-ins")), "{:?}", report.notes);
}

#[tokio::test]
async fn a_conducted_failure_covered_by_a_backup() {
    let mut text = header("Ship the kite", "The kite flies");
    text += "[[players]]\nid = \"worker\"\nname = \"Worker\"\nzone = \"stabilizer\"\nretries = 0\npart = \"Build.\"\n[players.instrument]\nkind = \"rehearsal\"\nfailure_rate = 1.0\n\n";
    text += &loose("backup", "stabilizer", "Build when the worker cannot.");
    text += &cue_with("worker", "backup", "when = \"failure\"");
    let (_, events) = conduct(&text, "fail").await;
    let report = diagnose(&input(score(&text), vec![Performance { id: "fail".into(), events }]));
    close(value(&report, "cohesion.backup"), 1.0, "the failure cue fired and the backup finished");
    assert!(report.alignment.players.iter().all(|p| !p.mismatch), "both play as declared");
    render_text(&report);
    render_html(&report, None);
}
