//! The bounds a person sets (output per attempt, in MiB) reach the instruments of a real
//! performance: a program that writes past the set limit fails with the output up to it kept and
//! recorded, and the same program within a larger limit finishes.
#![cfg(unix)]

use std::path::Path;

use ensemble_api::PerformRequest;
use ensemble_api::bounds::AttemptBounds;
use ensemble_conductor::{Event, EventKind};
use ensemble_store::Store;

/// A one-player score whose program writes exactly 2 MiB of "y" and exits.
const TWO_MIB: usize = 2 << 20;
const SCORE: &str = r#"format = 1
title = "Writer"

[intent]
goal = "Write a lot."

[[players]]
id = "writer"
name = "Writer"
zone = "integrator"
part = "Write."

[players.instrument]
kind = "command"
program = "sh"
args = ["-c", "cat >/dev/null; head -c 2097152 /dev/zero | tr '\\0' y"]
"#;

/// Performs the trusted score within `bounds`; every event as recorded in the store.
fn perform_within(dir: &Path, bounds: AttemptBounds) -> Vec<Event> {
    let store = Store::open(&dir.join("store.sqlite3")).expect("a store opens");
    let file = dir.join("writer.score.toml");
    std::fs::write(&file, SCORE).expect("the test folder is writable");
    let score = ensemble_score::load(&file).expect("the score loads").score;
    ensemble_api::trust::trust(&store, &score, dir, Some(&file)).expect("trust is recorded");
    let limits = bounds.limits().expect("the bounds are in range");
    let staged = ensemble_api::perform::begin(&store, PerformRequest { score, path: Some(file), offline: false, seed: 1 })
        .expect("a trusted score begins")
        .with_limits(limits);
    let id = staged.id.clone();
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime starts").block_on(staged.run(|_| ()));
    store.events(&id).expect("the recorded events read back")
}

#[test]
fn a_program_past_the_set_output_limit_fails_with_its_output_up_to_the_limit_recorded() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let events = perform_within(dir.path(), AttemptBounds { max_output_mib: 1, ..AttemptBounds::default() });

    let failed = events.iter().find_map(|e| match &e.kind {
        EventKind::PlayerFailed { error, partial_output, .. } => Some((error, partial_output)),
        _ => None,
    });
    let (error, partial) = failed.expect("2 MiB of output fails a player limited to 1 MiB");
    assert!(error.contains("more than 1 MiB of output"), "the message names the limit that was set: {error}");
    assert_eq!(partial.len(), 1 << 20, "the output up to the limit is kept");
    assert!(partial.bytes().all(|b| b == b'y'), "what is kept is what the program wrote");
    assert!(!events.iter().any(|e| matches!(e.kind, EventKind::PlayerFinished { .. })), "nothing finished");
}

#[test]
fn the_same_program_within_a_larger_set_limit_finishes() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let events = perform_within(dir.path(), AttemptBounds { max_output_mib: 3, ..AttemptBounds::default() });

    let output = events.iter().find_map(|e| match &e.kind {
        EventKind::PlayerFinished { output, .. } => Some(output),
        _ => None,
    });
    assert_eq!(output.expect("2 MiB fits in 3 MiB").len(), TWO_MIB, "the whole output is recorded");
}
