//! A score from a stranger, read as an attacker would write it: before the user trusts it,
//! Perform and "Test connection" send no key to the host it names and read nothing outside its
//! folder; once trusted, they go. A plain score with a local endpoint and no key never asks.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ensemble_api::{ApiError, PerformRequest};
use ensemble_store::Store;

/// An HTTP server on 127.0.0.1 that records the head of every request it receives and answers
/// each with a model list naming `hosted`: enough for "Test connection", and proof of whether
/// anything (a key above all) was sent to it.
struct Collector {
    base_url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Collector {
    fn start() -> Collector {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let base_url = format!("http://{}/v1", listener.local_addr().expect("its address"));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
                let mut head = String::new();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    head.push_str(&line);
                    line.clear();
                }
                seen.lock().expect("the list of requests").push(head);
                let body = r#"{"object":"list","data":[{"id":"hosted","object":"model"}]}"#;
                let _ = write!(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            }
        });
        Collector { base_url, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().expect("the list of requests").clone()
    }
}

fn score_text(context: &str, instrument: &str) -> String {
    format!(
        "format = 1\ntitle = \"From a stranger\"\n\n[intent]\ngoal = \"g\"\n\n{context}\n[[players]]\nid = \"a\"\nname = \"A\"\nzone = \"improver\"\npart = \"p\"\n\n[players.instrument]\n{instrument}\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).expect("the test folder is writable");
    file
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime")
}

/// Any variable the stranger chooses: PATH is set everywhere tests run, and stands for
/// `AWS_SECRET_ACCESS_KEY`.
fn keyed(base_url: &str) -> String {
    format!("kind = \"openai\"\nbase_url = \"{base_url}\"\nmodel = \"hosted\"\nkey = {{ env = \"PATH\" }}")
}

#[test]
fn a_key_goes_to_a_strangers_host_only_once_trusted_on_perform_and_on_test_connection() {
    let server = Collector::start();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let file = write(dir.path(), "stranger.score.toml", &score_text("", &keyed(&server.base_url)));
    let score = ensemble_score::load(&file).expect("the score loads").score;
    let instrument = score.players[0].instrument.clone();

    let check = ensemble_api::trust::check(&store, &score, dir.path()).expect("trust can be checked");
    assert!(check.needed && !check.trusted, "sending a key waits for trust: {check:?}");
    assert_eq!(check.key_sends.len(), 1, "{check:?}");
    assert_eq!(check.key_sends[0].key, "env:PATH");
    assert_eq!(check.key_sends[0].host, server.base_url.trim_end_matches("/v1"));

    let request = PerformRequest { score: score.clone(), path: Some(file.clone()), offline: false, seed: 1 };
    let refused = ensemble_api::perform::begin(&store, request.clone()).err().expect("the key may not go yet");
    assert!(matches!(&refused, ApiError::Untrusted { reach } if reach[0].contains("env:PATH")), "{refused}");
    assert!(store.list().expect("the list reads").is_empty(), "nothing was recorded");

    let tested = runtime().block_on(ensemble_api::connection::test(&store, &instrument));
    let refused = tested.expect_err("testing the connection sends the key too: refused");
    assert!(matches!(&refused, ApiError::KeyNotTrusted { .. }), "{refused}");
    assert!(server.heads().is_empty(), "the server received nothing: {:?}", server.heads());

    ensemble_api::perform::begin(&store, PerformRequest { offline: true, ..request.clone() }).expect("rehearsal needs no trust");
    assert!(server.heads().is_empty(), "rehearsal sends nothing");

    ensemble_api::trust::trust(&store, &score, dir.path(), Some(&file)).expect("trust is recorded");
    let answer = runtime().block_on(ensemble_api::connection::test(&store, &instrument)).expect("trusted: the test goes");
    assert!(answer.contains("hosted"), "{answer}");
    let heads = server.heads();
    assert_eq!(heads.len(), 1, "one request: {heads:?}");
    assert!(heads[0].to_ascii_lowercase().contains("authorization: bearer"), "the trusted key went: {}", heads[0].lines().next().unwrap_or(""));
    ensemble_api::perform::begin(&store, request).expect("trusted: the performance may begin");
}

#[test]
fn a_key_already_allowed_for_a_host_needs_no_new_question_but_another_host_does() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let first = ensemble_score::parse(&score_text("", &keyed("https://api.example.com/v1")), None).expect("parses");
    ensemble_api::trust::trust(&store, &first, dir.path(), None).expect("trust is recorded");

    let other = tempfile::tempdir().expect("another folder");
    let same_host = ensemble_score::parse(&score_text("", &keyed("https://api.example.com/v1/")), None).expect("parses");
    let check = ensemble_api::trust::check(&store, &same_host, other.path()).expect("trust can be checked");
    assert!(check.needed && check.trusted, "the same key to the same host was allowed already: {check:?}");

    let elsewhere = ensemble_score::parse(&score_text("", &keyed("https://api.example.com@collector.example/v1")), None).expect("parses");
    let check = ensemble_api::trust::check(&store, &elsewhere, other.path()).expect("trust can be checked");
    assert!(!check.trusted, "the same key to another host asks again: {check:?}");
}

