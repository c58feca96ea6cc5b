//! Model parts against a real OpenAI-compatible server on 127.0.0.1: keys stay secret, and
//! `--endpoint/--model` moves parts onto the server.

mod support;

use support::{ModelServer, assert_seq_without_gaps, chain_score, ensemble, json_lines, of_type, run, text};

const SECRET: &str = "sk-ensemble-test-7f3a9c1e5b2d4x8q";

#[test]
fn a_key_reaches_the_server_but_never_the_store_or_the_events() {
    let server = ModelServer::start(Some(SECRET), "The plan is ready. VERDICT: APPROVED");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("perf.sqlite3");
    let score = dir.path().join("keyed.score.toml");
    let instrument = format!("kind = \"openai\"\nbase_url = \"{}\"\nmodel = \"hosted\"\nkey = {{ env = \"ENSEMBLE_TEST_KEY\" }}", server.base_url);
    std::fs::write(&score, chain_score("Keyed", &["planner", "checker"], &instrument)).unwrap();

    let out = ensemble()
        .args(["run", score.to_str().unwrap(), "--db", db.to_str().unwrap(), "--events", "-", "--trust"])
        .env("ENSEMBLE_TEST_KEY", SECRET)
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let events = json_lines(&stdout);
    assert_eq!(events.last().unwrap()["outcome"], "succeeded");
    assert_eq!(of_type(&events, "player_finished").len(), 2);
    assert_eq!(server.requests().len(), 2, "both parts were played on the server, which checks the key");

    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET), "the key is not in the output");
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        // The store file and its WAL; the folder of owner locks beside them holds no data.
        if path.is_file() && path.file_name().unwrap().to_string_lossy().starts_with("perf.sqlite3") {
            files += 1;
            let bytes = std::fs::read(&path).unwrap();
            assert!(!bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()), "{} holds the key", path.display());
        }
    }
    assert!(files >= 1);
    let shown = run(&["show", events[0]["performance"].as_str().unwrap(), "--db", db.to_str().unwrap(), "--json"]);
    assert!(shown.status.success() && !text(&shown.stdout).contains(SECRET));
    let store = ensemble_store::Store::open(&db).unwrap();
    let recorded = store.score_toml(events[0]["performance"].as_str().unwrap()).unwrap();
    assert!(recorded.contains("ENSEMBLE_TEST_KEY"), "the score names where the key comes from:\n{recorded}");
}

#[test]
fn a_wrong_key_fails_the_part_with_a_message_and_no_key() {
    let server = ModelServer::start(Some(SECRET), "never sent");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("perf.sqlite3");
    let score = dir.path().join("keyed.score.toml");
    let instrument = format!("kind = \"openai\"\nbase_url = \"{}\"\nmodel = \"hosted\"\nkey = {{ env = \"ENSEMBLE_TEST_KEY\" }}", server.base_url);
    std::fs::write(&score, chain_score("Wrong key", &["solo"], &instrument)).unwrap();
    let wrong = "sk-wrong-key-0123456789abcdef";
    let out = ensemble()
        .args(["run", score.to_str().unwrap(), "--db", db.to_str().unwrap(), "--events", "-", "--trust"])
        .env("ENSEMBLE_TEST_KEY", wrong)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a failed performance exits 1");
    let events = json_lines(&text(&out.stdout));
    let failed = of_type(&events, "player_failed");
    assert_eq!(failed.len(), 1, "{events:?}");
    assert!(!failed[0]["error"].as_str().unwrap().is_empty());
    let everything = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!everything.contains(wrong), "not even a wrong key is shown");
}

#[test]
fn endpoint_and_model_play_the_example_on_that_server() {
    let server = ModelServer::start(None, "Done as asked.\nVERDICT: APPROVED");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("perf.sqlite3");
    let score = support::feature_trio();
    let out = run(&[
        "run",
        score.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--events",
        "-",
        "--endpoint",
        &server.base_url,
        "--model",
        "tiny-local",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let events = json_lines(&text(&out.stdout));
    assert_seq_without_gaps(&events);
    let cued = of_type(&events, "player_cued");
    assert!(cued.iter().all(|e| e["rehearsal"] == false && e["instrument"] == "openai tiny-local"), "{cued:?}");
    let finished = of_type(&events, "player_finished");
    assert_eq!(finished.len(), 4, "the server approves at once, so each of the four plays once");
    assert!(finished.iter().all(|e| e["output"].as_str().unwrap().contains("Done as asked.")));
    assert!(finished.iter().all(|e| e["usage"]["output_tokens"] == 4), "usage comes from the server's usage chunk");

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert!(requests.iter().all(|r| r["model"] == "tiny-local" && r["stream"] == true));
    let system = requests[0]["messages"][0]["content"].as_str().unwrap_or_default();
    assert!(system.contains("CSV export"), "the shared context goes first: {system}");

    // The recorded score is the one played, so a resume would play on the same server.
    let id = events[0]["performance"].as_str().unwrap();
    let list = run(&["performances", "--db", db.to_str().unwrap(), "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["tokens"], 4 * 25);
    let recorded = ensemble_store::Store::open(&db).unwrap().score_toml(id).unwrap();
    assert!(recorded.contains(&server.base_url) && recorded.contains("tiny-local"), "{recorded}");
    assert!(!recorded.contains("kind = \"rehearsal\""), "{recorded}");
}
