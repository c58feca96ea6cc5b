//! Every bound of the HTTP instruments, against real servers on 127.0.0.1 that misbehave: a
//! stream that stalls, waits asked for in absurd amounts, redirects to another server, an answer
//! or an error body that never ends, an event that never ends, and a key about to go over plain
//! http to another host.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{any, post};
use common::{Ending, KEY, KEY_VAR, data, event_stream};
use ensemble_instruments::{Limits, PlayError, Played, anthropic, openai};
use ensemble_score::{AnthropicSettings, KeyRef, OpenaiSettings};
use futures::StreamExt;
use serde_json::json;

/// Short bounds, so a test that reaches one finishes in a moment.
const QUICK: Limits = Limits { read_timeout: Duration::from_millis(300), max_output_bytes: 64 << 10 };

fn openai_settings(base_url: &str, with_key: bool) -> OpenaiSettings {
    common::set_key_var();
    let key = with_key.then(|| KeyRef::Env(KEY_VAR.into()));
    OpenaiSettings { base_url: base_url.into(), model: "smollm2".into(), key, ..OpenaiSettings::default() }
}

/// A server whose every request gets `answer()`, and how many requests it saw.
async fn server(answer: impl Fn() -> Response + Clone + Send + Sync + 'static) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let count = hits.clone();
    let router = Router::new().fallback(any(move || {
        count.fetch_add(1, Ordering::SeqCst);
        let response = answer();
        async move { response }
    }));
    (common::serve(router).await, hits)
}

async fn play_openai(settings: &OpenaiSettings, limits: Limits) -> Result<Played, PlayError> {
    let (mut stage, _workspace) = common::stage();
    stage.limits = limits;
    let (tx, _rx) = common::tokens();
    openai::play(settings, &common::prompt(), &stage, &tx).await
}

async fn play_anthropic(settings: &AnthropicSettings, limits: Limits) -> Result<Played, PlayError> {
    let (mut stage, _workspace) = common::stage();
    stage.limits = limits;
    let (tx, _rx) = common::tokens();
    anthropic::play(settings, &common::prompt(), &stage, &tx).await
}

fn openai_piece(text: &str) -> String {
    data(json!({ "choices": [{ "index": 0, "delta": { "content": text }, "finish_reason": null }] }))
}

/// A body that sends `piece` forever.
fn endless(status: StatusCode, content_type: &str, piece: String) -> Response {
    let piece = Bytes::from(piece);
    let body = Body::from_stream(futures::stream::repeat_with(move || Ok::<Bytes, std::io::Error>(piece.clone())));
    Response::builder().status(status).header(header::CONTENT_TYPE, content_type).body(body).expect("a valid response")
}

#[tokio::test]
async fn a_stream_that_stalls_after_its_headers_fails_at_the_read_timeout() {
    let (base, _) = server(|| event_stream(vec![openai_piece("Hel")], Ending::Hang)).await;
    let error = play_openai(&openai_settings(&format!("{base}/v1"), false), QUICK).await.expect_err("a silent stream cannot finish");
    assert!(error.transient, "a stalled stream is a dropped stream, worth another attempt");
    assert!(error.message.contains("read timeout"), "the message names the bound that was hit: {}", error.message);
    assert_eq!(error.partial_output, "Hel", "what arrived before the silence is kept");
}

#[tokio::test]
async fn a_server_that_never_starts_answering_fails_at_the_read_timeout() {
    let router = Router::new().fallback(any(std::future::pending::<Response>));
    let base = common::serve(router).await;
    let error = play_openai(&openai_settings(&format!("{base}/v1"), false), QUICK).await.expect_err("no answer cannot finish");
    assert!(error.transient);
    assert!(error.message.contains("did not start answering"), "{}", error.message);
}

#[tokio::test]
async fn an_absurd_retry_after_is_capped_at_a_minute() {
    for (name, value) in [("retry-after", "999999"), ("retry-after-ms", "1e300")] {
        let (base, _) = server(move || {
            Response::builder().status(StatusCode::TOO_MANY_REQUESTS).header(name, value).body(Body::from("slow down")).expect("a valid response")
        })
        .await;
        let error = play_openai(&openai_settings(&format!("{base}/v1"), false), QUICK).await.expect_err("429 fails the attempt");
        assert!(error.transient, "429 is worth another attempt");
        assert_eq!(error.retry_after, Some(Duration::from_secs(60)), "{name}: {value} is cut to the 60 s cap, without a panic");
    }
}

#[tokio::test]
async fn a_redirect_to_another_server_is_not_followed_with_the_key() {
    // The second server records every request: none may reach it.
    let (elsewhere, elsewhere_hits) = server(|| event_stream(vec![], Ending::Clean)).await;
    let target = elsewhere.clone();
    let (base, _) = server(move || {
        Response::builder()
            .status(StatusCode::TEMPORARY_REDIRECT)
            .header(header::LOCATION, format!("{target}/v1/messages?token=abc"))
            .body(Body::empty())
            .expect("a valid response")
    })
    .await;

    let error = play_anthropic(&common::anthropic_settings(&base), QUICK).await.expect_err("the redirect is not followed");
    assert!(!error.transient, "the same request would be redirected again");
    assert!(error.message.contains(&format!("redirects to {elsewhere}")), "the message says where it pointed: {}", error.message);
    assert!(!error.message.contains("token=abc"), "only the origin is shown, never a path or query: {}", error.message);

    let error = play_openai(&openai_settings(&format!("{base}/v1"), true), QUICK).await.expect_err("the redirect is not followed");
    assert!(error.message.contains("not followed"), "{}", error.message);
    assert!(!error.message.contains(KEY), "no message carries the key");
    assert_eq!(elsewhere_hits.load(Ordering::SeqCst), 0, "no request, and so no key, reached the other server");
}

