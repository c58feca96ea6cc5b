//! The toolbox against the reference filesystem MCP server from npm (installed into tools/mcp by
//! scripts/install-deps.sh), started over stdio on a folder of the test's own: its tools are
//! listed with their approval settled from its annotations, a listing and a read answer with the
//! folder's real contents, and a path outside the folder is the server's error, not ours.

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
