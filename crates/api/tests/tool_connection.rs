//! "Test connection" for one tool server of one player, against real servers: the reference
//! filesystem server from npm over stdio, and one written here with the SDK's server side over
//! streamable HTTP on 127.0.0.1. Every tool the server offers is listed, whatever the player's
//! `allow` says, with the server's hints and the approval they imply; the trust rules of
//! performing hold (no program before trust, no key to a host the user did not allow); a dead
//! program or URL is a clear message within the player's tool timeout.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::Request;
use axum::middleware::{self, Next};
use ensemble_api::ApiError;
use ensemble_api::tools::test_server;
use ensemble_score::{Approval, Score};
use ensemble_store::Store;
use rmcp::model::{ServerCapabilities, ServerConfig};
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager};
use rmcp::{ServerHandler, tool, tool_handler, tool_router};

/// A small server whose tools say different things about themselves (its router is built by
/// the SDK's macros for each call, so it holds nothing).
#[derive(Clone)]
struct Almanac;

#[tool_router]
impl Almanac {
    #[tool(description = "Today's date", annotations(read_only_hint = true))]
    fn today(&self) -> String {
        "2026-12-02".into()
    }

    #[tool(description = "Forget every entry", annotations(read_only_hint = false, destructive_hint = true))]
    fn erase(&self) -> String {
        "erased".into()
    }

    #[tool(description = "Add an entry")]
    fn note(&self) -> String {
        "noted".into()
    }
}

#[tool_handler]
impl ServerHandler for Almanac {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
    }
}

/// The almanac over streamable HTTP on 127.0.0.1: its URL, and the `Authorization` header of
/// every request it received (`""` for a request without one).
async fn almanac() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let service = StreamableHttpService::new(|| Ok(Almanac), LocalSessionManager::default().into(), StreamableHttpServerConfig::default());
    let record = seen.clone();
    let router = axum::Router::new().nest_service("/mcp", service).layer(middleware::from_fn(move |request: Request, next: Next| {
        let record = record.clone();
        async move {
            let header = request.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            record.lock().expect("no test panics while holding the record").push(header);
            next.run(request).await
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("loopback has free ports");
    let address = listener.local_addr().expect("a bound listener has an address");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("the test server runs until the test ends") });
    (format!("http://{address}/mcp"), seen)
}

/// One listed tool: name, description, read-only and destructive hints, default approval.
type Summary<'a> = (&'a str, &'a str, Option<bool>, Option<bool>, Approval);

fn filesystem_script() -> PathBuf {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/mcp/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
    assert!(script.exists(), "the reference filesystem server is not installed at {}: run scripts/install-deps.sh", script.display());
    script.canonicalize().expect("an existing file has a canonical path")
}

/// A score in `dir` whose one player `reader` has the tool settings `tools` (TOML lines under
/// `[players.tools]`, then its servers).
fn score_with(dir: &Path, tools: &str) -> Score {
    let text = format!(
        r#"format = 1
title = "Tools"

[intent]
goal = "Read the folder"

[[players]]
id = "reader"
name = "Reader"
zone = "improver"
part = "Read the folder."

[players.instrument]
kind = "rehearsal"

[players.tools]
{tools}
"#
    );
    ensemble_score::parse(&text, Some(dir)).unwrap_or_else(|problems| panic!("the test score is valid: {problems:?}"))
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

#[tokio::test]
async fn the_filesystem_server_lists_every_tool_it_offers_once_the_score_is_trusted() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let script = toml_string(&filesystem_script().to_string_lossy());
    // The folder served is named in full, so the server's process can be found by it afterwards.
    let served = dir.path().canonicalize().expect("a temporary folder has a canonical path");
    let folder = toml_string(&served.to_string_lossy());
    // The player may use only read_text_file; the test still shows all the server offers.
    let score = score_with(dir.path(), &format!(
        "timeout_secs = 30\n\n[[players.tools.servers]]\nid = \"files\"\nprogram = \"node\"\nargs = [{script}, {folder}]\nallow = [\"read_text_file\"]\n"
    ));

    let refused = test_server(&store, &score, dir.path(), "reader", "files").await;
    let Err(ApiError::Untrusted { reach }) = refused else { panic!("a stdio server of an untrusted score is not started: {refused:?}") };
    assert!(reach.iter().any(|line| line.starts_with("runs reader (tool server files): node")), "the refusal says what would run: {reach:?}");

    ensemble_api::trust::trust(&store, &score, dir.path(), None).expect("trust is recorded");
    let tested = test_server(&store, &score, dir.path(), "reader", "files").await.expect("node starts the reference server");
    assert_eq!((tested.player.as_str(), tested.server.as_str()), ("reader", "files"));
    assert_eq!(tested.server_info.as_deref(), Some("secure-filesystem-server 0.2.0"), "the name and version from its handshake");
    let names: Vec<&str> = tested.tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), 14, "every tool the server offers, not only the allowed one: {names:?}");
    for wanted in ["read_text_file", "list_directory", "write_file", "move_file", "create_directory"] {
        assert!(names.contains(&wanted), "{wanted} is listed: {names:?}");
    }
    let tool = |name: &str| tested.tools.iter().find(|t| t.name == name).expect("listed above");
    let read = tool("read_text_file");
    assert_eq!((read.read_only, read.destructive, read.default_approval), (Some(true), None, Approval::Allow), "reading is marked read-only");
    assert!(!read.description.is_empty(), "the server describes its tools");
    let write = tool("write_file");
    assert_eq!((write.read_only, write.destructive, write.default_approval), (Some(false), Some(true), Approval::Ask));
    let mkdir = tool("create_directory");
    assert_eq!(
        (mkdir.read_only, mkdir.destructive, mkdir.default_approval),
        (Some(false), Some(false), Approval::Ask),
        "a tool that changes things asks by default even when it destroys nothing"
    );
    #[cfg(target_os = "linux")]
    assert_eq!(processes_naming(&served.to_string_lossy()), 0, "the server was stopped once its tools were listed");
}

