//! The openai instrument against real HTTP servers on loopback that stream like llama.cpp and OpenAI.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use common::{Ending, KEY, KEY_VAR, data, event_stream};
use ensemble_instruments::openai;
use ensemble_score::{KeyRef, OpenaiSettings};
use serde_json::{Value, json};

/// The Authorization header (if any) and the body of one request.
type Request = (Option<String>, Value);

/// What the server saw of each request.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Request>>>);

impl Seen {
    fn all(&self) -> Vec<Request> {
        self.0.lock().expect("no test thread panics while holding the lock").clone()
    }
}

/// A server whose chat endpoint records each request and answers with `answer()`.
async fn server(answer: impl Fn() -> Response + Clone + Send + Sync + 'static) -> (String, Seen) {
    let seen = Seen::default();
    let record = seen.clone();
    let router = Router::new().route(
        "/v1/chat/completions",
        post(move |headers: HeaderMap, body: axum::Json<Value>| {
            let auth = headers.get("authorization").map(|v| v.to_str().unwrap_or("not text").to_string());
            record.0.lock().expect("no test thread panics while holding the lock").push((auth, body.0));
            let response = answer();
            async move { response }
        }),
    );
    (format!("{}/v1", common::serve(router).await), seen)
}

fn settings(base_url: &str) -> OpenaiSettings {
    OpenaiSettings { base_url: base_url.into(), model: "smollm2".into(), ..OpenaiSettings::default() }
}

fn chunk(content: Value, finish: Value) -> String {
    data(json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "smollm2",
        "choices": [{ "index": 0, "delta": { "content": content }, "finish_reason": finish }]
    }))
}

