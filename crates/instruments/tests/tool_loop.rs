//! The tool loop of both chat protocols: fake providers on 127.0.0.1 stream tool-call deltas the
//! way OpenAI-compatible servers and Anthropic do, and the calls go to a real MCP server (this
//! test binary run again over stdio). Every kind of trouble ends as a tool error the model reads
//! on the next round, or as a clear failure, never a panic.

mod common;
mod tool_fixture;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::response::Response;
use axum::routing::post;
use common::{Ending, data, event_stream};
use ensemble_instruments::tools::{Decision, ToolDesk, ToolNote, Toolbox};
use ensemble_instruments::{Stage, anthropic, openai};
use ensemble_score::{Approval, OpenaiSettings, Tools};
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedReceiver;

/// Serves the bench over stdio when this binary is started as a tool server.
#[tokio::test]
async fn fixture_server_over_stdio() {
    if tool_fixture::serve_if_asked().await {
        return;
    }
    let server = tool_fixture::stdio_server("bench", "fixture_server_over_stdio");
    assert!(server.args.contains(&tool_fixture::SERVE_MARK.to_string()), "the child is told to serve");
}

/// Request bodies in the order they came.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Value>>>);

impl Seen {
    fn all(&self) -> Vec<Value> {
        self.0.lock().expect("no test panics while holding the lock").clone()
    }
}

/// A provider at `path` that answers its n-th request with the n-th list of events (the last
/// list again after that).
async fn provider(path: &str, rounds: Vec<Vec<String>>) -> (String, Seen) {
    let seen = Seen::default();
    let record = seen.clone();
    let router = Router::new().route(
        path,
        post(move |body: axum::Json<Value>| {
            let mut all = record.0.lock().expect("no test panics while holding the lock");
            all.push(body.0);
            let events = rounds[(all.len() - 1).min(rounds.len() - 1)].clone();
            async move { event_stream(events, Ending::Clean) as Response }
        }),
    );
    (common::serve(router).await, seen)
}

/// A stage whose player has the bench's tools, and the notes of its desk.
async fn stage_with_tools(tools: Tools) -> (Stage, tempfile::TempDir, Arc<Toolbox>, UnboundedReceiver<ToolNote>) {
    let (mut stage, workspace) = common::stage();
    let toolbox = Toolbox::open(&tools, workspace.path()).await.expect("the bench starts over stdio");
    let (notes, noted) = tokio::sync::mpsc::unbounded_channel();
    stage.tools = Some(ToolDesk::new(toolbox.clone(), notes));
    (stage, workspace, toolbox, noted)
}

fn bench(max_calls: Option<u32>) -> Tools {
    Tools {
        max_calls,
        timeout_secs: Some(1),
        max_output_bytes: Some(100),
        servers: vec![tool_fixture::stdio_server("bench", "fixture_server_over_stdio")],
    }
}

fn openai_settings(base: &str) -> OpenaiSettings {
    OpenaiSettings { base_url: format!("{base}/v1"), model: "m".into(), ..Default::default() }
}

/// One OpenAI chunk with tool-call pieces.
fn calls(pieces: Value) -> String {
    data(json!({ "choices": [{ "index": 0, "delta": { "tool_calls": pieces } }] }))
}

fn finish(reason: &str) -> String {
    data(json!({ "choices": [{ "index": 0, "delta": {}, "finish_reason": reason }] }))
}

fn text(text: &str) -> String {
    data(json!({ "choices": [{ "index": 0, "delta": { "content": text } }] }))
}

/// The tool messages of a request, by call id.
fn tool_messages(body: &Value) -> Vec<(String, String)> {
    body["messages"]
        .as_array()
        .expect("a request has messages")
        .iter()
        .filter(|m| m["role"] == "tool")
        .map(|m| (m["tool_call_id"].as_str().unwrap_or_default().to_string(), m["content"].as_str().unwrap_or_default().to_string()))
        .collect()
}

