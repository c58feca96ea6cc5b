//! A player's tools in the file: they load, save back to the same bytes, break their rules with
//! the right message at the right place, and a stdio server or a keyed URL waits for trust.

mod common;

use common::{BASE, at, one, problems};
use ensemble_score::{Approval, Rule, parse, reach, to_toml};

/// BASE with tools on player `b`, written canonically.
fn with_tools(tools: &str) -> String {
    format!("{BASE}\n{tools}")
}

const CANONICAL_TOOLS: &str = r#"[players.tools]
max_calls = 4
timeout_secs = 10

[[players.tools.servers]]
id = "files"
program = "npx"
args = ["-y", "@modelcontextprotocol/server-filesystem", "."]
env = ["NODE_OPTIONS"]
allow = ["list_directory", "write_file"]
approval = { list_directory = "allow", write_file = "ask" }

[[players.tools.servers]]
id = "search"
url = "https://search.example/mcp"
key = { env = "SEARCH_KEY" }
"#;

#[test]
fn tools_load_and_save_back_to_the_same_bytes() {
    let text = with_tools(CANONICAL_TOOLS);
    let score = parse(&text, None).unwrap_or_else(|p| panic!("a score with tools loads: {p:#?}"));
    let tools = &score.players[1].tools;
    assert_eq!((tools.max_calls, tools.timeout_secs, tools.max_output_bytes), (Some(4), Some(10), None));
    assert_eq!(tools.servers.len(), 2);
    assert_eq!(tools.servers[0].program.as_deref(), Some("npx"));
    assert_eq!(tools.servers[0].approval.get("write_file"), Some(&Approval::Ask));
    assert_eq!(tools.servers[1].url.as_deref(), Some("https://search.example/mcp"));
    assert!(score.players[0].tools.is_empty(), "a player without tools has none");
    let saved = to_toml(&score, None).expect("the score saves");
    assert!(saved.ends_with(&format!("\n\n{CANONICAL_TOOLS}")), "the tools are written as in CANONICAL_TOOLS:\n{saved}");
    let again = parse(&saved, None).expect("the saved score loads");
    assert_eq!(again, score, "what was saved reads back the same");
    assert_eq!(to_toml(&again, None).expect("the score saves"), saved, "saving a canonical score gives the same bytes");
}

#[test]
fn a_server_is_a_program_or_a_url() {
    let text = with_tools("[[players.tools.servers]]\nid = \"x\"\nallow = [\"a\"]\n");
    let p = one(&text, Rule::BadToolSetting, "\"x\"", 0);
    assert!(p.message.contains("`program`") && p.message.contains("`url`"), "{}", p.message);

    let text = with_tools("[[players.tools.servers]]\nid = \"x\"\nprogram = \"srv\"\nurl = \"http://127.0.0.1:1/mcp\"\n");
    let p = one(&text, Rule::BadToolSetting, "\"http://127.0.0.1:1/mcp\"", 0);
    assert!(p.message.contains("both"), "{}", p.message);

    let text = with_tools("[[players.tools.servers]]\nid = \"x\"\nurl = \"ftp://files.example\"\n");
    one(&text, Rule::BadToolSetting, "\"ftp://files.example\"", 0);

    let text = with_tools("[[players.tools.servers]]\nid = \"x\"\nurl = \"http://127.0.0.1:1/mcp\"\nargs = [\"-v\"]\n");
    let p = one(&text, Rule::BadToolSetting, "[\"-v\"]", 0);
    assert!(p.message.contains("`args` goes with `program`"), "{}", p.message);
}

#[test]
fn server_ids_are_named_and_unique() {
    let text = with_tools(
        "[[players.tools.servers]]\nid = \"x\"\nprogram = \"a\"\n\n[[players.tools.servers]]\nid = \"x\"\nprogram = \"b\"\n",
    );
    let p = one(&text, Rule::DuplicateId, "\"x\"", 1);
    assert!(p.message.contains("tool servers 1 and 2"), "{}", p.message);
    let text = with_tools("[[players.tools.servers]]\nid = \"my server\"\nprogram = \"a\"\n");
    one(&text, Rule::BadToolSetting, "\"my server\"", 0);
}

#[test]
fn limits_are_in_range() {
    let text = with_tools("[players.tools]\nmax_calls = 0\nmax_output_bytes = 99999999999\n");
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|p| p.rule == Rule::BudgetOutOfRange), "{found:#?}");
    let line = |needle| Some(at(&text, needle, 0).0);
    assert!(found.iter().any(|p| p.line == line("max_calls") && p.message.contains("max_calls = 0")), "{found:#?}");
    assert!(found.iter().any(|p| p.line == line("max_output_bytes")), "{found:#?}");
}

#[test]
fn each_limit_accepts_its_maximum_and_refuses_one_more() {
    let most = with_tools("[players.tools]\nmax_calls = 1000\ntimeout_secs = 86400\nmax_output_bytes = 16777216\n");
    parse(&most, None).unwrap_or_else(|p| panic!("1000 calls, a day and 16 MiB are the most accepted: {p:#?}"));
    let over = with_tools("[players.tools]\nmax_calls = 1001\ntimeout_secs = 86401\nmax_output_bytes = 16777217\n");
    let mut messages: Vec<String> = problems(&over).into_iter().map(|p| p.message).collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "the tools of player `b`: max_calls = 1001; use 1 to 1000 (tool calls in one chorus), or remove it",
            "the tools of player `b`: max_output_bytes = 16777217; use 1 to 16777216 (bytes of one result), or remove it",
            "the tools of player `b`: timeout_secs = 86401; use 1 to 86400 (seconds one call may take), or remove it",
        ],
        "each message gives the range it broke and what the limit counts"
    );
}