/// How many processes have `needle` in their command line (Linux: read from /proc).
#[cfg(target_os = "linux")]
fn processes_naming(needle: &str) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().chars().all(|c| c.is_ascii_digit()))
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .filter(|cmdline| String::from_utf8_lossy(cmdline).contains(needle))
        .count()
}

#[tokio::test]
async fn a_stranger_stdio_server_starts_nothing_before_trust() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let score = score_with(dir.path(), "[[players.tools.servers]]\nid = \"mark\"\nprogram = \"sh\"\nargs = [\"-c\", \"touch started\"]\n");
    let refused = test_server(&store, &score, dir.path(), "reader", "mark").await;
    assert!(matches!(refused, Err(ApiError::Untrusted { .. })), "refused before trust: {refused:?}");
    assert!(!dir.path().join("started").exists(), "the program did not run");

    ensemble_api::trust::trust(&store, &score, dir.path(), None).expect("trust is recorded");
    let failed = test_server(&store, &score, dir.path(), "reader", "mark").await;
    let Err(ApiError::Connection(message)) = failed else { panic!("a program that is not an MCP server fails the test: {failed:?}") };
    assert!(message.starts_with("tool server `mark`:") && message.contains("did not start speaking MCP"), "{message}");
    assert!(dir.path().join("started").exists(), "once trusted, the program ran in the workspace");
}

