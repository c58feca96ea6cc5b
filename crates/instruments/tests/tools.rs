//! A player's toolbox against real MCP servers: one started over stdio (this test binary, run
//! again as the server) and one over streamable HTTP on 127.0.0.1. Tools are listed with their
//! approval settled, called within the timeout and the cap, a dying server is an error and not a
//! panic, and closing leaves no process behind.

mod tool_fixture;

use std::time::Duration;

use ensemble_instruments::tools::{ToolDesk, ToolNote, Toolbox};
use ensemble_score::{Approval, KeyRef, Tools};
use serde_json::json;
use tokio_util::sync::CancellationToken;
use tool_fixture::{http_server, serve_if_asked, stdio_server};

/// Started as a child by the stdio tests, this serves the bench; run as a test, it checks the
/// bench in-process over an in-memory pipe, so the server the other tests use is known to work.
#[tokio::test]
async fn fixture_server_over_stdio() {
    if serve_if_asked().await {
        return;
    }
    use rmcp::ServiceExt;
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        let server = tool_fixture::Bench::new().serve(server_end).await.expect("the server side starts");
        let _ = server.waiting().await;
    });
    let client = ().serve(client_end).await.expect("the client side starts");
    let tools = client.list_all_tools().await.expect("the bench lists its tools");
    let mut names: Vec<String> = tools.iter().map(|t| t.name.to_string()).collect();
    names.sort();
    assert_eq!(names, ["big", "die", "echo", "pid", "slow", "write_note"]);
}

fn object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    value.as_object().expect("an object literal").clone()
}

fn stdio_tools(timeout_secs: u64, max_output_bytes: u64) -> Tools {
    let mut server = stdio_server("bench", "fixture_server_over_stdio");
    server.approval.insert("echo".into(), Approval::Ask);
    Tools { max_calls: None, timeout_secs: Some(timeout_secs), max_output_bytes: Some(max_output_bytes), servers: vec![server] }
}

#[tokio::test]
async fn a_stdio_server_lists_its_tools_with_their_approval() {
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let toolbox = Toolbox::open(&stdio_tools(20, 1000), workspace.path()).await.expect("the stdio server starts and lists its tools");
    let ask = |name: &str| toolbox.find(&format!("bench__{name}")).unwrap_or_else(|| panic!("{name} is offered")).ask;
    assert!(ask("echo"), "the score asks for echo, though the server marks it read-only");
    assert!(ask("write_note"), "an unmarked tool may change things: asked about");
    assert!(ask("die"), "a tool marked destructive is asked about even when marked read-only");
    assert!(!ask("slow") && !ask("big") && !ask("pid"), "read-only tools run without asking");
    assert_eq!(toolbox.tools().len(), 6);
    let echo = toolbox.find("bench__echo").expect("echo is offered");
    assert_eq!(echo.description, "Say the text back");
    assert_eq!(echo.input_schema["properties"]["text"]["type"], "string", "the schema is the server's: {}", echo.input_schema);
    toolbox.close().await;
}

#[tokio::test]
async fn stdio_calls_answer_time_out_are_capped_and_a_dying_server_is_an_error() {
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let toolbox = Toolbox::open(&stdio_tools(1, 100), workspace.path()).await.expect("the stdio server starts");
    let spec = |name: &str| toolbox.find(&format!("bench__{name}")).expect("the tool is offered").clone();

    let echoed = toolbox.call(&spec("echo"), object(json!({ "text": "hello" }))).await.expect("echo answers");
    assert_eq!((echoed.text.as_str(), echoed.is_error, echoed.cut), ("echo: hello", false, false));

    let big = toolbox.call(&spec("big"), object(json!({ "bytes": 250 }))).await.expect("big answers");
    assert!(big.cut, "250 bytes are over a cap of 100");
    assert_eq!(big.text, format!("{}\n[result cut at 100 of 250 bytes: the tool's output cap]", "x".repeat(100)));

    let slow = toolbox.call(&spec("slow"), object(json!({ "ms": 3000 }))).await.expect_err("3 s is over the 1 s timeout");
    assert!(slow.contains("did not answer within 1 s"), "{slow}");

    let wrong = toolbox.call(&spec("echo"), object(json!({ "txt": "typo" }))).await;
    match wrong {
        Ok(result) => assert!(result.is_error, "arguments that do not fit are the tool's error: {result:?}"),
        Err(message) => assert!(message.contains("bench.echo refused the call"), "{message}"),
    }

    let died = toolbox.call(&spec("die"), object(json!({}))).await.expect_err("a server that exits mid-call gives no result");
    assert!(died.contains("stopped"), "{died}");
    let after = toolbox.call(&spec("echo"), object(json!({ "text": "again" }))).await.expect_err("a dead server answers nothing");
    assert!(after.contains("stopped") || after.contains("closed"), "{after}");
    toolbox.close().await;
}

#[cfg(unix)]
#[tokio::test]
async fn closing_the_toolbox_ends_the_server_process() {
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let toolbox = Toolbox::open(&stdio_tools(20, 1000), workspace.path()).await.expect("the stdio server starts");
    let spec = toolbox.find("bench__pid").expect("pid is offered").clone();
    let pid: i32 = toolbox.call(&spec, object(json!({}))).await.expect("pid answers").text.parse().expect("a process id");
    // SAFETY: signal 0 only asks whether the process exists.
    assert_eq!(unsafe { libc::kill(pid, 0) }, 0, "the server runs while the toolbox is open");
    toolbox.close().await;
    let gone = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        // SAFETY: as above.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        !alive
    });
    assert!(gone, "the server process {pid} is gone once the toolbox is closed");
}

