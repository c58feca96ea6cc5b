//! The rules of a player's tools: each server is either a program or a URL, its settings fit
//! that kind, its names are unique, and the limits are in range.
//!
//! Tools are called by model instruments (and played by rehearsal); a command or a person has no
//! tool loop, so tools on them would silently do nothing and are refused instead.

use std::collections::HashMap;
use std::path::Path;

use super::{Element, Findings, Step, cwd_trouble};
use crate::limits::{TOOL_INSTRUMENTS, ToolLimit};
use crate::{Player, Rule, Score, Target, ToolServer};

use Step::{Index, Key};

pub(super) fn rules(score: &Score, player: &Player, el: Element, base_dir: Option<&Path>, out: &mut Findings) {
    let tools = &player.tools;
    if tools.is_empty() {
        return;
    }
    let id = player.id.as_str();
    let target = || Target::Player { id: id.to_string() };
    let mut bad = |path: &[Step], what: String| {
        out.add(Rule::BadToolSetting, target(), el, path, format!("the tools of player `{id}`: {what}"));
    };
    if !TOOL_INSTRUMENTS.contains(&player.instrument.kind()) {
        bad(&[Key("tools")], format!(
            "a {} instrument does not call tools; give the player {}, or remove `tools`",
            player.instrument.kind(),
            tool_instruments()
        ));
    }
    let limits = [
        (ToolLimit::MAX_CALLS, tools.max_calls.map(u64::from)),
        (ToolLimit::TIMEOUT_SECS, tools.timeout_secs),
        (ToolLimit::MAX_OUTPUT_BYTES, tools.max_output_bytes),
    ];
    for (ToolLimit { key, max, what, .. }, value) in limits {
        if let Some(n) = value
            && (n == 0 || n > max)
        {
            out.add(Rule::BudgetOutOfRange, target(), el, &[Key("tools"), Key(key)], format!(
                "the tools of player `{id}`: {key} = {n}; use 1 to {max} ({what}), or remove it"
            ));
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, server) in tools.servers.iter().enumerate() {
        let at = |key: &'static str| [Key("tools"), Key("servers"), Index(i), Key(key)];
        if server.id.trim().is_empty() {
            out.add(Rule::EmptyId, target(), el, &at("id"), format!(
                "tool server {} of player `{id}` has an empty `id`; give it a short name such as `files`", i + 1
            ));
        } else if !server.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            out.add(Rule::BadToolSetting, target(), el, &at("id"), format!(
                "tool server `{}` of player `{id}`: an `id` may hold only letters, digits, `-` and `_` \
                 (it names the server's tools to the model)",
                server.id
            ));
        } else if let Some(first) = seen.get(server.id.as_str()) {
            out.add(Rule::DuplicateId, target(), el, &at("id"), format!(
                "tool servers {} and {} of player `{id}` are both called `{}`; server ids must be unique",
                first + 1, i + 1, server.id
            ));
        } else {
            seen.insert(&server.id, i);
        }
        server_rules(score, id, server, i, el, base_dir, out);
    }
}

/// "an openai, anthropic or rehearsal instrument": the kinds that call tools, for a message.
fn tool_instruments() -> String {
    let (last, rest) = TOOL_INSTRUMENTS.split_last().expect("some instruments call tools");
    let article = if rest.first().unwrap_or(last).starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {} or {last} instrument", rest.join(", "))
}

fn server_rules(score: &Score, id: &str, server: &ToolServer, i: usize, el: Element, base_dir: Option<&Path>, out: &mut Findings) {
    let name = if server.id.is_empty() { format!("tool server {}", i + 1) } else { format!("tool server `{}`", server.id) };
    let target = || Target::Player { id: id.to_string() };
    let mut bad = |key: &'static str, rule: Rule, what: String| {
        out.add(rule, target(), el, &[Key("tools"), Key("servers"), Index(i), Key(key)], format!(
            "{name} of player `{id}`: {what}"
        ));
    };
    match (&server.program, &server.url) {
        (None, None) => bad("id", Rule::BadToolSetting, "set `program` (a server spoken to over stdio) or `url` (a streamable HTTP server)".into()),
        (Some(_), Some(_)) => bad("url", Rule::BadToolSetting, "has both `program` and `url`; a server is one or the other".into()),
        (Some(program), None) => {
            if program.trim().is_empty() {
                bad("program", Rule::BadToolSetting, "`program` is empty; name the program to run".into());
            }
            if server.key.is_some() {
                bad("key", Rule::BadToolSetting, "`key` goes with `url`; pass a program its secrets through `env`".into());
            }
            if let Some(cwd) = &server.cwd
                && let Some(t) = cwd_trouble(score, cwd, base_dir)
            {
                let rule = if t.is_escape() { Rule::OutsideWorkspace } else { Rule::BadToolSetting };
                bad("cwd", rule, format!("working directory `{cwd}` {}; it must be a folder inside the workspace", t.describe()));
            }
        }
        (None, Some(url)) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) || url::Url::parse(url).is_err() {
                bad("url", Rule::BadToolSetting, format!("url `{url}` must be an http:// or https:// address, e.g. `http://127.0.0.1:8000/mcp`"));
            }
            for (key, set) in [("args", !server.args.is_empty()), ("env", !server.env.is_empty()), ("cwd", server.cwd.is_some())] {
                if set {
                    bad(key, Rule::BadToolSetting, format!("`{key}` goes with `program`; a server at a URL runs elsewhere"));
                }
            }
            if let Some(crate::KeyRef::Env(n) | crate::KeyRef::Keychain(n)) = &server.key
                && n.trim().is_empty()
            {
                bad("key", Rule::BadToolSetting, "the `key` names no variable or keychain entry; e.g. `key = { env = \"SEARCH_KEY\" }`".into());
            }
        }
    }
    if server.allow.iter().any(|t| t.trim().is_empty()) {
        bad("allow", Rule::BadToolSetting, "`allow` holds an empty tool name".into());
    }
    if !server.allow.is_empty() {
        let unused: Vec<&str> = server.approval.keys().filter(|t| !server.allow.contains(t)).map(String::as_str).collect();
        if !unused.is_empty() {
            bad("approval", Rule::BadToolSetting, format!(
                "`approval` names {} not in `allow`, so the setting is never used; add {} to `allow` or remove {}",
                unused.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
                if unused.len() == 1 { "it" } else { "them" },
                if unused.len() == 1 { "its setting" } else { "their settings" },
            ));
        }
    }
}