#[tokio::test]
async fn an_http_server_is_listed_with_its_hints_and_gets_a_key_only_where_allowed() {
    const VAR: &str = "ENSEMBLE_TEST_TOOL_CONNECTION_KEY";
    // SAFETY: this variable is set here only, before the request that reads it.
    unsafe { std::env::set_var(VAR, "almanac-key-7") };
    let (url, seen) = almanac().await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");

    // Without a key nothing secret is sent, so no trust is needed.
    let open = score_with(dir.path(), &format!("[[players.tools.servers]]\nid = \"almanac\"\nurl = {}\nallow = [\"today\"]\n", toml_string(&url)));
    let tested = test_server(&store, &open, dir.path(), "reader", "almanac").await.expect("a keyless server is reached untrusted");
    let mut summary: Vec<Summary> =
        tested.tools.iter().map(|t| (t.name.as_str(), t.description.as_str(), t.read_only, t.destructive, t.default_approval)).collect();
    // The SDK's router does not promise an order.
    summary.sort_by_key(|t| t.0);
    assert_eq!(summary, [
        ("erase", "Forget every entry", Some(false), Some(true), Approval::Ask),
        ("note", "Add an entry", None, None, Approval::Ask),
        ("today", "Today's date", Some(true), None, Approval::Allow),
    ], "every tool, though only `today` is allowed, with its hints and the approval they imply");
    assert!(seen.lock().expect("no panic holding the record").iter().all(|h| h.is_empty()), "no key was sent");

    let keyed = score_with(dir.path(), &format!(
        "[[players.tools.servers]]\nid = \"almanac\"\nurl = {}\nkey = {{ env = \"{VAR}\" }}\n",
        toml_string(&url)
    ));
    seen.lock().expect("no panic holding the record").clear();
    let refused = test_server(&store, &keyed, dir.path(), "reader", "almanac").await;
    let Err(ApiError::KeyNotTrusted { key, host }) = refused else { panic!("a key goes only to a host allowed for it: {refused:?}") };
    assert_eq!(key, format!("env:{VAR}"));
    assert!(url.starts_with(&host), "the host it would go to: {host}");
    assert!(seen.lock().expect("no panic holding the record").is_empty(), "nothing was sent to the server");

    ensemble_api::trust::trust(&store, &keyed, dir.path(), None).expect("trust is recorded");
    let tested = test_server(&store, &keyed, dir.path(), "reader", "almanac").await.expect("the allowed key goes to its host");
    assert_eq!(tested.tools.len(), 3);
    let headers = seen.lock().expect("no panic holding the record").clone();
    assert!(!headers.is_empty() && headers.iter().all(|h| h == "Bearer almanac-key-7"), "the key went as a bearer token: {headers:?}");
}

#[tokio::test]
async fn a_silent_url_or_a_missing_program_is_a_clear_message_not_a_hang() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");

    // A listener that accepts connections and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("loopback has free ports");
    let address = silent.local_addr().expect("a bound listener has an address");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let score = score_with(dir.path(), &format!("timeout_secs = 1\n\n[[players.tools.servers]]\nid = \"quiet\"\nurl = \"http://{address}/mcp\"\n"));
    let tested = tokio::time::timeout(Duration::from_secs(20), test_server(&store, &score, dir.path(), "reader", "quiet"))
        .await
        .expect("the test gives up after the player's tool timeout");
    let Err(ApiError::Connection(message)) = tested else { panic!("a silent URL is a connection error: {tested:?}") };
    assert_eq!(message, format!("tool server `quiet`: http://{address}/mcp did not answer within 1 s"));

    let score = score_with(dir.path(), "[[players.tools.servers]]\nid = \"gone\"\nprogram = \"ensemble-no-such-program\"\n");
    ensemble_api::trust::trust(&store, &score, dir.path(), None).expect("trust is recorded");
    let tested = test_server(&store, &score, dir.path(), "reader", "gone").await;
    let Err(ApiError::Connection(message)) = tested else { panic!("a missing program is a connection error: {tested:?}") };
    assert!(message.contains("could not start ensemble-no-such-program: no such program"), "{message}");
}

#[tokio::test]
async fn an_unknown_server_or_an_invalid_score_is_refused_before_anything_starts() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let score = score_with(dir.path(), "[[players.tools.servers]]\nid = \"files\"\nurl = \"http://127.0.0.1:9/mcp\"\n");
    let unknown = test_server(&store, &score, dir.path(), "reader", "web").await;
    let Err(error @ ApiError::UnknownToolServer { .. }) = unknown else { panic!("no server `web`: {unknown:?}") };
    assert_eq!(error.to_string(), "player `reader` has no tool server `web`; its servers are files");
    let nobody = test_server(&store, &score, dir.path(), "writer", "files").await;
    assert!(matches!(nobody, Err(ApiError::UnknownPlayer { .. })), "{nobody:?}");

    let mut broken = score.clone();
    broken.players[0].tools.servers[0].url = Some("ftp://example.org".into());
    let invalid = test_server(&store, &broken, dir.path(), "reader", "files").await;
    let Err(ApiError::Invalid { problems }) = invalid else { panic!("an invalid score is not tested: {invalid:?}") };
    assert!(problems.iter().any(|p| p.message.contains("must be an http:// or https:// address")), "{problems:?}");
}
