//! One recorded performance written out by hand, with every kind of turn a report and a trace
//! must show: a hand-off, a review loop, a retry, a failure, a checkpoint and an edit.
#![allow(dead_code)]

use ensemble_conductor::Event;
use ensemble_score::Score;
use serde_json::json;

pub const ID: &str = "01JREPORT0000000000000000";

/// Markup, quotes and an ampersand in every text a person or a model wrote.
pub const DRAFT: &str = "<script>alert('draft')</script> & \"quoted\" <img src=https://example.invalid/x.png>";
pub const REVIEW: &str = "VERDICT: CHANGES REQUESTED <b>tighten</b> & retry";
pub const EDITED: &str = "Reviewed <by a person> & handed on";
pub const PARTIAL: &str = "half a <draft>";
pub const FAILURE: &str = "the endpoint answered 500 <Internal>";

pub fn score() -> Score {
    let text = r#"format = 1
title = "Kite <review>"

[intent]
goal = "Ship a kite that flies & lasts."

[[sections]]
id = "build"
name = "Build"
zone = "stabilizer"

[[players]]
id = "writer"
name = "Writer <one>"
section = "build"
part = "Write the draft."

[players.instrument]
kind = "openai"
base_url = "http://127.0.0.1:9/v1"
model = "llama3.2"
temperature = 0.25

[[players]]
id = "reviewer"
name = "Reviewer"
zone = "improver"
part = "Review the draft."

[players.instrument]
kind = "anthropic"
model = "claude-sonnet-4-5"
key = { env = "ANTHROPIC_API_KEY" }

[[cues]]
from = "writer"
to = "reviewer"
checkpoint = true

[[cues]]
from = "reviewer"
to = "writer"
when = "verdict"
verdict = "CHANGES"
max_repeats = 1
"#;
    ensemble_score::parse(text, None).unwrap_or_else(|p| panic!("the test score must load: {p:?}"))
}

/// An event read from its JSON form, as the store keeps it; fields added to events later (with
/// defaults) do not change these.
fn event(seq: u64, at_ms: u64, kind: serde_json::Value) -> Event {
    let mut value = kind;
    value["seq"] = json!(seq);
    value["at_ms"] = json!(at_ms);
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} is an event: {e}"))
}

/// The performance, starting at 1 000 000 ms: the writer drafts (1 s), a person approves the
/// checkpoint, the reviewer asks for changes (2 s) and a person edits that review, the writer's
/// second chorus fails once, is retried and fails for good.
pub fn events() -> Vec<Event> {
    let t0: u64 = 1_000_000;
    let usage = |input: u64, output: u64| json!({ "input_tokens": input, "output_tokens": output });
    let kinds = [
        (
            0,
            json!({ "type": "performance_started", "performance": ID, "title": "Kite <review>", "context_version": "ctx-1",
            "players": ["writer", "reviewer"], "offline": false, "resumed": false }),
        ),
        (
            10,
            json!({ "type": "player_cued", "player": "writer", "chorus": 1, "context_version": "ctx-1",
            "instrument": "openai llama3.2", "rehearsal": false, "handoffs": [] }),
        ),
        (500, json!({ "type": "token", "player": "writer", "text": "half" })),
        (
            1_010,
            json!({ "type": "player_finished", "player": "writer", "chorus": 1, "output": DRAFT, "usage": usage(100, 40),
            "cost_usd": 0.0014, "elapsed_ms": 1_000 }),
        ),
        (1_020, json!({ "type": "checkpoint_waiting", "from": "writer", "to": "reviewer" })),
        (1_500, json!({ "type": "checkpoint_resolved", "from": "writer", "to": "reviewer", "approved": true, "note": "fine <go>" })),
        (1_510, json!({ "type": "cue_fired", "from": "writer", "to": "reviewer", "count": 1 })),
        (
            1_520,
            json!({ "type": "player_cued", "player": "reviewer", "chorus": 1, "context_version": "ctx-1",
            "instrument": "anthropic claude-sonnet-4-5", "rehearsal": false, "handoffs": [{ "from": "writer", "output": DRAFT }] }),
        ),
        (
            3_520,
            json!({ "type": "player_finished", "player": "reviewer", "chorus": 1, "output": REVIEW, "usage": usage(300, 60),
            "cost_usd": 0.0102, "elapsed_ms": 2_000 }),
        ),
        (3_600, json!({ "type": "output_edited", "player": "reviewer", "output": EDITED })),
        (3_610, json!({ "type": "cue_fired", "from": "reviewer", "to": "writer", "count": 1 })),
        (
            3_620,
            json!({ "type": "player_cued", "player": "writer", "chorus": 2, "context_version": "ctx-1",
            "instrument": "openai llama3.2", "rehearsal": false, "handoffs": [{ "from": "reviewer", "output": EDITED }] }),
        ),
        (
            4_000,
            json!({ "type": "player_retrying", "player": "writer", "attempt": 2, "delay_ms": 250, "reason": "connection reset",
            "usage": usage(7, 3), "cost_usd": 0.0001 }),
        ),
        (
            5_000,
            json!({ "type": "player_failed", "player": "writer", "chorus": 2, "error": FAILURE, "partial_output": PARTIAL,
            "usage": usage(110, 5), "cost_usd": 0.0011, "elapsed_ms": 1_380 }),
        ),
        (
            5_010,
            json!({ "type": "performance_finished", "outcome": "failed", "reason": "writer failed", "usage": usage(517, 108),
            "cost_usd": 0.0128, "elapsed_ms": 5_010 }),
        ),
    ];
    kinds.into_iter().enumerate().map(|(i, (offset, kind))| event(i as u64 + 1, t0 + offset, kind)).collect()
}

