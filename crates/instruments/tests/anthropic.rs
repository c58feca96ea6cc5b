//! The anthropic instrument against a real HTTP server on loopback that streams like the Messages API.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use common::{Ending, KEY, event_stream};
use ensemble_instruments::anthropic;
use ensemble_score::{AnthropicSettings, KeyRef};
use serde_json::{Value, json};

/// Headers and body of each request the server saw.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(HeaderMap, Value)>>>);

impl Seen {
    fn all(&self) -> Vec<(HeaderMap, Value)> {
        self.0.lock().expect("no test thread panics while holding the lock").clone()
    }
}

async fn server(answer: impl Fn() -> Response + Clone + Send + Sync + 'static) -> (String, Seen) {
    let seen = Seen::default();
    let record = seen.clone();
    let router = Router::new().route(
        "/v1/messages",
        post(move |headers: HeaderMap, body: axum::Json<Value>| {
            record.0.lock().expect("no test thread panics while holding the lock").push((headers, body.0));
            let response = answer();
            async move { response }
        }),
    );
    (common::serve(router).await, seen)
}

/// One event as the Messages API writes it: a named event line, then its JSON.
fn event(json: Value) -> String {
    format!("event: {}\ndata: {json}\n\n", json["type"].as_str().expect("every event has a type"))
}

fn text(piece: &str) -> String {
    event(json!({ "type": "content_block_delta", "index": 0, "delta": { "type": "text_delta", "text": piece } }))
}

fn opening() -> Vec<String> {
    vec![
        event(json!({ "type": "message_start", "message": {
            "id": "msg_1", "type": "message", "role": "assistant", "content": [], "model": "claude-test",
            "stop_reason": null, "usage": { "input_tokens": 25, "output_tokens": 1 }
        } })),
        event(json!({ "type": "content_block_start", "index": 0, "content_block": { "type": "text", "text": "" } })),
        event(json!({ "type": "ping" })),
    ]
}

fn closing() -> Vec<String> {
    vec![
        event(json!({ "type": "content_block_stop", "index": 0 })),
        event(json!({ "type": "message_delta", "delta": { "stop_reason": "end_turn", "stop_sequence": null }, "usage": { "output_tokens": 9 } })),
        event(json!({ "type": "message_stop" })),
    ]
}