#[tokio::test]
async fn openai_streams_a_tool_call_in_pieces_and_answers_with_its_result() {
    let round_one = vec![
        text("Looking. "),
        calls(json!([{ "index": 0, "id": "call_a", "type": "function", "function": { "name": "bench__echo", "arguments": "" } }])),
        calls(json!([{ "index": 0, "function": { "arguments": "{\"text\":" } }])),
        calls(json!([{ "index": 0, "function": { "arguments": " \"hi\"}" } }])),
        finish("tool_calls"),
        "data: [DONE]\n\n".into(),
    ];
    let round_two = vec![text("It said: echo: hi"), finish("stop"), "data: [DONE]\n\n".into()];
    let (base, seen) = provider("/v1/chat/completions", vec![round_one, round_two]).await;
    let (stage, _workspace, toolbox, mut noted) = stage_with_tools(bench(None)).await;
    let (tx, _rx) = common::tokens();

    let played = openai::play(&openai_settings(&base), &common::prompt(), &stage, &tx).await.expect("the loop ends with an answer");
    assert_eq!(played.output, "Looking. It said: echo: hi", "the output is all the text, over both rounds");

    let requests = seen.all();
    assert_eq!(requests.len(), 2, "one round for the call, one for the answer");
    let offered: Vec<&str> = requests[0]["tools"].as_array().expect("tools are offered").iter().map(|t| t["function"]["name"].as_str().unwrap_or_default()).collect();
    assert!(offered.contains(&"bench__echo") && offered.len() == 6, "{offered:?}");
    assert_eq!(requests[0]["tools"][0]["type"], "function");
    let assistant = &requests[1]["messages"][2];
    assert_eq!(assistant["role"], "assistant");
    assert_eq!(assistant["content"], "Looking. ");
    assert_eq!(assistant["tool_calls"][0], json!({ "id": "call_a", "type": "function", "function": { "name": "bench__echo", "arguments": "{\"text\": \"hi\"}" } }));
    assert_eq!(tool_messages(&requests[1]), vec![("call_a".to_string(), "echo: hi".to_string())]);

    match noted.recv().await {
        Some(ToolNote::Called { call, tool, arguments, rehearsal }) => {
            assert_eq!((call.as_str(), tool.as_str(), rehearsal), ("1.1.1", "bench.echo", false));
            assert_eq!(arguments, json!({ "text": "hi" }));
        }
        other => panic!("the call is noted first, got {other:?}"),
    }
    assert!(matches!(noted.recv().await, Some(ToolNote::Returned { result, .. }) if result == "echo: hi"));
    toolbox.close().await;
}

#[tokio::test]
async fn openai_hands_every_kind_of_tool_trouble_back_to_the_model() {
    let round_one = vec![
        calls(json!([
            { "index": 0, "id": "unknown", "function": { "name": "bench__teleport", "arguments": "{}" } },
            { "index": 1, "id": "malformed", "function": { "name": "bench__echo", "arguments": "{\"text\": " } },
            { "index": 2, "id": "slow", "function": { "name": "bench__slow", "arguments": "{\"ms\": 3000}" } },
            { "index": 3, "id": "big", "function": { "name": "bench__big", "arguments": "{\"bytes\": 500}" } },
            { "index": 4, "id": "die", "function": { "name": "bench__die", "arguments": "{}" } },
            { "index": 5, "id": "after", "function": { "name": "bench__echo", "arguments": "{\"text\": \"still?\"}" } },
        ])),
        finish("tool_calls"),
    ];
    let round_two = vec![text("Done."), finish("stop")];
    let (base, seen) = provider("/v1/chat/completions", vec![round_one, round_two]).await;
    let mut tools = bench(None);
    // `die` is marked destructive: allowed here so that it runs without a person.
    tools.servers[0].approval.insert("die".into(), Approval::Allow);
    let (stage, _workspace, toolbox, _noted) = stage_with_tools(tools).await;
    let (tx, _rx) = common::tokens();

    let played = openai::play(&openai_settings(&base), &common::prompt(), &stage, &tx).await.expect("tool trouble does not fail the attempt");
    assert_eq!(played.output, "Done.");
    let answers = tool_messages(&seen.all()[1]);
    let answer = |id: &str| answers.iter().find(|(i, _)| i == id).map(|(_, a)| a.clone()).unwrap_or_else(|| panic!("{id} is answered: {answers:?}"));
    assert!(answer("unknown").contains("there is no tool `bench__teleport`"), "{}", answer("unknown"));
    assert!(answer("malformed").contains("not valid JSON"), "{}", answer("malformed"));
    assert!(answer("slow").contains("did not answer within 1 s"), "{}", answer("slow"));
    assert_eq!(answer("big"), format!("{}\n[result cut at 100 of 500 bytes: the tool's output cap]", "x".repeat(100)));
    assert!(answer("die").contains("stopped"), "{}", answer("die"));
    assert!(answer("after").contains("stopped") || answer("after").contains("closed"), "{}", answer("after"));
    toolbox.close().await;
}

