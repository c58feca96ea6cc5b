//! The toolbox against the reference MCP servers from npm (installed into tools/mcp by
//! scripts/install-deps.sh). The filesystem server, started over stdio on a folder of the test's
//! own: its tools are listed with their approval settled from its annotations, a listing and a
//! read answer with the folder's real contents, and a path outside the folder is the server's
//! error, not ours. The everything server, over stdio and over streamable HTTP: calls answer with
//! the values worked out by hand, and arguments that do not fit its schema are its error.

use std::path::PathBuf;

use ensemble_instruments::tools::Toolbox;
use ensemble_score::{ToolServer, Tools};
use serde_json::json;

fn server_script() -> PathBuf {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/mcp/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
    assert!(script.exists(), "the reference filesystem server is not installed at {}: run scripts/install-deps.sh", script.display());
    script.canonicalize().expect("an existing file has a canonical path")
}

fn object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    value.as_object().expect("an object literal").clone()
}

#[tokio::test]
async fn the_filesystem_server_lists_and_reads_its_folder_and_nothing_else() {
    let workspace = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(workspace.path().join("notes.md"), "# Notes\nkites are red\n").expect("the folder is writable");
    std::fs::create_dir(workspace.path().join("drafts")).expect("the folder is writable");
    let server = ToolServer {
        id: "files".into(),
        program: Some("node".into()),
        args: vec![server_script().to_string_lossy().into_owned(), ".".into()],
        ..ToolServer::default()
    };
    let tools = Tools { timeout_secs: Some(30), servers: vec![server], ..Tools::default() };
    let toolbox = Toolbox::open(&tools, workspace.path()).await.expect("node starts the reference server");

    let spec = |name: &str| toolbox.find(&format!("files__{name}")).unwrap_or_else(|| panic!("{name} is offered: {:?}", toolbox.tools())).clone();
    assert!(!spec("list_directory").ask, "the server marks listing read-only: it runs without asking");
    assert!(spec("write_file").ask, "writing changes things: it asks");

    let listing = toolbox.call(&spec("list_directory"), object(json!({ "path": "." }))).await.expect("list_directory answers");
    assert!(!listing.is_error, "{listing:?}");
    assert!(listing.text.contains("[FILE] notes.md") && listing.text.contains("[DIR] drafts"), "the real contents: {}", listing.text);

    let read = toolbox.call(&spec("read_text_file"), object(json!({ "path": "notes.md" }))).await.expect("read_text_file answers");
    assert!(read.text.contains("kites are red"), "{}", read.text);

    let outside = toolbox.call(&spec("read_text_file"), object(json!({ "path": "/etc/hostname" }))).await;
    let refused = match outside {
        Ok(result) => result.is_error && result.text.contains("denied"),
        Err(message) => message.contains("denied") || message.contains("outside"),
    };
    assert!(refused, "a path outside the served folder is refused by the server");
    toolbox.close().await;
}

fn everything_script() -> PathBuf {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/mcp/node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    assert!(script.exists(), "the reference everything server is not installed at {}: run scripts/install-deps.sh", script.display());
    script.canonicalize().expect("an existing file has a canonical path")
}

async fn echo_and_sum(toolbox: &Toolbox) {
    let spec = |name: &str| toolbox.find(&format!("everything__{name}")).unwrap_or_else(|| panic!("{name} is offered: {:?}", toolbox.tools())).clone();
    let echoed = toolbox.call(&spec("echo"), object(json!({ "message": "hello" }))).await.expect("echo answers");
    assert_eq!(echoed.text, "Echo: hello");
    let sum = toolbox.call(&spec("get-sum"), object(json!({ "a": 2, "b": 3 }))).await.expect("get-sum answers");
    assert_eq!(sum.text, "The sum of 2 and 3 is 5.");
    let wrong = toolbox.call(&spec("get-sum"), object(json!({ "a": "two" }))).await;
    let refused = match wrong {
        Ok(result) => result.is_error,
        Err(message) => message.contains("refused"),
    };
    assert!(refused, "arguments that do not fit the schema are the server's error");
}

#[tokio::test]
async fn the_everything_server_answers_over_stdio() {
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let server = ToolServer {
        id: "everything".into(),
        program: Some("node".into()),
        args: vec![everything_script().to_string_lossy().into_owned(), "stdio".into()],
        allow: vec!["echo".into(), "get-sum".into()],
        ..ToolServer::default()
    };
    let tools = Tools { timeout_secs: Some(30), servers: vec![server], ..Tools::default() };
    let toolbox = Toolbox::open(&tools, workspace.path()).await.expect("node starts the everything server");
    assert_eq!(toolbox.tools().len(), 2, "only the allowed tools are offered");
    echo_and_sum(&toolbox).await;
    toolbox.close().await;
}

#[tokio::test]
async fn the_everything_server_answers_over_streamable_http() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("loopback has free ports");
        listener.local_addr().expect("a bound listener has an address").port()
    };
    let mut child = tokio::process::Command::new("node")
        .arg(everything_script())
        .arg("streamableHttp")
        .env("PORT", port.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("node starts");
    let url = format!("http://127.0.0.1:{port}/mcp");
    let mut up = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(up, "the everything server listens on {url}");
    let server = ToolServer { id: "everything".into(), url: Some(url), allow: vec!["echo".into(), "get-sum".into()], ..ToolServer::default() };
    let tools = Tools { timeout_secs: Some(30), servers: vec![server], ..Tools::default() };
    let workspace = tempfile::tempdir().expect("a temporary folder");
    let toolbox = Toolbox::open(&tools, workspace.path()).await.expect("the everything server is reached over HTTP");
    echo_and_sum(&toolbox).await;
    toolbox.close().await;
    let _ = child.kill().await;
}
