//! `run`, `resume`, `performances` and `show` end to end: the built binary, a real store file,
//! real child processes and signals.

mod support;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};

#[cfg(unix)]
use nix::sys::signal::{Signal, kill};
#[cfg(unix)]
use nix::unistd::Pid;
use serde_json::Value;
use support::{assert_seq_without_gaps, chain_score, ensemble, json_lines, of_type, run, text};

fn performances(db: &Path) -> Vec<Value> {
    let out = run(&["performances", "--db", db.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("--json prints a JSON array")
}

fn recorded(db: &Path, id: &str) -> Vec<Value> {
    let out = run(&["show", id, "--db", db.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    json_lines(&text(&out.stdout))
}

/// Reads `path` until some complete line satisfies `until`; returns the complete lines so far.
/// Ends the test if the process exits first, so a broken run cannot hang it.
fn follow(path: &Path, child: &mut Child, until: impl Fn(&Value) -> bool) -> Vec<Value> {
    loop {
        let content = std::fs::read_to_string(path).unwrap_or_default();
        let complete = &content[..content.rfind('\n').map_or(0, |i| i + 1)];
        let events = json_lines(complete);
        if events.iter().any(&until) {
            return events;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("ensemble run ended ({status}) before the awaited event; events so far:\n{content}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn player_of(event: &Value) -> &str {
    event["player"].as_str().unwrap_or_default()
}

#[test]
fn an_example_runs_offline_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("perf.sqlite3");
    let score = support::feature_trio();
    let out = run(&["run", score.to_str().unwrap(), "--offline", "--db", db.to_str().unwrap(), "--events", "-", "--seed", "3"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let events = json_lines(&text(&out.stdout));
    assert_seq_without_gaps(&events);

    let started = &events[0];
    assert_eq!(started["type"], "performance_started");
    assert_eq!(started["offline"], true);
    let id = started["performance"].as_str().unwrap().to_string();
    let players: Vec<&str> = started["players"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(players, ["coder", "reviewer", "tester", "documenter"]);
    for player in &players {
        let ended = events.iter().any(|e| {
            (e["type"] == "player_finished" || e["type"] == "player_skipped") && player_of(e) == *player
        });
        assert!(ended, "{player} finished or was skipped");
    }
    assert!(of_type(&events, "player_failed").is_empty());
    assert!(of_type(&events, "player_cued").iter().all(|e| e["rehearsal"] == true), "offline means rehearsal");
    let last = events.last().unwrap();
    assert_eq!(last["type"], "performance_finished");
    assert_eq!(last["outcome"], "succeeded");

    // The human display went to stderr, ending with the id and the outcome.
    assert!(stderr.lines().any(|l| l.starts_with("coder finished (") && l.ends_with(" tokens)")), "{stderr}");
    assert_eq!(stderr.lines().last().unwrap(), format!("performance {id}: succeeded"));

    // The store has exactly what was printed.
    assert_eq!(recorded(&db, &id), events);
    let list = performances(&db);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["status"], "finished");
    assert_eq!(list[0]["outcome"], "succeeded");
    assert_eq!(list[0]["title"], "Feature trio");
    let tokens: u64 = of_type(&events, "player_finished")
        .iter()
        .map(|e| e["usage"]["input_tokens"].as_u64().unwrap() + e["usage"]["output_tokens"].as_u64().unwrap())
        .sum();
    assert!(tokens > 0);
    assert_eq!(list[0]["tokens"].as_u64(), Some(tokens));

    let table = run(&["performances", "--db", db.to_str().unwrap()]);
    let table = text(&table.stdout);
    let row = table.lines().find(|l| l.starts_with(&id)).unwrap_or_else(|| panic!("a row for {id}:\n{table}"));
    assert!(row.contains("Feature trio") && row.contains("finished") && row.contains("succeeded"), "{row}");

    let show = run(&["show", &id, "--db", db.to_str().unwrap()]);
    assert!(show.status.success());
    let transcript = text(&show.stdout);
    let reviewer_output = of_type(&events, "player_finished").iter().find(|e| player_of(e) == "reviewer").unwrap()["output"]
        .as_str()
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(transcript.contains("reviewer finished"), "{transcript}");
    assert!(transcript.contains(&reviewer_output), "outputs are in the transcript:\n{transcript}");
    let coder = transcript.find("coder cued").unwrap();
    let tester = transcript.find("tester cued").unwrap();
    assert!(coder < tester, "in order");
}

#[test]
fn the_same_seed_plays_the_same_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("perf.sqlite3");
    let score = support::feature_trio();
    let outputs = |seed: &str| -> Vec<Value> {
        let out = run(&["run", score.to_str().unwrap(), "--offline", "--db", db.to_str().unwrap(), "--events", "-", "--seed", seed]);
        assert!(out.status.success());
        json_lines(&text(&out.stdout)).into_iter().filter(|e| e["type"] == "player_finished").map(|e| e["output"].clone()).collect()
    };
    assert_eq!(outputs("11"), outputs("11"));
    assert_eq!(performances(&db).len(), 2, "each run is its own performance");
}

#[test]
fn a_killed_run_loses_nothing_shows_interrupted_and_resumes_without_replaying() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("perf.sqlite3");
    let score = dir.path().join("slow.score.toml");
    std::fs::write(&score, chain_score("Slow chain", &["a", "b", "c", "d"], "kind = \"rehearsal\"\nlatency_ms = 700")).unwrap();
    let events_file = dir.path().join("events.jsonl");

    let mut child = ensemble()
        .args(["run", score.to_str().unwrap(), "--db", db.to_str().unwrap(), "--events", events_file.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let seen = follow(&events_file, &mut child, |e| e["type"] == "player_cued" && player_of(e) == "b");
    let id = seen[0]["performance"].as_str().unwrap().to_string();

    // While it runs, it is running, and cannot be resumed from elsewhere.
    assert_eq!(performances(&db)[0]["status"], "running");
    let refused = run(&["resume", &id, "--db", db.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("still running"), "{}", text(&refused.stderr));

    // SIGKILL on Unix, TerminateProcess on Windows: no chance to clean up either way.
    child.kill().unwrap();
    child.wait().unwrap();

    // Everything it printed is in the store (the store may hold a little more: it comes first).
    let content = std::fs::read_to_string(&events_file).unwrap();
    let printed = json_lines(&content[..content.rfind('\n').map_or(0, |i| i + 1)]);
    assert!(printed.len() >= seen.len());
    assert!(of_type(&printed, "performance_finished").is_empty(), "killed mid-performance");
    let stored = recorded(&db, &id);
    assert!(stored.len() >= printed.len());
    assert_eq!(stored[..printed.len()], printed[..], "every printed event is recorded, in order");
    let list = performances(&db);
    assert_eq!(list[0]["status"], "interrupted");
    assert_eq!(list[0]["outcome"], Value::Null);

    let finished_before: Vec<String> =
        of_type(&stored, "player_finished").iter().map(|e| player_of(e).to_string()).collect();
    assert!(finished_before.contains(&"a".to_string()));
    assert!(!finished_before.contains(&"d".to_string()));

    let resumed = run(&["resume", &id, "--db", db.to_str().unwrap(), "--events", "-"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed.stderr));
    let new_events = json_lines(&text(&resumed.stdout));
    assert_eq!(new_events.first().unwrap()["seq"].as_u64(), Some(stored.len() as u64 + 1), "seq goes on from the record");
    for player in &finished_before {
        assert!(
            !new_events.iter().any(|e| e["type"] == "player_cued" && player_of(e) == player),
            "{player} had finished and is not played again"
        );
    }
    assert_eq!(new_events.last().unwrap()["outcome"], "succeeded");
    assert!(text(&resumed.stderr).trim_end().ends_with(&format!("performance {id}: succeeded")));

    let all = recorded(&db, &id);
    assert_seq_without_gaps(&all);
    for player in ["a", "b", "c", "d"] {
        let times = of_type(&all, "player_finished").iter().filter(|e| player_of(e) == player).count();
        assert_eq!(times, 1, "{player} finished exactly once over both stretches");
    }
    let list = performances(&db);
    assert_eq!((list[0]["status"].as_str(), list[0]["outcome"].as_str()), (Some("finished"), Some("succeeded")));

    let again = run(&["resume", &id, "--db", db.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already finished"), "{}", text(&again.stderr));
}

#[cfg(unix)]
#[test]
fn ctrl_c_cuts_the_performance_off_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("perf.sqlite3");
    let score = dir.path().join("slow.score.toml");
    std::fs::write(&score, chain_score("Slow pair", &["first", "second"], "kind = \"rehearsal\"\nlatency_ms = 30000")).unwrap();
    let events_file = dir.path().join("events.jsonl");
    let mut child = ensemble()
        .args(["run", score.to_str().unwrap(), "--db", db.to_str().unwrap(), "--events", events_file.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let seen = follow(&events_file, &mut child, |e| e["type"] == "player_cued");
    let id = seen[0]["performance"].as_str().unwrap().to_string();
    kill(Pid::from_raw(child.id() as i32), Signal::SIGINT).unwrap();
    let status = child.wait().unwrap();
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    assert_eq!(status.code(), Some(1), "cut off is not success: {stdout}");
    assert!(stdout.trim_end().ends_with(&format!("performance {id}: cut_off")), "{stdout}");
    let list = performances(&db);
    assert_eq!((list[0]["status"].as_str(), list[0]["outcome"].as_str()), (Some("finished"), Some("cut_off")));
    assert_eq!(recorded(&db, &id).last().unwrap()["outcome"], "cut_off");
}

const HUMAN: &str = r#"format = 1
title = "Ask a person"

[intent]
goal = "Get a decision from a person."

[[players]]
id = "owner"
name = "Product owner"
zone = "innovator"
part = "Decide whether to ship."

[players.instrument]
kind = "human"
who = "product owner"

[[players]]
id = "scribe"
name = "Scribe"
zone = "stabilizer"
part = "Write the decision down."

[players.instrument]
kind = "rehearsal"

[[cues]]
from = "owner"
to = "scribe"
checkpoint = true
"#;

#[test]
fn people_answer_from_the_command_line_and_checkpoints_need_approval() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("perf.sqlite3");
    let score = dir.path().join("human.score.toml");
    std::fs::write(&score, HUMAN).unwrap();
    let (score, db) = (score.to_str().unwrap(), db.to_str().unwrap());

    // Nobody to ask: refused before anything plays.
    let out = run(&["run", score, "--db", db]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("owner is played by a person") && stderr.contains("--answer owner=TEXT"), "{stderr}");
    assert!(!Path::new(db).exists() || performances(Path::new(db)).is_empty(), "nothing was recorded");

    // An answer, and an approval.
    let out = run(&["run", score, "--db", db, "--events", "-", "--answer", "owner=Ship it on Monday.", "--approve-all"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let events = json_lines(&text(&out.stdout));
    let owner = of_type(&events, "player_finished").into_iter().find(|e| player_of(e) == "owner").expect("the owner answered");
    assert_eq!(owner["output"].as_str().map(str::trim), Some("Ship it on Monday."));
    assert_eq!(of_type(&events, "checkpoint_resolved")[0]["approved"], true);
    assert!(of_type(&events, "player_finished").iter().any(|e| player_of(e) == "scribe"));

    // An answer, but no one to approve the checkpoint: rejected with a note, the scribe never plays.
    let out = run(&["run", score, "--db", db, "--events", "-", "--answer", "owner=Wait."]);
    let events = json_lines(&text(&out.stdout));
    let resolved = of_type(&events, "checkpoint_resolved");
    assert_eq!(resolved[0]["approved"], false);
    assert!(resolved[0]["note"].as_str().unwrap().contains("--approve-all"));
    assert!(!of_type(&events, "player_finished").iter().any(|e| player_of(e) == "scribe"));
    assert_eq!(out.status.code(), if events.last().unwrap()["outcome"] == "succeeded" { Some(0) } else { Some(1) });
}

#[test]
fn bad_input_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("perf.sqlite3");
    let db = db.to_str().unwrap();

    let out = run(&["run", "/nonexistent/x.score.toml", "--db", db]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).lines().count(), 1, "{}", text(&out.stderr));

    let broken = dir.path().join("broken.score.toml");
    std::fs::write(&broken, "format = 1\ntitle = \"No intent\"\n").unwrap();
    let out = run(&["run", broken.to_str().unwrap(), "--db", db]);
    assert_eq!(out.status.code(), Some(2), "validation problems are a usage error for run");
    assert!(text(&out.stderr).contains(&format!("{}:", broken.display())), "{}", text(&out.stderr));

    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, "not a database at all, but long enough to look like a file header".repeat(10)).unwrap();
    for args in [vec!["performances", "--db", junk.to_str().unwrap()], vec!["show", "X", "--db", junk.to_str().unwrap()]] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("not a performance store"), "{stderr}");
    }

    run(&["run", &support::feature_trio().display().to_string(), "--offline", "--db", db]);
    let out = run(&["show", "01NOSUCHPERFORMANCE", "--db", db]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).trim(), "ensemble: error: no performance with id 01NOSUCHPERFORMANCE");
    let out = run(&["resume", "01NOSUCHPERFORMANCE", "--db", db]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_store_can_be_chosen_by_ensemble_db() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env/perf.sqlite3");
    let score = support::feature_trio();
    let out = ensemble().args(["run", score.to_str().unwrap(), "--offline"]).env("ENSEMBLE_DB", &db).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(db.exists(), "the store was created where ENSEMBLE_DB points, folders included");
    let listed = ensemble().args(["performances", "--json"]).env("ENSEMBLE_DB", &db).output().unwrap();
    let listed: Vec<Value> = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["outcome"], "succeeded");
}
