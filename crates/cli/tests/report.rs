//! `ensemble report` through the real binary, after a real offline performance recorded in a
//! real store: the HTML page, the OTLP JSON traces on stdout, and traces posted to a receiver.

mod support;

use std::sync::{Arc, Mutex};

use support::{examples, json_lines, of_type, run, text};

/// Performs `score` offline into `db` and returns its events as printed.
fn perform(score: &str, db: &str) -> Vec<serde_json::Value> {
    let out = run(&["run", score, "--offline", "--db", db, "--events", "-", "--seed", "4"]);
    assert_eq!(out.status.code(), Some(0), "the rehearsal succeeds: {}", text(&out.stderr));
    json_lines(&text(&out.stdout))
}

#[test]
fn an_html_report_and_traces_of_the_last_performance() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("store.sqlite3").display().to_string();
    let example = &examples()[0];
    let score = ensemble_score::load(example).expect("the example loads").score;
    let events = perform(&example.display().to_string(), &db);
    let id = events[0]["performance"].as_str().expect("the first event names the performance").to_string();

    let page = dir.path().join("report.html");
    let out = run(&["report", "--last", "--db", &db, "--format", "html", "-o", &page.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(&page).expect("the report was written");
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"), "a whole page");
    assert!(html.contains(&id), "the report names its performance");
    let finished = of_type(&events, "player_finished");
    for player in &score.players {
        let played = finished.iter().any(|e| e["player"] == player.id.as_str());
        assert!(!played || html.contains(&format!("data-player=\"{}\"", player.id)), "{} has its turns in the report", player.id);
    }
    assert!(!html.contains("<script"), "the page runs nothing");

    let out = run(&["report", &id, "--db", &db, "--format", "otlp", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let traces: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the traces are JSON");
    let spans = traces["resourceSpans"][0]["scopeSpans"][0]["spans"].as_array().expect("spans").clone();
    assert_eq!(spans.len(), 1 + of_type(&events, "player_cued").len(), "the performance and one span per player turn");

    // Without -o the report goes into the current folder, named after the performance.
    let out = support::ensemble().current_dir(dir.path()).args(["report", &id, "--db", &db]).output().expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let named = std::fs::read_dir(dir.path())
        .expect("readable")
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().ends_with(&format!("-{id}.report.html")));
    assert!(named, "a report named after the performance: {}", text(&out.stderr));
}

#[test]
fn a_report_needs_a_performance_and_refuses_a_key_in_its_score() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("store.sqlite3").display().to_string();
    let score = dir.path().join("leaky.score.toml");
    std::fs::write(
        &score,
        support::chain_score("Leaky", &["a", "b"], "kind = \"rehearsal\"")
            .replace("Add your line and hand on.", "Add your line and hand on. The key is sk-proj-Zq8XwT4vN2mLr7Ks9PdYbHc3FgJe6Ua1."),
    )
    .expect("writable");
    let events = perform(&score.display().to_string(), &db);
    let id = events[0]["performance"].as_str().expect("an id").to_string();

    let page = dir.path().join("leaky.html");
    let out = run(&["report", &id, "--db", &db, "-o", &page.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "refused without consent");
    assert!(text(&out.stderr).contains("player a: part"), "the finding says where: {}", text(&out.stderr));
    assert!(!page.exists(), "nothing was written");
    let out = run(&["report", &id, "--db", &db, "-o", &page.display().to_string(), "--allow-findings"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(page.exists(), "written once allowed");

    let out = run(&["report", "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("give its id"), "{}", text(&out.stderr));
    let out = run(&["report", "01NOSUCHPERFORMANCE", "--db", &db]);
    assert_eq!(out.status.code(), Some(2), "an unknown id is an error, not an empty report");
}

/// What a receiver was sent: the path, the content type and the body of each request.
type Received = Arc<Mutex<Vec<(String, String, Vec<u8>)>>>;

#[test]
fn traces_are_sent_to_an_otlp_http_receiver() {
    let received: Received = Arc::default();
    let kept = received.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("a runtime");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port on loopback");
    listener.set_nonblocking(true).expect("non-blocking");
    let endpoint = format!("http://{}", listener.local_addr().expect("an address"));
    let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let kept = kept.clone();
        async move {
            let path = request.uri().path().to_string();
            let kind = request.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            let body = axum::body::to_bytes(request.into_body(), 1 << 24).await.expect("a body");
            kept.lock().expect("not poisoned").push((path, kind, body.to_vec()));
            "{}"
        }
    });
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
        axum::serve(listener, app).await.expect("serves");
    });

    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("store.sqlite3").display().to_string();
    let events = perform(&examples()[0].display().to_string(), &db);
    let id = events[0]["performance"].as_str().expect("an id").to_string();
    let out = support::ensemble()
        .current_dir(dir.path())
        .args(["report", &id, "--db", &db, "--format", "otlp", "--send", &endpoint])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let received = received.lock().expect("not poisoned").clone();
    assert_eq!(received.len(), 1, "one POST");
    let (path, kind, body) = &received[0];
    assert_eq!((path.as_str(), kind.as_str()), ("/v1/traces", "application/json"));
    let traces: serde_json::Value = serde_json::from_slice(body).expect("JSON");
    let spans = traces["resourceSpans"][0]["scopeSpans"][0]["spans"].as_array().expect("spans");
    assert_eq!(spans.len(), 1 + of_type(&events, "player_cued").len());
    assert!(
        dir.path().read_dir().expect("readable").all(|e| !e.expect("an entry").file_name().to_string_lossy().ends_with(".json")),
        "--send alone writes no file"
    );

    let out = run(&["report", &id, "--db", &db, "--format", "html", "--send", &endpoint]);
    assert_eq!(out.status.code(), Some(2), "only traces are sent");
}