#[tokio::test]
async fn openai_calls_past_the_limit_are_refused_and_then_tools_are_closed() {
    let round_one = vec![
        calls(json!([
            { "index": 0, "id": "first", "function": { "name": "bench__echo", "arguments": "{\"text\": \"1\"}" } },
            { "index": 1, "id": "second", "function": { "name": "bench__echo", "arguments": "{\"text\": \"2\"}" } },
        ])),
        finish("tool_calls"),
    ];
    let round_two = vec![text("Two was refused."), finish("stop")];
    let (base, seen) = provider("/v1/chat/completions", vec![round_one, round_two]).await;
    let (stage, _workspace, toolbox, _noted) = stage_with_tools(bench(Some(1))).await;
    let (tx, _rx) = common::tokens();

    openai::play(&openai_settings(&base), &common::prompt(), &stage, &tx).await.expect("the model answers in the end");
    let requests = seen.all();
    let answers = tool_messages(&requests[1]);
    assert_eq!(answers[0], ("first".to_string(), "echo: 1".to_string()));
    assert!(answers[1].1.contains("the 1 tool calls this chorus may make are spent"), "{answers:?}");
    assert!(requests[0].get("tool_choice").is_none(), "calls are open in the first round");
    assert_eq!(requests[1]["tool_choice"], "none", "once the calls are spent the model may not call");
    assert!(requests[1]["tools"].is_array(), "the tools are still listed, as the protocol asks alongside tool messages");
    toolbox.close().await;
}

#[tokio::test]
async fn a_model_that_keeps_calling_fails_and_a_broken_call_stream_is_fatal() {
    let calling = vec![calls(json!([{ "index": 0, "id": "again", "function": { "name": "bench__echo", "arguments": "{\"text\": \"x\"}" } }])), finish("tool_calls")];
    let (base, seen) = provider("/v1/chat/completions", vec![calling]).await;
    let (stage, _workspace, toolbox, _noted) = stage_with_tools(bench(Some(1))).await;
    let (tx, _rx) = common::tokens();
    let error = openai::play(&openai_settings(&base), &common::prompt(), &stage, &tx).await.expect_err("a model that never stops calling fails");
    assert!(error.message.contains("kept calling tools after its 1 calls"), "{}", error.message);
    assert!(!error.transient, "another attempt would go the same way");
    assert_eq!(seen.all().len(), 4, "one round within the limit and two past it are answered, the fourth ends it");

    let broken = vec![calls(json!([{ "index": 100000, "id": "x", "function": { "name": "bench__echo" } }])), finish("tool_calls")];
    let (base, _seen) = provider("/v1/chat/completions", vec![broken]).await;
    let error = openai::play(&openai_settings(&base), &common::prompt(), &stage, &tx).await.expect_err("an absurd index is a broken stream");
    assert!(error.message.contains("malformed tool call"), "{}", error.message);
    toolbox.close().await;
}

#[tokio::test]
async fn openai_without_tools_refuses_a_tool_call_clearly() {
    let round = vec![calls(json!([{ "index": 0, "id": "x", "function": { "name": "anything", "arguments": "{}" } }])), finish("tool_calls")];
    let (base, _seen) = provider("/v1/chat/completions", vec![round]).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let error = openai::play(&openai_settings(&base), &common::prompt(), &stage, &tx).await.expect_err("no tools, no calls");
    assert!(error.message.contains("answered with a tool call, but the player has no tools"), "{}", error.message);
}

