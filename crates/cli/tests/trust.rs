//! A score that runs programs plays only once the user has trusted those programs.

mod support;

use support::{chain_score, json_lines, of_type, run, text};

fn write(dir: &std::path::Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, body).expect("the test folder is writable");
    path.display().to_string()
}

#[test]
fn programs_run_only_after_trust_which_is_remembered_until_they_change() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let db = dir.path().join("store.sqlite3").display().to_string();
    let marker = dir.path().join("ran");
    let program = format!("program = \"sh\"\nargs = [\"-c\", \"cat >/dev/null; touch {}; echo done\"]", marker.display());
    let score = write(dir.path(), "programs.score.toml", &chain_score("Programs", &["one"], &format!("kind = \"command\"\n{program}")));

    let refused = run(&["run", &score, "--db", &db]);
    assert_eq!(refused.status.code(), Some(2), "an untrusted score is refused: {}", text(&refused.stderr));
    let said = text(&refused.stderr);
    assert!(said.contains("runs programs on this computer") && said.contains("one: sh -c"), "the programs are listed: {said}");
    assert!(said.contains("--trust"), "the way to trust is named: {said}");
    assert!(!marker.exists(), "nothing ran before trust");
    let listed = run(&["performances", "--db", &db, "--json"]);
    assert!(!text(&listed.stdout).contains("Programs"), "no performance was recorded: {}", text(&listed.stdout));

    let rehearsed = run(&["run", &score, "--db", &db, "--offline"]);
    assert_eq!(rehearsed.status.code(), Some(0), "rehearsal runs no program, so needs no trust: {}", text(&rehearsed.stderr));
    assert!(!marker.exists(), "rehearsal did not run the program");

    let trusted = run(&["run", &score, "--db", &db, "--trust", "--events", "-"]);
    assert_eq!(trusted.status.code(), Some(0), "{}", text(&trusted.stderr));
    assert!(marker.exists(), "the trusted program ran");
    let events = json_lines(&text(&trusted.stdout));
    assert_eq!(of_type(&events, "player_finished").len(), 1);

    std::fs::remove_file(&marker).expect("the marker can be removed");
    let again = run(&["run", &score, "--db", &db]);
    assert_eq!(again.status.code(), Some(0), "trust is remembered: {}", text(&again.stderr));
    assert!(marker.exists());

    let changed = chain_score("Programs", &["one"], "kind = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", \"echo something else\"]");
    let changed = write(dir.path(), "programs.score.toml", &changed);
    let asked_again = run(&["run", &changed, "--db", &db]);
    assert_eq!(asked_again.status.code(), Some(2), "other programs need trust again: {}", text(&asked_again.stderr));
}

#[test]
fn a_resume_asks_for_trust_exactly_as_a_run_does() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let db = dir.path().join("store.sqlite3");
    let marker = dir.path().join("ran");
    let program = format!("program = \"sh\"\nargs = [\"-c\", \"cat >/dev/null; touch {}; echo done\"]", marker.display());
    let body = chain_score("Programs", &["one"], &format!("kind = \"command\"\n{program}"));
    let score = write(dir.path(), "programs.score.toml", &body);
    // A performance begun elsewhere (where its programs were trusted) and interrupted before it
    // played: this store has never trusted them.
    let id = "01JRESUMEASKSFORTRUST00000".to_string();
    {
        let store = ensemble_store::Store::open(&db).expect("a new store opens");
        store
            .begin(&ensemble_store::NewPerformance {
                id: id.clone(),
                title: "Programs".into(),
                score_path: Some(score.clone()),
                score_toml: body,
                offline: false,
                seed: 0,
            })
            .expect("a performance can begin");
    }
    let db = db.display().to_string();

    let refused = run(&["resume", &id, "--db", &db]);
    assert_eq!(refused.status.code(), Some(2), "an untrusted resume is refused: {}", text(&refused.stderr));
    let said = text(&refused.stderr);
    assert!(said.contains("runs programs on this computer") && said.contains("one: sh -c"), "the programs are listed: {said}");
    assert!(!marker.exists(), "nothing ran before trust");
    let listed = run(&["performances", "--db", &db, "--json"]);
    assert!(text(&listed.stdout).contains("\"interrupted\""), "a refused resume leaves it interrupted: {}", text(&listed.stdout));

    let trusted = run(&["resume", &id, "--db", &db, "--trust"]);
    assert_eq!(trusted.status.code(), Some(0), "{}", text(&trusted.stderr));
    assert!(marker.exists(), "the trusted program ran on resume");
}
