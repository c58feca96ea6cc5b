//! `ensemble tools` on the workspace-tour example (the reference filesystem server from
//! tools/mcp), and `ensemble run --approve-tools` playing its tool calls offline.

use std::path::{Path, PathBuf};
use std::process::Command;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/scores/workspace-tour.score.toml")
}

fn ensemble(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ensemble")).args(args).stdin(std::process::Stdio::null()).output().expect("the ensemble binary runs")
}

#[test]
fn tools_lists_what_the_server_reports_after_trust_and_nothing_before() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("store.sqlite3");
    let file = example();
    let (file, db) = (file.to_str().expect("a UTF-8 path"), db.to_str().expect("a UTF-8 path"));

    let refused = ensemble(&["tools", file, "--db", db]);
    assert_eq!(refused.status.code(), Some(2), "without a terminal or --trust nothing starts: {}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stdout).is_empty(), "no tool was listed");

    let listed = ensemble(&["tools", file, "--db", db, "--trust"]);
    let out = String::from_utf8_lossy(&listed.stdout);
    assert_eq!(listed.status.code(), Some(0), "{out}\n{}", String::from_utf8_lossy(&listed.stderr));
    assert!(out.starts_with("surveyor\n"), "{out}");
    let line = |tool: &str| out.lines().find(|l| l.trim_start().starts_with(tool)).unwrap_or_else(|| panic!("{tool} is listed: {out}")).to_string();
    assert!(line("files.list_directory").contains(" runs "), "{out}");
    assert!(line("files.read_text_file").contains(" runs "), "{out}");
    assert!(line("files.write_file").contains(" asks "), "{out}");
    assert_eq!(out.lines().count(), 4, "the player and its three allowed tools: {out}");
}

