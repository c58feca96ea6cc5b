//! A model player with a real tool server in a performance: an OpenAI-compatible server on
//! 127.0.0.1 streams a call of the reference filesystem server's `write_file` (which asks), the
//! person edits its arguments through the conductor's hands, the edited call writes the file, and
//! once the performance ends the server's process is gone.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use std::time::Duration;

use common::*;
use ensemble_conductor::{Command, Conductor, EventKind, MemoryJournal, Outcome};
use ensemble_instruments::Limits;
use ensemble_instruments::tools::Decision;
use ensemble_score::{Instrument, OpenaiSettings, ToolServer, Tools};
use serde_json::json;

/// First request: a call of `files__write_file` with `arguments`, streamed as OpenAI does (id
/// and name first, the arguments in two pieces); the next: an answer.
async fn chat(calls: Arc<AtomicUsize>, arguments: Arc<String>) -> Response {
    let body = if calls.fetch_add(1, Ordering::SeqCst) == 0 {
        let (head, tail) = arguments.split_at(arguments.len() / 2);
        let opening = json!({ "choices": [{ "delta": { "tool_calls": [{ "index": 0, "id": "w1", "function": { "name": "files__write_file", "arguments": head } }] } }] });
        let rest = json!({ "choices": [{ "delta": { "tool_calls": [{ "index": 0, "function": { "arguments": tail } }] }, "finish_reason": "tool_calls" }] });
        format!("data: {opening}\n\ndata: {rest}\n\ndata: [DONE]\n\n")
    } else {
        "data: {\"choices\":[{\"delta\":{\"content\":\"written\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n".to_string()
    };
    ([(header::CONTENT_TYPE, "text/event-stream")], body).into_response()
}

/// A model on 127.0.0.1 whose first answer calls `files__write_file` with `arguments`.
async fn model_writing(arguments: serde_json::Value) -> Instrument {
    let calls = Arc::new(AtomicUsize::new(0));
    let arguments = Arc::new(arguments.to_string());
    let app = Router::new().route("/v1/chat/completions", post(move || chat(calls.clone(), arguments.clone())));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port is free");
    let address = listener.local_addr().expect("a bound listener has an address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the test server runs") });
    Instrument::Openai(OpenaiSettings { base_url: format!("http://{address}/v1"), model: "m".into(), ..Default::default() })
}

fn server_script() -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/mcp/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
    assert!(script.exists(), "the reference filesystem server is not installed at {}: run scripts/install-deps.sh", script.display());
    script
}

/// The reference filesystem server on `folder`, as the tool server `files`.
fn filesystem(folder: &Path) -> ToolServer {
    ToolServer {
        id: "files".into(),
        program: Some("node".into()),
        args: vec![server_script().to_string_lossy().into_owned(), folder.to_string_lossy().into_owned()],
        ..ToolServer::default()
    }
}

/// Processes whose command line names `folder` (the server is started on it, so it names it).
#[cfg(target_os = "linux")]
fn processes_on(folder: &Path) -> Vec<String> {
    let needle = folder.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .expect("/proc lists processes")
        .filter_map(|entry| std::fs::read(entry.ok()?.path().join("cmdline")).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).replace('\0', " "))
        .filter(|line| line.contains(&needle))
        .collect()
}

#[tokio::test]
async fn an_edited_call_runs_on_the_real_server_and_the_server_stops_with_the_performance() {
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let folder = workspace.path().canonicalize().expect("a temporary folder has a canonical path");
    let mut writer = player("writer", model_writing(json!({ "path": "draft.md", "content": "first" })).await);
    writer.tools = Tools { timeout_secs: Some(30), servers: vec![filesystem(&folder)], ..Tools::default() };
    let mut opts = options();
    opts.base_dir = folder.clone();
    let mut live = start(score(vec![writer], vec![]), opts);

    let waiting = live.until(|k| matches!(k, EventKind::ToolWaiting { .. })).await;
    let EventKind::ToolWaiting { call, tool, arguments, .. } = waiting.kind else { unreachable!("matched above") };
    assert_eq!(tool, "files.write_file", "writing is not marked read-only by the server: it asks");
    assert_eq!(arguments, json!({ "path": "draft.md", "content": "first" }));
    #[cfg(target_os = "linux")]
    assert!(!processes_on(&folder).is_empty(), "the server runs while the performance plays");
    let final_path = folder.join("final.md").to_string_lossy().into_owned();
    let edited = Decision::Edit { arguments: json!({ "path": final_path, "content": "edited by a person" }) };
    assert!(live.control.send(Command::ToolDecision { player: "writer".into(), call, decision: edited }));

    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(std::fs::read_to_string(folder.join("final.md")).expect("the edited call wrote its file"), "edited by a person");
    assert!(!folder.join("draft.md").exists(), "the model's own arguments never ran");
    let returned = events.iter().any(|e| matches!(&e.kind, EventKind::ToolReturned { tool, is_error: false, .. } if tool == "files.write_file"));
    assert!(returned, "the call's result is recorded");
    #[cfg(target_os = "linux")]
    assert!(processes_on(&folder).is_empty(), "no server process outlives the performance: {:?}", processes_on(&folder));
}

/// The player's timeout (2 s), its tools' timeout per call (3 s) and the read timeout of its
/// model's stream (2 s) bound what the player and its servers do, not how long a person thinks:
/// an approval that comes after 4 s lets the call run and the chorus finish in its first attempt.
#[tokio::test]
async fn a_person_may_take_longer_to_approve_a_call_than_any_timeout_of_the_player() {
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let folder = workspace.path().canonicalize().expect("a temporary folder has a canonical path");
    let target = folder.join("approved.md").to_string_lossy().into_owned();
    let mut writer = player("writer", model_writing(json!({ "path": target, "content": "approved late" })).await);
    writer.timeout_secs = Some(2);
    writer.retries = Some(0);
    writer.tools = Tools { timeout_secs: Some(3), servers: vec![filesystem(&folder)], ..Tools::default() };
    let mut opts = options();
    opts.base_dir = folder.clone();
    let limits = Limits { read_timeout: Duration::from_secs(2), ..Limits::default() };
    let conductor = Conductor::new(score(vec![writer], vec![]), opts, Box::new(MemoryJournal::default())).with_limits(limits);
    let mut live = start_conductor(conductor);

    let waiting = live.until(|k| matches!(k, EventKind::ToolWaiting { .. })).await;
    let EventKind::ToolWaiting { call, .. } = waiting.kind else { unreachable!("matched above") };
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(live.control.send(Command::ToolDecision { player: "writer".into(), call, decision: Decision::Approve }), "the performance still plays");

    let (outcome, events) = live.finish().await;
    let failures: Vec<&EventKind> = events.iter().map(|e| &e.kind).filter(|k| matches!(k, EventKind::PlayerRetrying { .. } | EventKind::PlayerFailed { .. })).collect();
    assert!(failures.is_empty(), "the wait for the person timed nothing out: {failures:?}");
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(std::fs::read_to_string(folder.join("approved.md")).expect("the approved call wrote its file"), "approved late");
    let returned = events.iter().any(|e| matches!(&e.kind, EventKind::ToolReturned { tool, is_error: false, .. } if tool == "files.write_file"));
    assert!(returned, "the approved call ran and its result is recorded");
    assert_eq!(outputs(&events, "writer"), ["written"], "the model was asked again with the result and answered");
}