/// A llama.cpp stream: a null-content opener, text, a finish chunk with timings, usage, [DONE].
fn llama_stream() -> Vec<String> {
    vec![
        data(json!({ "choices": [{ "index": 0, "delta": { "role": "assistant", "content": null }, "finish_reason": null }] })),
        chunk(json!("Hello"), Value::Null),
        chunk(json!(", world"), Value::Null),
        data(json!({
            "choices": [{ "index": 0, "delta": {}, "finish_reason": "stop" }],
            "timings": { "prompt_n": 12, "predicted_n": 3, "predicted_per_second": 70.1 }
        })),
        data(json!({ "choices": [], "usage": { "prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15 } })),
        "data: [DONE]\n\n".to_string(),
    ]
}

#[tokio::test]
async fn streams_tokens_in_order_and_reports_usage_and_cost() {
    let (base, seen) = server(|| event_stream(llama_stream(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, mut rx) = common::tokens();
    let settings = OpenaiSettings {
        temperature: Some(0.2),
        max_tokens: Some(64),
        usd_per_mtok_in: Some(1.0),
        usd_per_mtok_out: Some(2.0),
        ..settings(&base)
    };

    let played = openai::play(&settings, &common::prompt(), &stage, &tx).await.expect("the stream is complete");

    assert_eq!(played.output, "Hello, world");
    assert_eq!(common::drain(&mut rx), vec!["Hello", ", world"]);
    assert_eq!((played.usage.input_tokens, played.usage.output_tokens), (12, 3));
    assert!((played.cost_usd - (12.0 * 1.0 + 3.0 * 2.0) / 1e6).abs() < 1e-12, "cost was {}", played.cost_usd);

    let requests = seen.all();
    assert_eq!(requests.len(), 1);
    let (auth, body) = &requests[0];
    assert_eq!(auth, &None, "no key is configured, so no Authorization header is sent");
    let prompt = common::prompt();
    assert_eq!(body["model"], "smollm2");
    assert_eq!(body["stream"], true);
    assert_eq!(body["stream_options"]["include_usage"], true);
    assert_eq!(body["temperature"], 0.2);
    assert_eq!(body["max_tokens"], 64);
    assert_eq!(body["messages"][0], json!({ "role": "system", "content": prompt.system_text() }));
    assert_eq!(body["messages"][1], json!({ "role": "user", "content": prompt.user_text() }));
}

#[tokio::test]
async fn without_a_usage_chunk_usage_is_estimated_from_the_text() {
    let events = vec![chunk(json!("abcdefgh"), Value::Null), chunk(Value::Null, json!("stop")), "data: [DONE]\n\n".into()];
    let (base, seen) = server(move || event_stream(events.clone(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let played = openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect("the stream is complete");

    let prompt = common::prompt();
    let input_chars = (prompt.system_text() + &prompt.user_text()).chars().count() as u64;
    assert_eq!(played.usage.output_tokens, 2, "8 characters are about 2 tokens");
    assert_eq!(played.usage.input_tokens, input_chars.div_ceil(4));
    assert_eq!(played.cost_usd, 0.0, "no prices, no cost");
    assert_eq!(seen.all().len(), 1);
}

#[tokio::test]
async fn sends_the_key_as_a_bearer_token_only_when_one_is_configured() {
    common::set_key_var();
    let (base, seen) = server(|| event_stream(llama_stream(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let with_key = OpenaiSettings { key: Some(KeyRef::Env(KEY_VAR.into())), ..settings(&base) };

    openai::play(&with_key, &common::prompt(), &stage, &tx).await.expect("the stream is complete");
    openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect("the stream is complete");

    let auths: Vec<Option<String>> = seen.all().into_iter().map(|(auth, _)| auth).collect();
    assert_eq!(auths, vec![Some(format!("Bearer {KEY}")), None]);
}

#[tokio::test]
async fn a_missing_key_is_fatal_and_names_the_variable() {
    let (base, seen) = server(|| event_stream(llama_stream(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let settings = OpenaiSettings { key: Some(KeyRef::Env("ENSEMBLE_TEST_UNSET_KEY".into())), ..settings(&base) };

    let error = openai::play(&settings, &common::prompt(), &stage, &tx).await.expect_err("the key is missing");

    assert!(!error.transient);
    assert!(error.message.contains("ENSEMBLE_TEST_UNSET_KEY"), "{}", error.message);
    assert!(seen.all().is_empty(), "nothing is sent without the key");
}

#[tokio::test]
async fn a_rejected_key_is_fatal_and_never_echoed() {
    common::set_key_var();
    let (base, _seen) = server(|| {
        let body = json!({ "error": { "message": format!("Incorrect API key provided: {KEY}."), "type": "invalid_request_error" } });
        (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response()
    })
    .await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let settings = OpenaiSettings { key: Some(KeyRef::Env(KEY_VAR.into())), ..settings(&base) };

    let error = openai::play(&settings, &common::prompt(), &stage, &tx).await.expect_err("the server refused");

    assert!(!error.transient);
    assert!(error.message.contains("401"), "{}", error.message);
    assert!(error.message.contains("Incorrect API key provided"), "{}", error.message);
    assert!(!error.message.contains(KEY), "the key leaked: {}", error.message);
    assert!(!format!("{error:?}").contains(KEY), "the key leaked into the debug form");
}

#[tokio::test]
async fn a_bad_request_is_fatal_with_the_servers_message() {
    let (base, _seen) = server(|| {
        let body = json!({ "error": { "code": 400, "message": "the request exceeds the available context size", "type": "invalid_request_error" } });
        (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
    })
    .await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the server refused");

    assert!(!error.transient);
    assert!(error.message.contains("400"), "{}", error.message);
    assert!(error.message.contains("exceeds the available context size"), "{}", error.message);
}

#[tokio::test]
async fn too_many_requests_is_transient_with_the_servers_retry_after() {
    let (base, _seen) = server(|| {
        (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "7")], axum::Json(json!({ "error": { "message": "slow down" } }))).into_response()
    })
    .await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect_err("rate limited");

    assert!(error.transient);
    assert_eq!(error.retry_after, Some(Duration::from_secs(7)));
    assert!(error.message.contains("429") && error.message.contains("slow down"), "{}", error.message);
}

#[tokio::test]
async fn retry_after_may_be_an_http_date() {
    let (base, _seen) = server(|| {
        let when = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(40));
        (StatusCode::TOO_MANY_REQUESTS, [("retry-after", when)], "busy").into_response()
    })
    .await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect_err("rate limited");

    let wait = error.retry_after.expect("the date is read as a wait");
    // The date has one-second resolution and a little time passes between the two clocks.
    assert!(wait > Duration::from_secs(20) && wait <= Duration::from_secs(41), "waited {wait:?}");
}

#[tokio::test]
async fn a_server_error_is_transient() {
    let (base, _seen) = server(|| (StatusCode::INTERNAL_SERVER_ERROR, "model crashed").into_response()).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the server failed");

    assert!(error.transient);
    assert_eq!(error.retry_after, None);
    assert!(error.message.contains("500") && error.message.contains("model crashed"), "{}", error.message);
}

#[tokio::test]
async fn a_stream_broken_off_mid_answer_is_transient_with_the_partial_output() {
    let events = vec![chunk(json!("Hel"), Value::Null), chunk(json!("lo"), Value::Null)];
    let (base, _seen) = server(move || event_stream(events.clone(), Ending::Abort)).await;
    let (stage, _workspace) = common::stage();
    let (tx, mut rx) = common::tokens();

    let error = openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the stream broke");

    assert!(error.transient);
    assert!(error.message.contains("stream dropped"), "{}", error.message);
    assert_eq!(error.partial_output, "Hello");
    assert_eq!(common::drain(&mut rx), vec!["Hel", "lo"]);
    assert_eq!(error.usage.output_tokens, 2, "usage of the partial output is estimated");
}

#[tokio::test]
async fn a_stream_that_ends_without_done_or_finish_reason_is_dropped() {
    let events = vec![chunk(json!("Half an"), Value::Null)];
    let (base, _seen) = server(move || event_stream(events.clone(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the answer is unfinished");

    assert!(error.transient);
    assert!(error.message.contains("stream dropped"), "{}", error.message);
    assert_eq!(error.partial_output, "Half an");
}

#[tokio::test]
async fn a_malformed_chunk_is_fatal_and_says_what_was_wrong() {
    let events = vec![chunk(json!("Good "), Value::Null), "data: {\"choices\": [{\"delta\": \n\n".into()];
    let (base, _seen) = server(move || event_stream(events.clone(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the chunk is not JSON");

    assert!(!error.transient, "a server that sends broken chunks will do so again");
    assert!(error.message.contains("malformed chunk"), "{}", error.message);
    assert!(error.message.contains("{\"choices\""), "the bad chunk is quoted: {}", error.message);
    assert_eq!(error.partial_output, "Good ");
}

#[tokio::test]
async fn an_error_inside_the_stream_is_reported() {
    let events = vec![chunk(json!("Par"), Value::Null), data(json!({ "error": { "code": 503, "message": "the model is loading" } }))];
    let (base, _seen) = server(move || event_stream(events.clone(), Ending::Clean)).await;
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect_err("the server reported an error");

    assert!(error.transient, "503 means try again later");
    assert!(error.message.contains("the model is loading"), "{}", error.message);
    assert_eq!(error.partial_output, "Par");
}

#[tokio::test]
async fn cancelling_mid_stream_stops_the_attempt() {
    let events = vec![chunk(json!("first"), Value::Null)];
    let (base, _seen) = server(move || event_stream(events.clone(), Ending::Hang)).await;
    let (stage, _workspace) = common::stage();
    let (tx, mut rx) = common::tokens();
    let settings = settings(&base);
    let prompt = common::prompt();

    let attempt = openai::play(&settings, &prompt, &stage, &tx);
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
async fn an_unreachable_server_says_where_it_looked() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("loopback has free ports");
        listener.local_addr().expect("a bound listener has an address").port()
    };
    let base = format!("http://127.0.0.1:{port}/v1");
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();

    let error = openai::play(&settings(&base), &common::prompt(), &stage, &tx).await.expect_err("nothing listens there");

    assert!(error.transient);
    assert_eq!(error.message, format!("could not reach {base} (is the server running?)"));
}
