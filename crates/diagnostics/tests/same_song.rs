//! Same song: players on another shared-context version, and players whose output drifts
//! from the intent (off key).

mod common;

use common::*;
use ensemble_conductor::Outcome;
use ensemble_diagnostics::{EventRef, Performance, Target, diagnose};

fn trio() -> ensemble_score::Score {
    let mut t = header("Export the quarterly report as CSV", "The CSV export matches the report");
    t += &loose("a", "stabilizer", "Build the export.");
    t += &loose("b", "improver", "Check the export.");
    t += &loose("c", "innovator", "Propose a design.");
    score(&t)
}

const OUTPUTS: [(&str, &str); 3] = [("a", "Export of the quarterly report done."), ("b", "The report export matches."), ("c", "Painted the kite red.")];

/// Each player cued once and finished with its output; `c_version` is the version c is cued with.
fn run(id: &str, c_version: &str) -> Performance {
    let mut l = Log::new(id);
    l.start(0, "v1", &["a", "b", "c"]);
    for (i, (p, out)) in OUTPUTS.iter().enumerate() {
        let at = i as u64 * 10;
        l.cued(at, p, 1, if *p == "c" { c_version } else { "v1" }, &[]);
        l.finished(at + 5, p, 1, out, 5);
    }
    l.finish(30, Outcome::Succeeded, 30);
    l.done()
}

#[test]
fn a_player_on_another_context_version_is_named() {
    let report = diagnose(&input(trio(), vec![run("p1", "v2"), run("p2", "v1")]));
    // p1: a, b on v1, c on v2; p2: all on v1. 5 of 6 (performance, player) pairs.
    let same = metric(&report, "same_song.shared_version");
    close(same.value.expect("cued players"), 5.0 / 6.0, "share on the starting version");
    assert!(same.flagged, "anyone off the shared version is flagged");
    assert_eq!(same.evidence.players, vec!["c".to_string()]);
    // c's cue in p1 is seq 6: start, a cued, a finished, b cued, b finished, c cued.
    assert_eq!(same.evidence.events, vec![EventRef::new("p1", 6)]);
    assert_eq!(same.evidence.items[0].note, "in p1 played from v2 instead of v1");
    assert!(same.advice[0].text.starts_with("C played from another shared-context version"), "{}", same.advice[0].text);
    assert_eq!(same.advice[0].target, Target::Context);
}

#[test]
fn off_key_players_are_named_with_the_passage() {
    let report = diagnose(&input(trio(), vec![run("p1", "v1")]));
    // Intent key terms (goal and done-when): export, quarterly, report, match ("CSV" is under
    // four letters). a covers export, quarterly, report: 3/4; b report, export, match: 3/4;
    // c none: 0. Median 0.75; off key below 0.375: c. One of three players.
    let off = metric(&report, "same_song.off_key");
    close(off.value.expect("outputs exist"), 1.0 / 3.0, "share of players off key");
    assert!(off.flagged);
    assert_eq!(off.evidence.players, vec!["c".to_string()]);
    let c = off.evidence.items.iter().find(|i| i.id == "c").expect("c is listed");
    assert_eq!(c.note, "off key: \"Painted the kite red.\"", "named with the passage");
    assert_eq!(off.evidence.events, vec![EventRef::new("p1", 7)], "the output's event");
    assert_eq!(
        off.advice[0].text,
        "C drifts from the intent (covers 0% of its key terms against a median of 75%): put the goal and done-when into C's part"
    );
    let same = metric(&report, "same_song.shared_version");
    assert_eq!((same.value, same.flagged), (Some(1.0), false), "everyone on v1");
}
