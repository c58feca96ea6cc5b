//! The conductor's keys at a terminal, through the built binary: `ensemble run` under `script`,
//! which gives it a pseudo-terminal, so it reads keys from its stdin as it would from a person.
#![cfg(target_os = "linux")]

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{json_lines, of_type, text};

/// Two players in step tempo: without a key nothing after the start can play.
const STEPPED: &str = r#"format = 1
title = "Stepped"

[intent]
goal = "Try the keys"

[tempo]
mode = "step"

[[players]]
id = "draft"
name = "Draft"
zone = "innovator"
part = "Draft it."
instrument = { kind = "rehearsal" }

[[players]]
id = "check"
name = "Check"
zone = "improver"
part = "Check it."
instrument = { kind = "rehearsal" }

[[cues]]
from = "draft"
to = "check"
"#;

#[test]
fn the_tempo_key_hands_a_stepped_performance_back_to_the_conductor() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let score = dir.path().join("stepped.score.toml");
    std::fs::write(&score, STEPPED).expect("the score is written");
    let db = dir.path().join("store.sqlite3");
    let events = dir.path().join("events.jsonl");
    let line = format!(
        "'{}' run '{}' --db '{}' --offline --events '{}'",
        env!("CARGO_BIN_EXE_ensemble"),
        score.display(),
        db.display(),
        events.display()
    );
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_remove("ENSEMBLE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("script (util-linux) runs");
    // `a`: autonomous tempo. Stdin stays open until the end, so the terminal is not closed under it.
    let mut keys = child.stdin.take().expect("stdin is piped");
    keys.write_all(b"a\n").expect("the key is typed");
    keys.flush().expect("the key is sent");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let seen = std::fs::read_to_string(&events).unwrap_or_default();
            panic!(
                "the performance did not end within a minute of the key: it still waits for a step; events:\n{seen}"
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(keys);
    let recorded = json_lines(&text(
        &std::fs::read(&events).expect("--events was written"),
    ));
    assert!(
        status.success(),
        "ensemble run succeeded once the tempo was autonomous; events: {recorded:?}"
    );
    let changed = of_type(&recorded, "tempo_changed");
    assert_eq!(changed.len(), 1, "the key was recorded as one tempo change");
    assert_eq!(changed[0]["mode"], "autonomous");
    assert!(
        of_type(&recorded, "stepped").is_empty(),
        "nobody stepped: the tempo change released both players"
    );
    assert_eq!(of_type(&recorded, "player_finished").len(), 2);
}