#[tokio::test]
async fn a_missing_program_or_tool_is_a_clear_error() {
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let mut tools = stdio_tools(5, 1000);
    tools.servers[0].program = Some("ensemble-no-such-program".into());
    let error = Toolbox::open(&tools, workspace.path()).await.expect_err("a missing program does not start");
    assert!(error.contains("tool server `bench`") && error.contains("no such program"), "{error}");

    let mut tools = stdio_tools(5, 1000);
    tools.servers[0].allow = vec!["echo".into(), "teleport".into()];
    let error = Toolbox::open(&tools, workspace.path()).await.expect_err("a tool the server lacks is a mistake in the score");
    assert!(error.contains("offers no tool `teleport`") && error.contains("echo"), "{error}");
}

#[tokio::test]
async fn an_http_server_is_reached_with_its_key_and_only_allowed_tools_are_offered() {
    const VAR: &str = "ENSEMBLE_TEST_TOOL_SERVER_KEY";
    // SAFETY: this variable is set here only, before the request that reads it.
    unsafe { std::env::set_var(VAR, "tool-key-123") };
    let (url, seen) = http_server().await;
    let mut server = ensemble_score::ToolServer { id: "web".into(), url: Some(url), key: Some(KeyRef::Env(VAR.into())), ..Default::default() };
    server.allow = vec!["echo".into(), "write_note".into()];
    let tools = Tools { servers: vec![server], ..Tools::default() };
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let toolbox = Toolbox::open(&tools, workspace.path()).await.expect("the HTTP server is reached");
    let names: Vec<&str> = toolbox.tools().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["web__echo", "web__write_note"], "only the allowed tools are offered");
    let spec = toolbox.find("web__write_note").expect("offered").clone();
    let wrote = toolbox.call(&spec, object(json!({ "text": "n1" }))).await.expect("write_note answers");
    assert_eq!(wrote.text, "1 note(s) written");
    let headers = seen.lock().expect("no panic holding the record").clone();
    assert!(!headers.is_empty() && headers.iter().all(|h| h == "Bearer tool-key-123"), "the key goes as a bearer token: {headers:?}");
    toolbox.close().await;
}

/// The desk between a model and the toolbox: notes for each step, and approval answered by a
/// person (here, the test) before a call that asks runs.
#[tokio::test]
async fn the_desk_asks_before_a_call_that_needs_approval_and_hands_back_errors() {
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let toolbox = Toolbox::open(&stdio_tools(20, 1000), workspace.path()).await.expect("the stdio server starts");
    let (notes, mut noted) = tokio::sync::mpsc::unbounded_channel();
    let desk = ToolDesk::new(toolbox.clone(), notes);
    let cancel = CancellationToken::new();

    // Rejected with a note: the call does not run and the model reads the note.
    let call = desk.call("c1", "bench__write_note", r#"{"text":"rm -rf"}"#, &cancel);
    let person = async {
        match noted.recv().await {
            Some(ToolNote::Waiting { call, tool, arguments, reply }) => {
                assert_eq!((call.as_str(), tool.as_str()), ("c1", "bench.write_note"));
                assert_eq!(arguments, json!({ "text": "rm -rf" }));
                reply.send(ensemble_instruments::tools::Decision::Reject { note: "not that".into() }).expect("the desk waits");
            }
            other => panic!("the desk asks first, got {other:?}"),
        }
    };
    let (answer, ()) = tokio::join!(call, person);
    assert!(answer.is_error);
    assert_eq!(answer.text, "a person rejected this call: not that");
    assert!(matches!(noted.recv().await, Some(ToolNote::Resolved { .. })));

    // Edited: the call runs with the person's arguments.
    let call = desk.call("c2", "bench__write_note", r#"{"text":"draft"}"#, &cancel);
    let person = async {
        if let Some(ToolNote::Waiting { reply, .. }) = noted.recv().await {
            let edited = ensemble_instruments::tools::Decision::Edit { arguments: json!({ "text": "final" }) };
            reply.send(edited).expect("the desk waits");
        }
    };
    let (answer, ()) = tokio::join!(call, person);
    assert_eq!(answer.text, "1 note(s) written", "the edited call ran once: {answer:?}");
    assert!(matches!(noted.recv().await, Some(ToolNote::Resolved { .. })));
    match noted.recv().await {
        Some(ToolNote::Called { arguments, rehearsal, .. }) => {
            assert_eq!(arguments, json!({ "text": "final" }), "the record shows what ran");
            assert!(!rehearsal);
        }
        other => panic!("the call is noted before it runs, got {other:?}"),
    }
    assert!(matches!(noted.recv().await, Some(ToolNote::Returned { .. })));

    // Errors the model is told about, each recorded as a failed call.
    let unknown = desk.call("c3", "bench__teleport", "{}", &cancel).await;
    assert!(unknown.is_error && unknown.text.contains("there is no tool `bench__teleport`"), "{unknown:?}");
    let malformed = desk.call("c4", "bench__echo", "{\"text\": ", &cancel).await;
    assert!(malformed.is_error && malformed.text.contains("not valid JSON"), "{malformed:?}");
    for _ in 0..2 {
        assert!(matches!(noted.recv().await, Some(ToolNote::Failed { .. })), "each refused call is recorded");
    }
    toolbox.close().await;
}
