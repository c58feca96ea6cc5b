//! A stranger's score with a tool server: nothing starts before trust, neither to list its tools
//! nor to perform it; once trusted, the server is started.

use std::path::{Path, PathBuf};

use ensemble_api::{ApiError, PerformRequest};
use ensemble_store::Store;

/// A score whose player's tool server is a program that leaves a file behind when it starts.
fn stranger(dir: &Path) -> PathBuf {
    let text = r#"format = 1
title = "Stranger"

[intent]
goal = "List the files"

[[players]]
id = "reader"
name = "Reader"
zone = "improver"
part = "List the files."

[players.instrument]
kind = "openai"
base_url = "http://127.0.0.1:9/v1"
model = "m"

[[players.tools.servers]]
id = "files"
program = "sh"
args = ["-c", "touch started; exit 0"]
"#;
    let file = dir.join("stranger.score.toml");
    std::fs::write(&file, text).expect("the folder is writable");
    file
}

#[tokio::test]
async fn an_untrusted_tool_server_starts_nothing_and_a_trusted_one_is_started() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = stranger(dir.path());
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let score = ensemble_score::load(&file).expect("the score loads").score;
    let marker = dir.path().join("started");

    let Err(ApiError::Untrusted { reach }) = ensemble_api::tools::list(&store, &score, dir.path()).await else {
        panic!("listing the tools of an untrusted score is refused")
    };
    assert!(reach.iter().any(|line| line.starts_with("runs reader (tool server files): sh -c")), "the prompt shows the server: {reach:?}");
    let request = PerformRequest { score: score.clone(), path: Some(file.clone()), offline: false, seed: 1 };
    let refused = ensemble_api::perform::begin(&store, request);
    assert!(matches!(refused, Err(ApiError::Untrusted { .. })), "performing it is refused too");
    assert!(!marker.exists(), "nothing was started before trust");

    ensemble_api::trust::trust(&store, &score, dir.path(), Some(&file)).expect("trust is recorded");
    let listed = ensemble_api::tools::list(&store, &score, dir.path()).await.expect("a trusted score's servers are asked");
    assert_eq!(listed.len(), 1);
    let error = listed[0].error.as_deref().expect("a program that exits at once lists no tools");
    assert!(error.contains("tool server `files`") && error.contains("did not start speaking MCP"), "{error}");
    assert!(marker.exists(), "once trusted, the server program was started (in the workspace)");
}
