//! Real servers and stages for the instrument tests: axum on a random loopback port, streaming
//! server-sent events the way llama.cpp, OpenAI and Anthropic do.
#![allow(dead_code)] // each test file uses its own share of these

use std::path::PathBuf;
use std::sync::Once;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::Response;
use ensemble_instruments::{Limits, Prompt, Stage};
use ensemble_score::{AnthropicSettings, KeyRef};
use futures::StreamExt;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio_util::sync::CancellationToken;

/// The value of [`KEY_VAR`] in every test of a binary.
pub const KEY: &str = "sk-test-0123456789abcdef-secret";
pub const KEY_VAR: &str = "ENSEMBLE_TEST_INSTRUMENT_KEY";

/// Sets [`KEY_VAR`] once per test binary, before any test reads it.
pub fn set_key_var() {
    static ONCE: Once = Once::new();
    // SAFETY: set once, to a fixed value, before the tests that read it make a request; no other
    // code in these tests writes the environment.
    ONCE.call_once(|| unsafe { std::env::set_var(KEY_VAR, KEY) });
}

/// An Anthropic instrument at `base_url` whose key is read from [`KEY_VAR`].
pub fn anthropic_settings(base_url: &str) -> AnthropicSettings {
    set_key_var();
    AnthropicSettings {
        base_url: Some(base_url.into()),
        model: "claude-test".into(),
        temperature: None,
        max_tokens: None,
        key: KeyRef::Env(KEY_VAR.into()),
        usd_per_mtok_in: None,
        usd_per_mtok_out: None,
    }
}

/// Serves `router` on 127.0.0.1 at a random port for the rest of the test; returns its base URL.
pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("loopback has free ports");
    let address = listener.local_addr().expect("a bound listener has an address");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("the test server runs until the test ends") });
    format!("http://{address}")
}

/// How a streamed body ends after its events.
#[derive(Clone, Copy)]
pub enum Ending {
    /// The body ends normally.
    Clean,
    /// The connection is broken off, as when a server dies mid-answer.
    Abort,
    /// Nothing more ever comes, and the connection stays open.
    Hang,
}

/// A `text/event-stream` response made of `events` (each a complete `data: ...\n\n` block).
pub fn event_stream(events: Vec<String>, ending: Ending) -> Response {
    let items = futures::stream::iter(events.into_iter().map(|e| Ok::<Bytes, std::io::Error>(Bytes::from(e))));
    let body = match ending {
        Ending::Clean => Body::from_stream(items),
        // The pause lets the server write the headers and events before it breaks off; without it
        // the whole response would fail before a byte of it left.
        Ending::Abort => Body::from_stream(items.chain(futures::stream::once(async {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "server died"))
        }))),
        Ending::Hang => Body::from_stream(items.chain(futures::stream::pending())),
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .body(body)
        .expect("a status, one header and a body make a valid response")
}

/// `data: {json}` as one event.
pub fn data(json: serde_json::Value) -> String {
    format!("data: {json}\n\n")
}

/// A stage in a fresh workspace folder, with a cancel token the test controls.
pub fn stage() -> (Stage, tempfile::TempDir) {
    let workspace = tempfile::tempdir().expect("the temp folder is writable");
    let stage = Stage {
        workspace: PathBuf::from(workspace.path()),
        seed: 7,
        player: "writer".into(),
        chorus: 1,
        attempt: 1,
        cancel: CancellationToken::new(),
        limits: Limits::default(),
        tools: None,
    };
    (stage, workspace)
}

pub fn prompt() -> Prompt {
    Prompt {
        context: "# Intent\n\nWrite a haiku about tests.".into(),
        part: "You are the poet.".into(),
        handoffs: vec![("editor".into(), "Keep it short.".into())],
    }
}

pub fn tokens() -> (tokio::sync::mpsc::UnboundedSender<String>, UnboundedReceiver<String>) {
    unbounded_channel()
}

/// Everything sent to the token channel so far, in order.
pub fn drain(receiver: &mut UnboundedReceiver<String>) -> Vec<String> {
    let mut all = Vec::new();
    while let Ok(token) = receiver.try_recv() {
        all.push(token);
    }
    all
}
