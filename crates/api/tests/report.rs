//! Reports of a recorded performance through the operations layer: made from the score recorded
//! with it, checked for secrets like any export, and sent as OTLP/HTTP JSON to a real receiver
//! on 127.0.0.1 that reads what arrives.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use ensemble_api::ApiError;
use ensemble_api::report::{ReportFormat, last, report, send, traces_url};
use ensemble_store::Store;

const SCORE: &str = r#"format = 1
title = "Relay <two>"

[intent]
goal = "Pass a note on."

[[players]]
id = "first"
name = "First"
zone = "integrator"
part = "Write a line."

[players.instrument]
kind = "rehearsal"

[[players]]
id = "second"
name = "Second"
zone = "improver"
part = "Add a line."

[players.instrument]
kind = "rehearsal"

[[cues]]
from = "first"
to = "second"
"#;

/// A store with one finished rehearsal of `text`, and the performance's id.
async fn performed(dir: &std::path::Path, text: &str) -> (Store, String) {
    let store = Store::open(&dir.join("store.sqlite3")).expect("a new store opens");
    let file = dir.join("relay.score.toml");
    std::fs::write(&file, text).expect("the test folder is writable");
    let score = ensemble_score::load(&file).expect("the relay loads").score;
    let staged = ensemble_api::perform::begin(&store, ensemble_api::PerformRequest { score, path: Some(file), offline: true, seed: 5 })
        .expect("a valid score begins");
    let id = staged.id.clone();
    staged.run(|_| {}).await;
    (store, id)
}

#[tokio::test]
async fn a_report_is_made_from_the_recorded_performance() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (store, id) = performed(dir.path(), SCORE).await;
    assert_eq!(last(&store).expect("one performance"), id, "--last finds the only performance");
    let html = String::from_utf8(report(&store, &id, ReportFormat::Html, false).expect("a report")).expect("HTML is text");
    assert!(html.contains("Relay &lt;two&gt;"), "the title, escaped");
    assert_eq!(html.matches("<section class=\"turn").count(), 2, "one section per turn: first, then second");
    let traces: serde_json::Value =
        serde_json::from_slice(&report(&store, &id, ReportFormat::Otlp, false).expect("traces")).expect("the traces are JSON");
    let spans = traces["resourceSpans"][0]["scopeSpans"][0]["spans"].as_array().expect("spans").len();
    assert_eq!(spans, 3, "the performance and its two turns");
    let name = ensemble_api::report::file_name(&store, &id, ReportFormat::Html).expect("a name");
    assert_eq!(name, format!("relay-two-{id}.report.html"));
}

#[tokio::test]
async fn a_key_in_the_recorded_score_is_never_reported_silently() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let leaky = SCORE.replace("Write a line.", "Write a line. Use sk-proj-Abcdefghijklmnopqrstuvwx1234 to call out.");
    let (store, id) = performed(dir.path(), &leaky).await;
    match report(&store, &id, ReportFormat::Html, false) {
        Err(ApiError::Findings { findings }) => assert!(findings.iter().any(|f| f.place.contains("first")), "{findings:?}"),
        other => panic!("the key must be found before the report is made, got {:?}", other.map(|b| b.len())),
    }
    match send(&store, &id, "http://127.0.0.1:9", false).await {
        Err(ApiError::Findings { .. }) => {}
        other => panic!("nothing is sent before the person has looked, got {other:?}"),
    }
    assert!(report(&store, &id, ReportFormat::Html, true).is_ok(), "once allowed, the report is made");
}

#[test]
fn endpoints_become_the_traces_path() {
    let url = |e: &str| traces_url(e).map(|u| u.to_string());
    assert_eq!(url("http://127.0.0.1:4318").expect("valid"), "http://127.0.0.1:4318/v1/traces");
    assert_eq!(url("http://127.0.0.1:4318/").expect("valid"), "http://127.0.0.1:4318/v1/traces");
    assert_eq!(url("https://otel.example/base/v1/traces").expect("valid"), "https://otel.example/base/v1/traces");
    assert!(url("ftp://127.0.0.1").is_err(), "only http and https");
    assert!(url("not a url").is_err());
    assert!(url("http://user:secret@127.0.0.1:4318").is_err(), "no credentials in a URL");
}

type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// An OTLP/HTTP receiver on 127.0.0.1 that keeps what it is sent, answering `status`.
async fn receiver(status: StatusCode) -> (String, Received) {
    let received: Received = Arc::default();
    let kept = received.clone();
    let app = Router::new().route(
        "/v1/traces",
        post(move |headers: HeaderMap, body: Bytes| {
            let kept = kept.clone();
            async move {
                let kind = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                kept.lock().expect("not poisoned").push((kind, body.to_vec()));
                (status, "{}")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port on loopback");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the receiver serves") });
    (format!("http://{address}"), received)
}

#[tokio::test]
async fn traces_are_posted_as_otlp_json() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (store, id) = performed(dir.path(), SCORE).await;
    let (endpoint, received) = receiver(StatusCode::OK).await;
    let sent_to = send(&store, &id, &endpoint, false).await.expect("the receiver takes the traces");
    assert_eq!(sent_to, format!("{endpoint}/v1/traces"));
    let received = received.lock().expect("not poisoned").clone();
    assert_eq!(received.len(), 1, "one POST");
    assert_eq!(received[0].0, "application/json");
    let body: serde_json::Value = serde_json::from_slice(&received[0].1).expect("the body is JSON");
    let spans = body["resourceSpans"][0]["scopeSpans"][0]["spans"].as_array().expect("spans");
    assert_eq!(spans.len(), 3, "the performance and its two turns arrived");
    assert_eq!(spans[0]["traceId"], ensemble_export::trace_id(&id), "the trace id is the performance's");
    assert_eq!(
        spans[2]["attributes"].as_array().expect("attributes").iter().find(|a| a["key"] == "gen_ai.agent.id").expect("an agent id")["value"]
            ["stringValue"],
        "second"
    );
}

#[tokio::test]
async fn a_refusing_or_absent_receiver_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (store, id) = performed(dir.path(), SCORE).await;
    let (endpoint, _) = receiver(StatusCode::BAD_REQUEST).await;
    let error = send(&store, &id, &endpoint, false).await.expect_err("a 400 is not a success").to_string();
    assert!(error.contains("400"), "the answer is quoted: {error}");
    // Nothing listens on port 9 of loopback (discard is not run here): the connection is refused.
    let error = send(&store, &id, "http://127.0.0.1:9", false).await.expect_err("nobody listens").to_string();
    assert!(error.contains("could not be sent to http://127.0.0.1:9/v1/traces"), "{error}");
}