#[test]
fn an_offline_run_plays_the_tools_and_approve_tools_approves_with_a_warning() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("store.sqlite3");
    let file = example();
    let (file, db) = (file.to_str().expect("a UTF-8 path"), db.to_str().expect("a UTF-8 path"));

    let run = ensemble(&["run", file, "--db", db, "--offline", "--events", "-", "--approve-tools"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: --approve-tools"), "{stderr}");
    let events: Vec<serde_json::Value> = String::from_utf8_lossy(&run.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON Lines")).collect();
    let of = |kind: &str| events.iter().filter(|e| e["type"] == kind).map(|e| e["tool"].as_str().unwrap_or_default().to_string()).collect::<Vec<_>>();
    assert_eq!(of("tool_called"), ["files.list_directory", "files.read_text_file", "files.write_file"], "each named tool is played once");
    assert_eq!(of("tool_waiting"), ["files.write_file"], "only writing asks");
    assert_eq!(of("tool_resolved"), ["files.write_file"]);
    assert!(events.iter().filter(|e| e["type"] == "tool_called").all(|e| e["rehearsal"] == true), "offline, every result is made up");

    let unanswered = ensemble(&["run", file, "--db", db, "--offline", "--events", "-"]);
    let events: Vec<serde_json::Value> = String::from_utf8_lossy(&unanswered.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON Lines")).collect();
    let rejected = events.iter().find(|e| e["type"] == "tool_resolved").expect("the call that asks is decided");
    assert_eq!(rejected["decision"]["decision"], "reject", "nobody can approve without a terminal: {rejected}");
    assert_eq!(unanswered.status.code(), Some(0), "a rejected call is the model's to handle, not a failure");
}

#[test]
fn show_and_compare_count_each_players_tool_calls() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("store.sqlite3");
    let file = example();
    let (file, db) = (file.to_str().expect("a UTF-8 path"), db.to_str().expect("a UTF-8 path"));
    // Approved, the surveyor plays its three tools; unanswered, the write is rejected, which is
    // still a call the model made.
    for extra in [&["--approve-tools"][..], &[][..]] {
        let run = ensemble(&[&["run", file, "--db", db, "--offline"][..], extra].concat());
        assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    }
    let listed = ensemble(&["performances", "--json", "--db", db]);
    let ids: Vec<String> = serde_json::from_slice::<Vec<serde_json::Value>>(&listed.stdout)
        .expect("the list as JSON")
        .iter()
        .map(|p| p["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids.len(), 2, "two performances recorded");
    let shown = ensemble(&["show", &ids[0], "--db", db]);
    let out = String::from_utf8_lossy(&shown.stdout);
    assert_eq!(shown.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&shown.stderr));
    let head = out.lines().find(|l| l.starts_with("PLAYER")).unwrap_or_else(|| panic!("a players table: {out}"));
    assert!(head.contains("TOOLS"), "{head}");
    let surveyor = out.lines().find(|l| l.starts_with("surveyor ")).unwrap_or_else(|| panic!("the surveyor's line: {out}"));
    let column = head.find("TOOLS").expect("the column") + "TOOLS".len();
    assert_eq!(surveyor[..column].split_whitespace().last(), Some("3"), "three calls under TOOLS, the rejected write too: {surveyor}");

    let compared = ensemble(&["compare", &ids[1], &ids[0], "--json", "--db", db]);
    let json: serde_json::Value = serde_json::from_slice(&compared.stdout).unwrap_or_else(|e| panic!("compare --json: {e}"));
    let surveyor = json["players"].as_array().and_then(|ps| ps.iter().find(|p| p["player"] == "surveyor")).expect("the surveyor compared");
    assert_eq!((surveyor["left"]["tool_calls"].as_u64(), surveyor["right"]["tool_calls"].as_u64()), (Some(3), Some(3)));
}

#[test]
fn tools_server_lists_every_tool_one_server_offers_after_trust() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("store.sqlite3");
    let file = example();
    let (file, db) = (file.to_str().expect("a UTF-8 path"), db.to_str().expect("a UTF-8 path"));

    let refused = ensemble(&["tools", file, "--db", db, "--server", "surveyor.files"]);
    assert_eq!(refused.status.code(), Some(2), "the server is a program: without a terminal or --trust nothing starts: {}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stdout).is_empty(), "no tool was listed before trust");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--trust"), "the refusal says how to allow it");

    let tested = ensemble(&["tools", file, "--db", db, "--server", "surveyor.files", "--trust"]);
    let out = String::from_utf8_lossy(&tested.stdout);
    assert_eq!(tested.status.code(), Some(0), "{out}\n{}", String::from_utf8_lossy(&tested.stderr));
    // The reference filesystem server offers 14 tools; the workspace tour allows three of them.
    assert!(out.starts_with("surveyor.files (secure-filesystem-server"), "the heading names the server as it introduced itself: {out}");
    assert!(out.lines().next().unwrap_or_default().ends_with(": 14 tools, 3 of them allowed"), "{out}");
    assert_eq!(out.lines().count(), 15, "the heading and one line per offered tool, allowed or not: {out}");
    let line = |tool: &str| {
        let found = out.lines().skip(1).find(|l| l.split_whitespace().next() == Some(tool));
        found.unwrap_or_else(|| panic!("{tool} is listed: {out}")).to_string()
    };
    let words = |tool: &str| line(tool).split("  ").map(str::trim).filter(|w| !w.is_empty()).map(String::from).collect::<Vec<_>>();
    assert_eq!(words("list_directory")[..4], ["list_directory", "reads only", "allowed", "runs"], "allowed, and the score lets it run");
    assert_eq!(words("write_file")[..4], ["write_file", "may destroy", "allowed", "asks"], "allowed, and the score makes it ask");
    assert_eq!(words("move_file")[..4], ["move_file", "may destroy", "not allowed", "asks"], "not in allow; a destructive tool would ask by default");
    assert_eq!(words("create_directory")[..4], ["create_directory", "changes things", "not allowed", "asks"], "not marked read-only, so it would ask");
    assert_eq!(words("read_file")[..4], ["read_file", "reads only", "not allowed", "runs"], "read-only tools run by default");
    assert!(line("move_file").ends_with("Move or rename files and directories."), "the description's first sentence: {out}");
}

#[test]
fn tools_server_names_what_is_missing_and_says_when_a_server_cannot_start() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("store.sqlite3");
    let file = example();
    let (file, db_path) = (file.to_str().expect("a UTF-8 path"), db.to_str().expect("a UTF-8 path"));

    let unknown = ensemble(&["tools", file, "--db", db_path, "--server", "surveyor.disk"]);
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(unknown.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("player `surveyor` has no tool server `disk`; its servers are files"), "the mistake is named before any trust question: {stderr}");
    assert!(!stderr.contains("--trust"), "a mistyped name is said first, not a trust question: {stderr}");

    let no_player = ensemble(&["tools", file, "--db", db_path, "--server", "narrator.files"]);
    let stderr = String::from_utf8_lossy(&no_player.stderr);
    assert_eq!(no_player.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no player `narrator`; its players are surveyor, guide"), "{stderr}");

    let malformed = ensemble(&["tools", file, "--db", db_path, "--server", "files"]);
    assert_eq!(malformed.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("PLAYER.SERVER"), "the expected form is shown");

    // A server whose program does not exist: trusted, it is tried and fails with a message.
    let score = dir.path().join("dead.score.toml");
    let text = std::fs::read_to_string(example()).expect("the example reads");
    let dead = text.replacen("program = \"node\"", "program = \"no-such-mcp-server-program\"", 1);
    assert_ne!(dead, text, "the example names node as its server's program");
    std::fs::write(&score, dead).expect("the temporary folder is writable");
    let failed = ensemble(&["tools", score.to_str().expect("a UTF-8 path"), "--db", db_path, "--server", "surveyor.files", "--trust"]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "a server that cannot be asked exits 1, as for the listing: {stderr}");
    assert!(stderr.contains("tool server `files`"), "the message names the server: {stderr}");
    assert!(String::from_utf8_lossy(&failed.stdout).is_empty(), "nothing was listed");
}