/// Markup in a tool's result, as a hostile server could send it.
pub const LISTING: &str = "[FILE] <script>alert('x')</script>.md\n[FILE] notes & <b>plans</b>.md";

/// The writer lists a folder (answered), asks to write outside it (rejected with a note), asks to
/// write a draft (edited by a person, then the tool says it is an error) and calls a tool that does
/// not exist (failed); the reviewer calls nothing. The n-th event is at 1 000 000 + 10·n ms.
pub fn tool_events() -> Vec<Event> {
    let usage = json!({ "input_tokens": 1, "output_tokens": 1 });
    let kinds = [
        json!({ "type": "performance_started", "performance": ID, "title": "Kite", "context_version": "ctx-1",
        "players": ["writer", "reviewer"], "offline": false, "resumed": false }),
        json!({ "type": "player_cued", "player": "writer", "chorus": 1, "context_version": "ctx-1",
        "instrument": "openai llama3.2", "rehearsal": false, "handoffs": [] }),
        json!({ "type": "tool_called", "player": "writer", "call": "1.1.1", "tool": "files.list_directory",
        "arguments": { "path": "." }, "rehearsal": false }),
        json!({ "type": "tool_returned", "player": "writer", "call": "1.1.1", "tool": "files.list_directory",
        "result": LISTING, "is_error": false, "cut": true, "elapsed_ms": 1_500 }),
        json!({ "type": "tool_waiting", "player": "writer", "call": "1.1.2", "tool": "files.write_file",
        "arguments": { "path": "../outside.md" } }),
        json!({ "type": "tool_resolved", "player": "writer", "call": "1.1.2", "tool": "files.write_file",
        "decision": { "decision": "reject", "note": "stay <inside>" } }),
        json!({ "type": "tool_waiting", "player": "writer", "call": "1.1.3", "tool": "files.write_file",
        "arguments": { "path": "draft.md", "content": "x" } }),
        json!({ "type": "tool_resolved", "player": "writer", "call": "1.1.3", "tool": "files.write_file",
        "decision": { "decision": "edit", "arguments": { "path": "kite.md", "content": "x" } } }),
        json!({ "type": "tool_called", "player": "writer", "call": "1.1.3", "tool": "files.write_file",
        "arguments": { "path": "kite.md", "content": "x" }, "rehearsal": false }),
        json!({ "type": "tool_returned", "player": "writer", "call": "1.1.3", "tool": "files.write_file",
        "result": "disk full", "is_error": true, "cut": false, "elapsed_ms": 20 }),
        json!({ "type": "tool_failed", "player": "writer", "call": "1.1.4", "tool": "web__search",
        "error": "there is no tool `web__search`", "elapsed_ms": 0 }),
        json!({ "type": "player_finished", "player": "writer", "chorus": 1, "output": "done", "usage": usage,
        "cost_usd": 0.0, "elapsed_ms": 100 }),
        json!({ "type": "player_cued", "player": "reviewer", "chorus": 1, "context_version": "ctx-1",
        "instrument": "anthropic claude-sonnet-4-5", "rehearsal": false, "handoffs": [] }),
        json!({ "type": "player_finished", "player": "reviewer", "chorus": 1, "output": "fine", "usage": usage,
        "cost_usd": 0.0, "elapsed_ms": 100 }),
        json!({ "type": "performance_finished", "outcome": "succeeded", "reason": null, "usage": usage,
        "cost_usd": 0.0, "elapsed_ms": 150 }),
    ];
    kinds.into_iter().enumerate().map(|(i, kind)| event(i as u64 + 1, 1_000_000 + (i as u64 + 1) * 10, kind)).collect()
}