#[tokio::test]
async fn streams_text_and_reports_usage_and_cost() {
    let events = [opening(), vec![text("Hello"), text(", world")], closing()].concat();
    let (base, seen) = server(move || event_stream(events.clone(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, mut rx) = common::tokens();
    let settings = AnthropicSettings { usd_per_mtok_in: Some(3.0), usd_per_mtok_out: Some(15.0), temperature: Some(0.5), ..common::anthropic_settings(&base) };

    let played = anthropic::play(&settings, &common::prompt(), &stage, &tx).await.expect("the stream is complete");

    assert_eq!(played.output, "Hello, world");
    assert_eq!(common::drain(&mut rx), vec!["Hello", ", world"]);
    assert_eq!((played.usage.input_tokens, played.usage.output_tokens), (25, 9));
    assert!((played.cost_usd - (25.0 * 3.0 + 9.0 * 15.0) / 1e6).abs() < 1e-12, "cost was {}", played.cost_usd);

    let requests = seen.all();
    assert_eq!(requests.len(), 1);
    let (headers, body) = &requests[0];
    assert_eq!(headers.get("x-api-key").and_then(|v| v.to_str().ok()), Some(KEY));
    assert_eq!(headers.get("anthropic-version").and_then(|v| v.to_str().ok()), Some("2023-06-01"));
    assert!(headers.get("authorization").is_none());
    let prompt = common::prompt();
    assert_eq!(body["model"], "claude-test");
    assert_eq!(body["max_tokens"], 1024, "the API needs a limit, so there is a default");
    assert_eq!(body["temperature"], 0.5);
    assert_eq!(body["stream"], true);
    assert_eq!(body["system"], prompt.system_text());
    assert_eq!(body["messages"], json!([{ "role": "user", "content": prompt.user_text() }]));
}

#[tokio::test]
async fn an_overloaded_error_event_is_transient_with_the_partial_output() {
    let events = [opening(), vec![text("Par"), event(json!({ "type": "error", "error": { "type": "overloaded_error", "message": "Overloaded" } }))]].concat();
    let (base, _seen) = server(move || event_stream(events.clone(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = anthropic::play(&common::anthropic_settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the service is overloaded");

    assert!(error.transient);
    assert!(error.message.contains("overloaded_error") && error.message.contains("Overloaded"), "{}", error.message);
    assert_eq!(error.partial_output, "Par");
    assert_eq!(error.usage.input_tokens, 25, "usage known before the failure is kept");
}

#[tokio::test]
async fn an_invalid_request_error_event_is_fatal() {
    let events = [opening(), vec![event(json!({ "type": "error", "error": { "type": "invalid_request_error", "message": "prompt is too long" } }))]].concat();
    let (base, _seen) = server(move || event_stream(events.clone(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = anthropic::play(&common::anthropic_settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the request is invalid");

    assert!(!error.transient);
    assert!(error.message.contains("prompt is too long"), "{}", error.message);
}

#[tokio::test]
async fn status_529_and_429_are_transient_and_429_carries_retry_after() {
    let overloaded = || {
        let body = json!({ "type": "error", "error": { "type": "overloaded_error", "message": "Overloaded" } });
        (StatusCode::from_u16(529).expect("529 is a valid status"), axum::Json(body)).into_response()
    };
    let limited = || {
        let body = json!({ "type": "error", "error": { "type": "rate_limit_error", "message": "Number of request tokens has exceeded your rate limit" } });
        (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "30")], axum::Json(body)).into_response()
    };
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let (base, _seen) = server(overloaded).await;
    let error = anthropic::play(&common::anthropic_settings(&base), &common::prompt(), &stage, &tx).await.expect_err("overloaded");
    assert!(error.transient);
    assert!(error.message.contains("529") && error.message.contains("Overloaded"), "{}", error.message);

    let (base, _seen) = server(limited).await;
    let error = anthropic::play(&common::anthropic_settings(&base), &common::prompt(), &stage, &tx).await.expect_err("rate limited");
    assert!(error.transient);
    assert_eq!(error.retry_after, Some(Duration::from_secs(30)));
    assert!(error.message.contains("rate limit"), "{}", error.message);
}

#[tokio::test]
async fn an_authentication_error_is_fatal_and_never_shows_the_key() {
    let (base, _seen) = server(|| {
        let body = json!({ "type": "error", "error": { "type": "authentication_error", "message": format!("invalid x-api-key {KEY}") } });
        (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response()
    })
    .await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = anthropic::play(&common::anthropic_settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the key is refused");

    assert!(!error.transient);
    assert!(error.message.contains("401") && error.message.contains("invalid x-api-key"), "{}", error.message);
    assert!(!error.message.contains(KEY), "the key leaked: {}", error.message);
}

#[tokio::test]
async fn a_stream_without_message_stop_is_dropped() {
    let events = [opening(), vec![text("Unfin")]].concat();
    let (base, _seen) = server(move || event_stream(events.clone(), Ending::Abort)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = anthropic::play(&common::anthropic_settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the stream broke");

    assert!(error.transient);
    assert!(error.message.contains("stream dropped"), "{}", error.message);
    assert_eq!(error.partial_output, "Unfin");
}

#[tokio::test]
async fn a_malformed_event_is_fatal() {
    let events = [opening(), vec!["event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"delta\": \n\n".to_string()]].concat();
    let (base, _seen) = server(move || event_stream(events.clone(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = anthropic::play(&common::anthropic_settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the event is not JSON");

    assert!(!error.transient);
    assert!(error.message.contains("malformed event"), "{}", error.message);
}

#[tokio::test]
async fn cancelling_mid_stream_stops_the_attempt() {
    let events = [opening(), vec![text("first")]].concat();
    let (base, _seen) = server(move || event_stream(events.clone(), Ending::Hang)).await;
    let (stage, _workspace) = common::stage();
    let (tx, mut rx) = common::tokens();
    let settings = common::anthropic_settings(&base);
    let prompt = common::prompt();

    let attempt = anthropic::play(&settings, &prompt, &stage, &tx);
    let cut = async {
        assert_eq!(rx.recv().await.as_deref(), Some("first"));
        stage.cancel.cancel();
    };
    // The bound only keeps a broken build from hanging the suite; it is not a speed assertion.
    let (result, ()) = tokio::time::timeout(Duration::from_secs(30), futures::future::join(attempt, cut))
        .await
        .expect("a cancelled attempt returns instead of waiting for the silent server");

    let error = result.expect_err("the attempt was cut off");
    assert!(error.message.contains("cut off"), "{}", error.message);
    assert_eq!(error.partial_output, "first");
}

#[tokio::test]
async fn a_missing_key_is_fatal_and_names_where_it_was_looked_for() {
    let (base, seen) = server(|| event_stream(Vec::new(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let settings = AnthropicSettings { key: KeyRef::Env("ENSEMBLE_TEST_UNSET_ANTHROPIC_KEY".into()), ..common::anthropic_settings(&base) };

    let error = anthropic::play(&settings, &common::prompt(), &stage, &tx).await.expect_err("no key");

    assert!(!error.transient);
    assert!(error.message.contains("environment variable ENSEMBLE_TEST_UNSET_ANTHROPIC_KEY"), "{}", error.message);
    assert!(seen.all().is_empty());
}
