//! `ensemble fork`, `compare`, `show` and `performances` through the real binary and a real
//! store file: a fork plays only the chosen player and those after it, links to its origin,
//! and compares with it; a success that left players uncued says so.

mod support;

use serde_json::Value;
use support::*;

/// a -> b -> c on rehearsal; b hands on to c only when its verdict says SHIP (it never does
/// when `gate` is true).
fn chain(gate: bool) -> String {
    let mut text = "format = 1\ntitle = \"Chain\"\n\n[intent]\ngoal = \"Pass a note down the line.\"\n".to_string();
    for id in ["a", "b", "c"] {
        text.push_str(&format!(
            "\n[[players]]\nid = \"{id}\"\nname = \"{id}\"\nzone = \"integrator\"\npart = \"Add a line.\"\n\n[players.instrument]\nkind = \"rehearsal\"\n"
        ));
    }
    text.push_str("\n[[cues]]\nfrom = \"a\"\nto = \"b\"\n\n[[cues]]\nfrom = \"b\"\nto = \"c\"\n");
    if gate {
        text.push_str("when = \"verdict\"\nverdict = \"SHIP IT NOW\"\n");
    }
    text
}

fn setup(gate: bool) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chain.score.toml");
    std::fs::write(&file, chain(gate)).unwrap();
    let db = dir.path().join("store.sqlite3");
    (dir, file.display().to_string(), db.display().to_string())
}