/// Anthropic's stream: text, then a tool_use block whose input comes in JSON pieces.
fn anthropic_round(tool: &str, id: &str, input_pieces: &[&str]) -> Vec<String> {
    let mut events = vec![
        data(json!({ "type": "message_start", "message": { "usage": { "input_tokens": 10, "output_tokens": 1 } } })),
        data(json!({ "type": "content_block_start", "index": 0, "content_block": { "type": "text", "text": "" } })),
        data(json!({ "type": "content_block_delta", "index": 0, "delta": { "type": "text_delta", "text": "Checking." } })),
        data(json!({ "type": "content_block_stop", "index": 0 })),
        data(json!({ "type": "content_block_start", "index": 1, "content_block": { "type": "tool_use", "id": id, "name": tool, "input": {} } })),
    ];
    for piece in input_pieces {
        events.push(data(json!({ "type": "content_block_delta", "index": 1, "delta": { "type": "input_json_delta", "partial_json": piece } })));
    }
    events.push(data(json!({ "type": "content_block_stop", "index": 1 })));
    events.push(data(json!({ "type": "message_delta", "delta": { "stop_reason": "tool_use" }, "usage": { "output_tokens": 20 } })));
    events.push(data(json!({ "type": "message_stop" })));
    events
}

fn anthropic_answer(text: &str) -> Vec<String> {
    vec![
        data(json!({ "type": "message_start", "message": { "usage": { "input_tokens": 30, "output_tokens": 1 } } })),
        data(json!({ "type": "content_block_delta", "index": 0, "delta": { "type": "text_delta", "text": text } })),
        data(json!({ "type": "message_delta", "delta": { "stop_reason": "end_turn" }, "usage": { "output_tokens": 5 } })),
        data(json!({ "type": "message_stop" })),
    ]
}

#[tokio::test]
async fn anthropic_streams_a_tool_use_and_sends_back_its_result() {
    let rounds = vec![anthropic_round("bench__echo", "toolu_1", &["{\"te", "xt\": \"hi\"}"]), anthropic_answer(" It said hi.")];
    let (base, seen) = provider("/v1/messages", rounds).await;
    let (stage, _workspace, toolbox, _noted) = stage_with_tools(bench(None)).await;
    let (tx, _rx) = common::tokens();

    let played = anthropic::play(&common::anthropic_settings(&base), &common::prompt(), &stage, &tx).await.expect("the loop ends with an answer");
    assert_eq!(played.output, "Checking. It said hi.");
    assert_eq!((played.usage.input_tokens, played.usage.output_tokens), (40, 25), "usage adds up over the rounds: 10 + 30 in, 20 + 5 out");

    let requests = seen.all();
    assert_eq!(requests.len(), 2);
    let offered = &requests[0]["tools"];
    assert!(offered.as_array().is_some_and(|t| t.iter().any(|t| t["name"] == "bench__echo" && t["input_schema"]["type"] == "object")), "{offered}");
    assert_eq!(
        requests[1]["messages"][1],
        json!({ "role": "assistant", "content": [
            { "type": "text", "text": "Checking." },
            { "type": "tool_use", "id": "toolu_1", "name": "bench__echo", "input": { "text": "hi" } },
        ] })
    );
    assert_eq!(
        requests[1]["messages"][2],
        json!({ "role": "user", "content": [{ "type": "tool_result", "tool_use_id": "toolu_1", "content": "echo: hi", "is_error": false }] })
    );
    toolbox.close().await;
}