#[test]
fn a_workspace_above_the_score_is_refused_before_trust_and_nothing_is_read() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let secret = write(dir.path(), "secret.txt", "hunter2");
    let inner = dir.path().join("a/b");
    std::fs::create_dir_all(&inner).expect("the score's folder");
    let file = write(&inner, "stranger.score.toml", &score_text("[context]\nworkspace = \"../..\"\nfiles = [\"secret.txt\"]\n", "kind = \"rehearsal\""));
    let score = ensemble_score::load(&file).expect("the score loads").score;
    // Reading would change the access time; make that visible by setting it far in the past.
    let past = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    std::fs::File::options().write(true).open(&secret).expect("open").set_times(std::fs::FileTimes::new().set_accessed(past)).expect("set atime");

    let request = PerformRequest { score: score.clone(), path: Some(file.clone()), offline: false, seed: 1 };
    let refused = ensemble_api::perform::begin(&store, request.clone()).err().expect("reading outside waits for trust");
    let ApiError::Untrusted { reach } = &refused else { panic!("refused for trust: {refused}") };
    assert!(reach.iter().any(|line| line.contains("the workspace")), "{reach:?}");
    assert!(reach.iter().any(|line| line.contains("attached file secret.txt")), "{reach:?}");
    let badge = ensemble_api::document::context_badge(&score, Some(&file));
    assert!(badge.version.is_empty() && !badge.problems.is_empty(), "opening reads nothing outside: {badge:?}");
    let accessed = std::fs::metadata(&secret).expect("metadata").accessed().expect("atime");
    assert_eq!(accessed, past, "the secret was not read");

    ensemble_api::trust::trust(&store, &score, &inner, Some(&file)).expect("trust is recorded");
    ensemble_api::perform::begin(&store, request).expect("trusted: the workspace may be read");
}

#[test]
fn a_plain_score_in_its_own_folder_with_a_local_endpoint_and_no_key_needs_no_trust() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    write(dir.path(), "notes.md", "notes");
    let local = "kind = \"openai\"\nbase_url = \"http://127.0.0.1:11434/v1\"\nmodel = \"llama3\"";
    let file = write(dir.path(), "plain.score.toml", &score_text("[context]\nfiles = [\"notes.md\"]\n", local));
    let score = ensemble_score::load(&file).expect("the score loads").score;
    let check = ensemble_api::trust::check(&store, &score, dir.path()).expect("trust can be checked");
    assert!(!check.needed && check.trusted, "{check:?}");
    ensemble_api::perform::begin(&store, PerformRequest { score, path: Some(file), offline: false, seed: 1 }).expect("no question asked");
}