#[tokio::test]
async fn a_redirect_within_the_same_server_is_followed() {
    let router = Router::new()
        .route(
            "/old/v1/messages",
            post(|| async {
                Response::builder().status(StatusCode::PERMANENT_REDIRECT).header(header::LOCATION, "/v1/messages").body(Body::empty()).expect("valid")
            }),
        )
        .route(
            "/v1/messages",
            post(|headers: HeaderMap| async move {
                let keyed = headers.get("x-api-key").is_some_and(|k| k == KEY);
                let text = if keyed { "with key" } else { "without key" };
                event_stream(
                    vec![
                        format!("data: {}\n\n", json!({ "type": "content_block_delta", "index": 0, "delta": { "type": "text_delta", "text": text } })),
                        format!("data: {}\n\n", json!({ "type": "message_stop" })),
                    ],
                    Ending::Clean,
                )
            }),
        );
    let base = common::serve(router).await;
    let played = play_anthropic(&common::anthropic_settings(&format!("{base}/old")), QUICK).await.expect("a same-origin redirect is followed");
    assert_eq!(played.output, "with key", "the key still goes to the origin it was meant for");
}

#[tokio::test]
async fn a_key_over_plain_http_to_another_host_is_refused_before_connecting() {
    // 192.0.2.1 is a documentation address (TEST-NET-1): the refusal comes before any
    // connection, so nothing is ever sent there.
    let started = std::time::Instant::now();
    let error = play_openai(&openai_settings("http://192.0.2.1/v1", true), Limits::default()).await.expect_err("refused");
    assert!(error.message.contains("plain http") && error.message.contains("https://"), "{}", error.message);
    assert!(!error.transient, "another attempt would be refused the same way");
    let error = play_anthropic(&common::anthropic_settings("http://192.0.2.1"), Limits::default()).await.expect_err("refused");
    assert!(error.message.contains("plain http"), "{}", error.message);
    assert!(started.elapsed() < Duration::from_secs(20), "refused at once rather than after a connect timeout");
}

#[tokio::test]
async fn an_endless_answer_is_cut_at_the_output_limit_with_its_partial_output() {
    // A small limit: every piece is an event parsed on its own.
    const SMALL: Limits = Limits { max_output_bytes: 8 << 10, ..QUICK };
    let (base, _) = server(|| endless(StatusCode::OK, "text/event-stream", openai_piece("abcd"))).await;
    let error = play_openai(&openai_settings(&format!("{base}/v1"), false), SMALL).await.expect_err("an endless answer is cut");
    assert!(!error.transient, "another attempt would run away the same way");
    assert!(error.message.contains("8 KiB") && error.message.contains("output limit"), "{}", error.message);
    assert_eq!(error.partial_output.len(), 8 << 10, "the output up to the limit is kept");

    let piece = format!("data: {}\n\n", json!({ "type": "content_block_delta", "index": 0, "delta": { "type": "text_delta", "text": "abcd" } }));
    let (base, _) = server(move || endless(StatusCode::OK, "text/event-stream", piece.clone())).await;
    let error = play_anthropic(&common::anthropic_settings(&base), SMALL).await.expect_err("an endless answer is cut");
    assert!(error.message.contains("output limit"), "{}", error.message);
    assert_eq!(error.partial_output.len(), 8 << 10);
}

#[tokio::test]
async fn an_event_that_never_ends_is_refused_at_the_event_limit() {
    let (base, _) = server(|| {
        let body = futures::stream::once(async { Ok::<Bytes, std::io::Error>(Bytes::from_static(b"data: ")) })
            .chain(futures::stream::repeat_with(|| Ok(Bytes::from(vec![b'x'; 64 << 10]))));
        Response::builder().header(header::CONTENT_TYPE, "text/event-stream").body(Body::from_stream(body)).expect("valid")
    })
    .await;
    let error = play_openai(&openai_settings(&format!("{base}/v1"), false), Limits::default()).await.expect_err("refused");
    assert!(error.message.contains("without ending") && error.message.contains("1 MiB"), "{}", error.message);
}

#[tokio::test]
async fn an_endless_error_body_is_read_only_up_to_its_bound() {
    let (base, _) = server(|| endless(StatusCode::INTERNAL_SERVER_ERROR, "text/plain", "overloaded ".repeat(100))).await;
    let error = play_openai(&openai_settings(&format!("{base}/v1"), false), QUICK).await.expect_err("500 fails the attempt");
    assert!(error.transient, "5xx is worth another attempt");
    assert!(error.message.starts_with(&format!("{base}/v1 answered HTTP 500")), "{}", error.message);
    assert!(error.message.len() < 1000, "the message carries only the start of the body ({} bytes)", error.message.len());
}