#[tokio::test]
async fn anthropic_a_rejected_call_hands_the_note_to_the_model_and_the_tool_never_runs() {
    let rounds = vec![anthropic_round("bench__write_note", "toolu_w", &["{\"text\": \"delete all\"}"]), anthropic_answer(" Understood.")];
    let (base, seen) = provider("/v1/messages", rounds).await;
    let (stage, _workspace, toolbox, mut noted) = stage_with_tools(bench(None)).await;
    let (tx, _rx) = common::tokens();

    let person = async {
        let mut kinds = Vec::new();
        while let Some(note) = noted.recv().await {
            match note {
                ToolNote::Waiting { tool, arguments, reply, .. } => {
                    assert_eq!(tool, "bench.write_note");
                    assert_eq!(arguments, json!({ "text": "delete all" }));
                    reply.send(Decision::Reject { note: "never delete".into() }).expect("the desk waits for the person");
                    kinds.push("waiting");
                }
                ToolNote::Resolved { .. } => kinds.push("resolved"),
                ToolNote::Called { .. } => kinds.push("called"),
                ToolNote::Returned { .. } | ToolNote::Failed { .. } => kinds.push("ended"),
            }
            if kinds.len() == 2 {
                break;
            }
        }
        kinds
    };
    let (settings, prompt) = (common::anthropic_settings(&base), common::prompt());
    let (played, kinds) = tokio::join!(anthropic::play(&settings, &prompt, &stage, &tx), person);
    assert_eq!(played.expect("a rejection is the model's to handle").output, "Checking. Understood.");
    assert_eq!(kinds, ["waiting", "resolved"], "asked, then decided; a rejected call is never called");
    let result = &seen.all()[1]["messages"][2]["content"][0];
    assert_eq!(result["content"], "a person rejected this call: never delete");
    assert_eq!(result["is_error"], true);
    let notes_after = toolbox.find("bench__write_note").expect("offered").clone();
    let written = toolbox.call(&notes_after, serde_json::Map::from_iter([("text".to_string(), json!("check"))])).await.expect("write_note answers");
    assert_eq!(written.text, "1 note(s) written", "the rejected call wrote nothing: this is the first note");
    toolbox.close().await;
}

#[tokio::test]
async fn anthropic_hands_malformed_input_and_a_timeout_back_as_tool_errors() {
    let mut round = vec![
        data(json!({ "type": "message_start", "message": { "usage": { "input_tokens": 10 } } })),
        data(json!({ "type": "content_block_start", "index": 0, "content_block": { "type": "tool_use", "id": "bad", "name": "bench__echo", "input": {} } })),
        data(json!({ "type": "content_block_delta", "index": 0, "delta": { "type": "input_json_delta", "partial_json": "{\"text\": " } })),
        data(json!({ "type": "content_block_stop", "index": 0 })),
        data(json!({ "type": "content_block_start", "index": 1, "content_block": { "type": "tool_use", "id": "slow", "name": "bench__slow", "input": {} } })),
        data(json!({ "type": "content_block_delta", "index": 1, "delta": { "type": "input_json_delta", "partial_json": "{\"ms\": 3000}" } })),
        data(json!({ "type": "content_block_stop", "index": 1 })),
    ];
    round.push(data(json!({ "type": "message_delta", "delta": { "stop_reason": "tool_use" } })));
    round.push(data(json!({ "type": "message_stop" })));
    let (base, seen) = provider("/v1/messages", vec![round, anthropic_answer("Noted.")]).await;
    let (stage, _workspace, toolbox, _noted) = stage_with_tools(bench(None)).await;
    let (tx, _rx) = common::tokens();

    let played = anthropic::play(&common::anthropic_settings(&base), &common::prompt(), &stage, &tx).await.expect("tool errors do not fail the attempt");
    assert_eq!(played.output, "Noted.");
    let requests = seen.all();
    let sent_back = &requests[1]["messages"][1]["content"];
    assert_eq!(sent_back[0]["input"], json!({}), "input that is not a JSON object goes back as an empty object");
    let results = &requests[1]["messages"][2]["content"];
    assert_eq!(results[0]["tool_use_id"], "bad");
    assert_eq!(results[0]["is_error"], true);
    assert!(results[0]["content"].as_str().is_some_and(|t| t.contains("not valid JSON")), "{results}");
    assert_eq!(results[1]["tool_use_id"], "slow");
    assert_eq!(results[1]["is_error"], true);
    assert!(results[1]["content"].as_str().is_some_and(|t| t.contains("did not answer within 1 s")), "{results}");
    toolbox.close().await;
}
