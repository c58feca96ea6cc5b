//! What the `ensemble` tests share: running the built binary, reading its JSON Lines, and a real
//! OpenAI-compatible streaming server on 127.0.0.1.
#![allow(dead_code)]

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// The `ensemble` binary, with no store taken from the environment and no terminal on stdin.
pub fn ensemble() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ensemble"));
    command.env_remove("ENSEMBLE_DB").stdin(Stdio::null());
    command
}

pub fn run(args: &[&str]) -> Output {
    ensemble().args(args).output().expect("the ensemble binary was built for these tests")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Each line of `text` as JSON; panics on a line that is not.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

pub fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/scores");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("assets/scores exists in the repository")
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".score.toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "assets/scores holds example scores");
    files
}

pub fn feature_trio() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/scores/feature-trio.score.toml")
}

pub fn of_type<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == kind).collect()
}

/// The seq numbers are 1, 2, 3, … without gaps.
pub fn assert_seq_without_gaps(events: &[Value]) {
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().expect("every event has a seq")).collect();
    let expected: Vec<u64> = (1..=seqs.len() as u64).collect();
    assert_eq!(seqs, expected, "seq numbers run from 1 without gaps");
}

/// A score text with players in a chain a -> b -> …, each on `instrument` (a TOML table body).
pub fn chain_score(title: &str, players: &[&str], instrument: &str) -> String {
    let mut text = format!("format = 1\ntitle = \"{title}\"\n\n[intent]\ngoal = \"Pass a note down the line.\"\n");
    for id in players {
        text.push_str(&format!(
            "\n[[players]]\nid = \"{id}\"\nname = \"{id}\"\nzone = \"integrator\"\npart = \"Add your line and hand on.\"\n\n[players.instrument]\n{instrument}\n"
        ));
    }
    for pair in players.windows(2) {
        text.push_str(&format!("\n[[cues]]\nfrom = \"{}\"\nto = \"{}\"\n", pair[0], pair[1]));
    }
    text
}

/// What the model server saw and how it answers.
#[derive(Clone)]
pub struct Model {
    /// The bearer key every request must carry, when set.
    pub key: Option<String>,
    pub reply: String,
    pub requests: Arc<Mutex<Vec<Value>>>,
}

/// A real OpenAI-compatible chat-completions server streaming Server-Sent Events on 127.0.0.1.
pub struct ModelServer {
    pub base_url: String,
    pub model: Model,
    _runtime: tokio::runtime::Runtime,
}

impl ModelServer {
    pub fn start(key: Option<&str>, reply: &str) -> ModelServer {
        let model = Model { key: key.map(str::to_string), reply: reply.to_string(), requests: Arc::default() };
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
        let app = axum::Router::new().route("/v1/chat/completions", post(chat)).with_state(model.clone());
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
        ModelServer { base_url, model, _runtime: runtime }
    }

    pub fn requests(&self) -> Vec<Value> {
        self.model.requests.lock().unwrap().clone()
    }
}

async fn chat(State(model): State<Model>, headers: HeaderMap, body: String) -> Response {
    if let Some(key) = &model.key {
        let sent = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
        if sent != format!("Bearer {key}") {
            let error = json!({"error": {"message": "invalid api key", "type": "invalid_request_error"}});
            return (StatusCode::UNAUTHORIZED, axum::Json(error)).into_response();
        }
    }
    let Ok(request) = serde_json::from_str::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "body is not JSON").into_response();
    };
    model.requests.lock().unwrap().push(request.clone());
    let name = request["model"].as_str().unwrap_or("unknown").to_string();
    let mut chunks: Vec<String> = model
        .reply
        .split_inclusive(' ')
        .map(|piece| {
            json!({"id": "c1", "object": "chat.completion.chunk", "model": name,
                   "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": null}]})
            .to_string()
        })
        .collect();
    chunks.push(
        json!({"id": "c1", "object": "chat.completion.chunk", "model": name,
               "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        .to_string(),
    );
    chunks.push(
        json!({"id": "c1", "object": "chat.completion.chunk", "model": name, "choices": [],
               "usage": {"prompt_tokens": 21, "completion_tokens": 4, "total_tokens": 25}})
        .to_string(),
    );
    chunks.push("[DONE]".to_string());
    let stream = futures::stream::iter(chunks.into_iter().map(|c| Ok::<_, Infallible>(SseEvent::default().data(c))));
    Sse::new(stream).into_response()
}
