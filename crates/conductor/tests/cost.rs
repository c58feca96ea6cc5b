//! Failed and retried attempts cost what they used: a real OpenAI-compatible server on
//! 127.0.0.1 reports usage, drops the first stream, then answers in full. Values by hand.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use common::*;
use ensemble_conductor::{EventKind, Outcome};
use ensemble_score::{Instrument, OpenaiSettings, Tempo};

/// First call: part of an answer and its usage (1,000 in, 200 out), then the stream ends without
/// a finish: a dropped stream, retried. Second call: the whole answer (1,000 in, 300 out).
async fn chat(calls: Arc<AtomicUsize>) -> Response {
    let body = if calls.fetch_add(1, Ordering::SeqCst) == 0 {
        concat!(
            "data: {\"choices\":[{\"delta\":{\"content\":\"half a \"}}]}\n\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200}}\n\n",
        )
    } else {
        concat!(
            "data: {\"choices\":[{\"delta\":{\"content\":\"a whole kite\"},\"finish_reason\":\"stop\"}]}\n\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":300}}\n\n",
            "data: [DONE]\n\n",
        )
    };
    ([(header::CONTENT_TYPE, "text/event-stream")], body).into_response()
}

async fn priced_writer() -> Instrument {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = Router::new().route("/v1/chat/completions", post(move || chat(calls.clone())));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port is free");
    let address = listener.local_addr().expect("a bound listener has an address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the test server runs") });
    // $2 per million in, $10 per million out.
    Instrument::Openai(OpenaiSettings {
        base_url: format!("http://{address}/v1"),
        model: "kite-1".into(),
        usd_per_mtok_in: Some(2.0),
        usd_per_mtok_out: Some(10.0),
        ..Default::default()
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[tokio::test]
async fn a_retried_attempt_costs_what_it_used_and_counts_in_the_total() {
    let (outcome, events) = conduct(score(vec![player("writer", priced_writer().await)], vec![]), options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    // The dropped attempt: 1,000 * 2 / 1e6 + 200 * 10 / 1e6 = $0.004.
    let retry_cost = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::PlayerRetrying { cost_usd, .. } => Some(*cost_usd),
            _ => None,
        })
        .expect("the dropped stream is retried");
    assert!(close(retry_cost, 0.004), "the failed attempt cost $0.004, recorded {retry_cost}");
    // The whole answer: 1,000 * 2 / 1e6 + 300 * 10 / 1e6 = $0.005; the performance $0.009.
    let total = match &events.last().expect("events").kind {
        EventKind::PerformanceFinished { cost_usd, usage, .. } => {
            assert_eq!((usage.input_tokens, usage.output_tokens), (2_000, 500), "both attempts' tokens count");
            *cost_usd
        }
        other => panic!("the last event is {other:?}"),
    };
    assert!(close(total, 0.009), "both attempts are paid for: expected $0.009, got {total}");
}

#[tokio::test]
async fn a_failed_attempts_cost_counts_toward_the_cost_budget() {
    // $0.003 is less than the dropped attempt alone cost ($0.004).
    let mut s = score(vec![player("writer", priced_writer().await)], vec![]);
    s.tempo = Tempo { max_cost_usd: Some(0.003), ..Tempo::default() };
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::BudgetExceeded, "the retry's cost alone is over the budget");
    let used = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::BudgetExceeded { budget, used, .. } if budget == "cost" => Some(*used),
            _ => None,
        })
        .expect("the cost budget is reported exceeded");
    assert!(close(used, 0.004), "exceeded by the failed attempt's $0.004, got {used}");
}
