//! The conductor honours a server's `Retry-After`: a real OpenAI-compatible server on 127.0.0.1
//! answers the first request with 429 and the second with a stream.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use common::*;
use ensemble_conductor::{EventKind, Outcome};
use ensemble_score::{Instrument, OpenaiSettings};

async fn chat(calls: Arc<AtomicUsize>) -> Response {
    if calls.fetch_add(1, Ordering::SeqCst) == 0 {
        return (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")], r#"{"error":{"message":"slow down"}}"#).into_response();
    }
    let body = concat!(
        "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"content\":\"kite \"}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"content\":\"shipped\"},\"finish_reason\":\"stop\"}]}\n\n",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2}}\n\n",
        "data: [DONE]\n\n",
    );
    ([(header::CONTENT_TYPE, "text/event-stream")], body).into_response()
}

#[tokio::test]
async fn a_429_is_retried_after_the_time_the_server_asked_for() {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = Router::new().route("/v1/chat/completions", post({
        let calls = calls.clone();
        move || chat(calls.clone())
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port is free");
    let address = listener.local_addr().expect("a bound listener has an address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the test server runs") });

    let instrument = Instrument::Openai(OpenaiSettings {
        base_url: format!("http://{address}/v1"),
        model: "kite-1".into(),
        ..Default::default()
    });
    let (outcome, events) = conduct(score(vec![player("writer", instrument)], vec![]), options()).await;

    assert_eq!(outcome, Outcome::Succeeded);
    let retry = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::PlayerRetrying { player, delay_ms, reason, .. } => Some((player.clone(), *delay_ms, reason.clone())),
            _ => None,
        })
        .expect("the 429 leads to a retry");
    assert_eq!(retry.0, "writer");
    assert_eq!(retry.1, 1000, "the wait is the server's Retry-After, not the default backoff ({})", retry.2);
    let output = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::PlayerFinished { output, usage, .. } => Some((output.clone(), usage.output_tokens)),
            _ => None,
        })
        .expect("the second attempt finishes");
    assert_eq!(output, ("kite shipped".to_string(), 2));
    assert_eq!(calls.load(Ordering::SeqCst), 2, "exactly one retry");
}
