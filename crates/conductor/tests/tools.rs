//! Tool calls in a performance: each call and its result is an event, a call that asks waits for
//! the person's decision (approve, reject with a note, edit the arguments), and a rehearsal plays
//! tools offline without starting a server.

mod common;

use common::{options, player, rehearsal, score, start};
use ensemble_conductor::{Command, EventKind, Outcome};
use ensemble_instruments::tools::Decision;
use ensemble_score::{Approval, Instrument, OpenaiSettings, ToolServer, Tools};
use serde_json::json;

/// A player whose tools are one server that would start `program`, with the given tools named.
fn with_tools(mut p: ensemble_score::Player, program: &str, tools: &[(&str, Option<Approval>)]) -> ensemble_score::Player {
    let mut server = ToolServer { id: "files".into(), program: Some(program.into()), ..Default::default() };
    for (name, approval) in tools {
        server.allow.push(name.to_string());
        if let Some(approval) = approval {
            server.approval.insert(name.to_string(), *approval);
        }
    }
    p.tools = Tools { servers: vec![server], ..Tools::default() };
    p
}

#[tokio::test]
async fn rehearsed_calls_are_recorded_and_wait_for_the_persons_decision() {
    let tools = [("list", Some(Approval::Allow)), ("write", None), ("delete", Some(Approval::Ask))];
    let writer = with_tools(player("writer", rehearsal(0)), "never-started-server", &tools);
    let mut live = start(score(vec![writer], vec![]), options());

    let waiting = live.until(|k| matches!(k, EventKind::ToolWaiting { .. })).await;
    let EventKind::ToolWaiting { player, call, tool, arguments } = waiting.kind else { unreachable!("matched above") };
    assert_eq!((player.as_str(), tool.as_str()), ("writer", "files.write"), "list is allowed, so write is the first to wait");
    assert_eq!(arguments, json!({}));
    let edited = Decision::Edit { arguments: json!({ "path": "notes.md" }) };
    assert!(live.control.send(Command::ToolDecision { player: "writer".into(), call: call.clone(), decision: edited }));

    let waiting = live.until(|k| matches!(k, EventKind::ToolWaiting { .. })).await;
    let EventKind::ToolWaiting { call: second, tool, .. } = waiting.kind else { unreachable!("matched above") };
    assert_eq!(tool, "files.delete");
    let rejected = Decision::Reject { note: "keep the files".into() };
    assert!(live.control.send(Command::ToolDecision { player: "writer".into(), call: second.clone(), decision: rejected }));

    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    let tool_events: Vec<String> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ToolCalled { tool, arguments, rehearsal, .. } => Some(format!("called {tool} {arguments} rehearsal={rehearsal}")),
            EventKind::ToolReturned { tool, .. } => Some(format!("returned {tool}")),
            EventKind::ToolWaiting { tool, .. } => Some(format!("waiting {tool}")),
            EventKind::ToolResolved { tool, decision, .. } => Some(format!("resolved {tool} {}", serde_json::to_string(decision).unwrap_or_default())),
            EventKind::ToolFailed { tool, error, .. } => Some(format!("failed {tool}: {error}")),
            _ => None,
        })
        .collect();
    assert_eq!(
        tool_events,
        [
            "called files.list {} rehearsal=true",
            "returned files.list",
            "waiting files.write",
            r#"resolved files.write {"decision":"edit","arguments":{"path":"notes.md"}}"#,
            r#"called files.write {"path":"notes.md"} rehearsal=true"#,
            "returned files.write",
            "waiting files.delete",
            r#"resolved files.delete {"decision":"reject","note":"keep the files"}"#,
        ],
        "every step is recorded in order; the rejected call never runs"
    );
    let output = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::PlayerFinished { output, .. } => Some(output.clone()),
            _ => None,
        })
        .expect("the writer finished");
    assert!(output.contains("Called files.delete: a person rejected this call: keep the files"), "the note reaches the part: {output}");
    assert!(output.contains("made-up result of files.write for {\"path\":\"notes.md\"}"), "the edited arguments ran: {output}");
    let waiting_seq = events.iter().find(|e| matches!(e.kind, EventKind::ToolWaiting { .. })).map(|e| e.seq);
    assert!(waiting_seq.is_some_and(|s| s > 0), "events carry their place in the log");
}

#[tokio::test]
async fn an_offline_performance_starts_no_tool_server() {
    // A model player whose server program does not exist: offline, it is rehearsed, so nothing
    // is started and nothing fails for the missing program.
    let model = Instrument::Openai(OpenaiSettings { base_url: "http://127.0.0.1:9/v1".into(), model: "m".into(), ..Default::default() });
    let reader = with_tools(player("reader", model), "ensemble-no-such-server", &[("read", Some(Approval::Allow))]);
    let mut offline = options();
    offline.offline = true;
    let (outcome, events) = common::conduct(score(vec![reader], vec![]), offline).await;
    assert_eq!(outcome, Outcome::Succeeded);
    let called = events.iter().any(|e| matches!(&e.kind, EventKind::ToolCalled { tool, rehearsal: true, .. } if tool == "files.read"));
    assert!(called, "the rehearsal plays the tool, labelled as rehearsal");
}

#[tokio::test]
async fn a_tool_server_that_cannot_start_fails_the_player_with_a_clear_message() {
    let model = Instrument::Openai(OpenaiSettings { base_url: "http://127.0.0.1:9/v1".into(), model: "m".into(), ..Default::default() });
    let reader = with_tools(player("reader", model), "ensemble-no-such-server", &[("read", None)]);
    let (outcome, events) = common::conduct(score(vec![reader], vec![]), options()).await;
    assert_eq!(outcome, Outcome::Failed);
    let error = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::PlayerFailed { error, .. } => Some(error.clone()),
            _ => None,
        })
        .expect("the player failed");
    assert!(error.contains("tool server `files`") && error.contains("ensemble-no-such-server"), "{error}");
}