#[test]
fn model_and_rehearsal_instruments_may_call_tools() {
    let (head, _) = BASE.rsplit_once("kind = \"rehearsal\"").expect("BASE ends with b's instrument");
    for instrument in [
        "kind = \"rehearsal\"",
        "kind = \"openai\"\nbase_url = \"http://127.0.0.1:11434/v1\"\nmodel = \"m\"",
        "kind = \"anthropic\"\nmodel = \"m\"\nkey = { env = \"K\" }",
    ] {
        let text = format!("{head}{instrument}\n\n[players.tools]\nmax_calls = 2\n");
        parse(&text, None).unwrap_or_else(|p| panic!("tools on `{instrument}` are accepted: {p:#?}"));
    }
    let text = format!("{head}kind = \"human\"\n\n[players.tools]\nmax_calls = 2\n");
    let p = one(&text, Rule::BadToolSetting, "[players.tools]", 0);
    assert_eq!(
        p.message,
        "the tools of player `b`: a human instrument does not call tools; give the player an openai, anthropic or rehearsal \
         instrument, or remove `tools`"
    );
}

#[test]
fn a_command_player_cannot_call_tools() {
    // Player `b` is the last one: its instrument becomes a command, and the tools are its.
    let (head, _) = BASE.rsplit_once("kind = \"rehearsal\"").expect("BASE ends with b's instrument");
    let text = format!("{head}kind = \"command\"\nprogram = \"cat\"\n\n[players.tools]\nmax_calls = 2\n");
    let p = one(&text, Rule::BadToolSetting, "[players.tools]", 0);
    assert!(p.message.contains("a command instrument does not call tools"), "{}", p.message);
}

#[test]
fn an_approval_for_a_tool_not_allowed_is_reported() {
    let text = with_tools("[[players.tools.servers]]\nid = \"x\"\nprogram = \"a\"\nallow = [\"read\"]\napproval = { write = \"ask\" }\n");
    let p = one(&text, Rule::BadToolSetting, "{ write = \"ask\" }", 0);
    assert!(p.message.contains("`write`"), "{}", p.message);
}

#[test]
fn unknown_keys_in_a_server_are_reported() {
    let text = with_tools("[[players.tools.servers]]\nid = \"x\"\nprogram = \"a\"\ncommand = \"b\"\n");
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("command"), "{found:#?}");
    assert_eq!(found[0].line, Some(at(&text, "command = ", 0).0), "{found:#?}");
}

#[test]
fn a_working_directory_outside_the_workspace_is_refused() {
    let text = with_tools("[[players.tools.servers]]\nid = \"x\"\nprogram = \"a\"\ncwd = \"../elsewhere\"\n");
    one(&text, Rule::OutsideWorkspace, "\"../elsewhere\"", 0);
}

#[test]
fn a_stdio_server_is_a_program_to_trust_and_a_keyed_url_a_key_send() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let text = with_tools(CANONICAL_TOOLS);
    let score = parse(&text, None).expect("the score parses");
    let found = reach(&score, dir.path());
    assert!(found.needs_trust());
    assert_eq!(found.programs.len(), 1, "{found:?}");
    let program = &found.programs[0];
    assert_eq!(program.tool_server.as_deref(), Some("files"));
    assert_eq!(program.command, "npx -y @modelcontextprotocol/server-filesystem .");
    assert_eq!(program.env, vec!["NODE_OPTIONS".to_string()]);
    assert!(found.lines()[0].starts_with("runs b (tool server files): npx -y"), "{:?}", found.lines());
    assert_eq!(found.key_sends.len(), 1, "{found:?}");
    assert_eq!((found.key_sends[0].key.as_str(), found.key_sends[0].host.as_str()), ("env:SEARCH_KEY", "https://search.example"));
    assert_eq!(ensemble_score::key_pairs(&score), vec![("env:SEARCH_KEY".to_string(), "https://search.example".to_string())]);

    let print = found.fingerprint.clone();
    let changed = |from: &str, to: &str, why: &str| {
        let text = text.replacen(from, to, 1);
        let score = parse(&text, None).unwrap_or_else(|p| panic!("{why}: {p:?}"));
        assert_ne!(reach(&score, dir.path()).fingerprint, print, "{why} changes the fingerprint");
    };
    changed("\".\"]", "\"/\"]", "another argument");
    changed("env = [\"NODE_OPTIONS\"]", "env = [\"AWS_SECRET_ACCESS_KEY\"]", "another passed-through variable");
    changed("program = \"npx\"", "program = \"./npx\"", "another program");
    changed("https://search.example/mcp", "https://elsewhere.example/mcp", "another host for the key");
    let text = text.replacen("max_calls = 4", "max_calls = 5", 1);
    let same = parse(&text, None).expect("the score parses");
    assert_eq!(reach(&same, dir.path()).fingerprint, print, "a limit is not something to trust");
}