fn list(db: &str) -> Vec<Value> {
    let out = run(&["performances", "--db", db, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_str::<Value>(&text(&out.stdout)).unwrap().as_array().unwrap().clone()
}

fn player(e: &Value) -> &str {
    e["player"].as_str().unwrap_or_default()
}

#[test]
fn a_fork_from_the_middle_plays_only_that_player_and_the_ones_after_it() {
    let (_dir, file, db) = setup(false);
    let first = run(&["run", &file, "--offline", "--db", &db]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let first_id = list(&db)[0]["id"].as_str().unwrap().to_string();

    let forked = run(&["fork", &first_id, "--from", "b", "--offline", "--db", &db, "--events", "-"]);
    assert!(forked.status.success(), "{}", text(&forked.stderr));
    let events = json_lines(&text(&forked.stdout));
    let carried: Vec<&str> = of_type(&events, "player_carried").iter().map(|e| player(e)).collect();
    let cued: Vec<&str> = of_type(&events, "player_cued").iter().map(|e| player(e)).collect();
    assert_eq!(carried, ["a"], "a is carried over, not played");
    assert_eq!(cued, ["b", "c"], "only b and the player after it play");
    assert_eq!(events.last().unwrap()["outcome"], "succeeded");
    let stderr = text(&forked.stderr);
    assert!(stderr.contains(&format!("of {first_id} from b (carried over: a)")), "{stderr}");

    let all = list(&db);
    assert_eq!(all.len(), 2);
    let fork_id = events[0]["performance"].as_str().unwrap().to_string();
    let row = all.iter().find(|s| s["id"] == fork_id.as_str()).expect("the fork is listed");
    assert_eq!((row["forked_from"].as_str(), row["forked_player"].as_str()), (Some(first_id.as_str()), Some("b")));

    let table = text(&run(&["performances", "--db", &db]).stdout);
    let fork_row = table.lines().find(|l| l.starts_with(&fork_id)).unwrap_or_else(|| panic!("a row for the fork:\n{table}"));
    assert!(fork_row.ends_with(&format!("{first_id} from b")), "the list says what the fork came from: {fork_row}");
    let shown = text(&run(&["show", &fork_id, "--db", &db]).stdout);
    assert!(shown.contains(&format!("forked from {first_id}, re-run from b")), "{shown}");
    assert!(shown.lines().any(|l| l.starts_with("a ") && l.contains("carried")), "the per-player table says a was carried:\n{shown}");
    assert!(shown.contains("a carried over from"), "the transcript has the carried line:\n{shown}");

    let compared = run(&["compare", &first_id, &fork_id, "--db", &db]);
    assert!(compared.status.success(), "{}", text(&compared.stderr));
    let compared = text(&compared.stdout);
    assert!(compared.contains("score: the same"), "{compared}");
    assert!(compared.lines().any(|l| l.starts_with("a ") && l.contains("finished -> carried")), "{compared}");

    let previous = run(&["compare", &fork_id, "--previous", "--json", "--db", &db]);
    assert!(previous.status.success(), "{}", text(&previous.stderr));
    let previous: Value = serde_json::from_str(&text(&previous.stdout)).unwrap();
    assert_eq!(previous["left"]["summary"]["id"], first_id.as_str(), "--previous compares with the earlier performance of the score");
    assert_eq!(previous["right"]["summary"]["id"], fork_id.as_str());
    assert_eq!(previous["players"].as_array().unwrap().len(), 3);
}

#[test]
fn a_success_with_a_player_never_cued_says_so_everywhere() {
    let (_dir, file, db) = setup(true);
    let out = run(&["run", &file, "--offline", "--db", &db]);
    assert!(out.status.success(), "held cues are no failure: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let id = list(&db)[0]["id"].as_str().unwrap().to_string();
    assert_eq!(stdout.lines().last().unwrap(), format!("performance {id}: finished, 1 of 3 players never cued"), "{stdout}");

    let row = &list(&db)[0];
    assert_eq!(row["outcome"], "succeeded", "the outcome column keeps the conductor's word");
    assert_eq!(row["outcome_summary"], "finished, 1 of 3 players never cued");
    assert_eq!((row["players"].as_u64(), row["never_cued"].as_u64()), (Some(3), Some(1)));
    let table = text(&run(&["performances", "--db", &db]).stdout);
    assert!(table.contains("finished, 1 of 3 players never cued"), "{table}");
    let shown = text(&run(&["show", &id, "--db", &db]).stdout);
    assert!(shown.lines().any(|l| l.starts_with("started ") && l.contains("finished, 1 of 3 players never cued")), "{shown}");
    assert!(shown.lines().any(|l| l.starts_with("c ") && l.contains("skipped")), "{shown}");
}

#[test]
fn forking_an_unknown_player_or_comparing_without_an_earlier_one_is_refused_clearly() {
    let (_dir, file, db) = setup(false);
    assert!(run(&["run", &file, "--offline", "--db", &db]).status.success());
    let id = list(&db)[0]["id"].as_str().unwrap().to_string();
    let out = run(&["fork", &id, "--from", "zed", "--offline", "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("the score has no player `zed`; its players are a, b, c"), "{}", text(&out.stderr));
    let out = run(&["compare", &id, "--previous", "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no earlier performance of the same score"), "{}", text(&out.stderr));
    assert_eq!(list(&db).len(), 1, "a refused fork records nothing");
}

#[test]
fn show_gives_each_players_cost_and_context_version() {
    // The server reports 21 tokens in and 4 out per answer; at $1,000 and $5,000 per million that
    // is 21 * 1000 / 1e6 + 4 * 5000 / 1e6 = $0.041 a player, $0.082 for the two.
    let server = ModelServer::start(None, "a line and on ");
    let instrument = format!(
        "kind = \"openai\"\nbase_url = \"{}\"\nmodel = \"kite-1\"\nusd_per_mtok_in = 1000.0\nusd_per_mtok_out = 5000.0",
        server.base_url
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("priced.score.toml");
    std::fs::write(&file, chain_score("Priced", &["a", "b"], &instrument)).unwrap();
    let db = dir.path().join("store.sqlite3").display().to_string();
    let out = run(&["run", file.to_str().unwrap(), "--db", &db]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = list(&db)[0]["id"].as_str().unwrap().to_string();
    assert!((list(&db)[0]["cost_usd"].as_f64().unwrap() - 0.082).abs() < 1e-9, "the total is both players' cost");

    let shown = text(&run(&["show", &id, "--db", &db]).stdout);
    let events = json_lines(&text(&run(&["show", &id, "--db", &db, "--json"]).stdout));
    let version = of_type(&events, "performance_started")[0]["context_version"].as_str().unwrap().to_string();
    let short: String = version.rsplit(':').next().unwrap().chars().take(12).collect();
    for player in ["a", "b"] {
        let row = shown.lines().find(|l| l.starts_with(&format!("{player} "))).unwrap_or_else(|| panic!("a row for {player}:\n{shown}"));
        assert!(row.contains("$0.0410"), "{player} cost $0.041: {row}");
        assert!(row.contains(" 25 ") && row.ends_with(&short), "{player}: 25 tokens, played from {short}: {row}");
    }
    assert!(!shown.contains("* played from another version"), "everyone played from the same version:\n{shown}");
}

#[test]
fn a_fork_that_runs_programs_needs_trust_as_a_run_does() {
    // a -> b, both programs that hand on what they were given.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("programs.score.toml");
    let program = "kind = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", \"cat; echo played\"]";
    std::fs::write(&file, chain_score("Programs", &["a", "b"], program)).unwrap();
    let db = dir.path().join("store.sqlite3").display().to_string();
    assert!(run(&["run", file.to_str().unwrap(), "--offline", "--db", &db]).status.success());
    let id = list(&db)[0]["id"].as_str().unwrap().to_string();

    let refused = run(&["fork", &id, "--from", "b", "--db", &db]);
    assert_eq!(refused.status.code(), Some(2), "an untrusted program is not run");
    assert!(text(&refused.stderr).contains("run again with --trust"), "{}", text(&refused.stderr));
    assert_eq!(list(&db).len(), 1, "a refused fork records nothing");

    let trusted = run(&["fork", &id, "--from", "b", "--trust", "--db", &db, "--events", "-"]);
    assert!(trusted.status.success(), "{}", text(&trusted.stderr));
    let events = json_lines(&text(&trusted.stdout));
    let finished: Vec<&Value> = of_type(&events, "player_finished");
    assert_eq!(finished.len(), 1, "only b plays");
    assert_eq!(player(finished[0]), "b");
    assert!(finished[0]["output"].as_str().unwrap().ends_with("played\n"), "b's program ran: {}", finished[0]["output"]);
}
