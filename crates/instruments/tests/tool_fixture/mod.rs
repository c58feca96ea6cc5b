//! A real MCP server written with the SDK's server side, for the tool tests: served over
//! streamable HTTP on 127.0.0.1, or over stdio by the test binary itself started again as a
//! child (see [`stdio_server`]).
#![allow(dead_code)] // each test file uses its own share of these

use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::middleware::{self, Next};
use ensemble_score::ToolServer;
use rmcp::handler::server::{router::tool::ToolRouter, wrapper::Parameters};
use rmcp::model::{ServerCapabilities, ServerConfig};
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager};
use rmcp::{ServerHandler, ServiceExt, tool, tool_handler, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

/// The second filter given to a test binary started as a stdio server: it matches no test, and
/// tells [`serve_if_asked`] to serve.
pub const SERVE_MARK: &str = "serve-mcp-over-stdio";

#[derive(Deserialize, JsonSchema)]
pub struct Text {
    /// The text.
    pub text: String,
}

#[derive(Deserialize, JsonSchema)]
pub struct Wait {
    /// How long to take, in milliseconds.
    pub ms: u64,
}

#[derive(Deserialize, JsonSchema)]
pub struct Size {
    /// How many bytes of output.
    pub bytes: usize,
}

/// Tools that read, write, take their time, say too much and die.
#[derive(Clone)]
pub struct Bench {
    tool_router: ToolRouter<Bench>,
    notes: Arc<Mutex<Vec<String>>>,
}

#[tool_router]
impl Bench {
    pub fn new() -> Bench {
        Bench { tool_router: Self::tool_router(), notes: Arc::default() }
    }

    #[tool(description = "Say the text back", annotations(read_only_hint = true))]
    fn echo(&self, Parameters(Text { text }): Parameters<Text>) -> String {
        format!("echo: {text}")
    }

    #[tool(description = "Write a note (changes things, so unmarked)")]
    fn write_note(&self, Parameters(Text { text }): Parameters<Text>) -> String {
        let mut notes = self.notes.lock().expect("no test panics while holding the notes");
        notes.push(text);
        format!("{} note(s) written", notes.len())
    }

    #[tool(description = "Take a while", annotations(read_only_hint = true))]
    async fn slow(&self, Parameters(Wait { ms }): Parameters<Wait>) -> String {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        format!("done after {ms} ms")
    }

    #[tool(description = "Say a lot", annotations(read_only_hint = true))]
    fn big(&self, Parameters(Size { bytes }): Parameters<Size>) -> String {
        "x".repeat(bytes)
    }

    #[tool(description = "The server's process id", annotations(read_only_hint = true))]
    fn pid(&self) -> String {
        std::process::id().to_string()
    }

    #[tool(description = "End the server's process in the middle of the call", annotations(read_only_hint = true, destructive_hint = true))]
    fn die(&self) -> String {
        std::process::exit(3)
    }
}

#[tool_handler]
impl ServerHandler for Bench {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
    }
}

/// Serves the bench over stdin and stdout when this test binary was started as a server;
/// returns false (at once) when it was not.
pub async fn serve_if_asked() -> bool {
    if !std::env::args().any(|a| a == SERVE_MARK) {
        return false;
    }
    // The test harness has written `test NAME ... ` without a line break: end that line, so the
    // client reads it as a line that is not a message (and skips it) rather than as the start of
    // the first answer.
    use tokio::io::AsyncWriteExt;
    let mut stdout = tokio::io::stdout();
    stdout.write_all(b"\n").await.expect("stdout is the client's pipe");
    stdout.flush().await.expect("stdout is the client's pipe");
    let service = Bench::new().serve(rmcp::transport::stdio()).await.expect("the client starts the protocol");
    let _ = service.waiting().await;
    true
}

/// A tool server that is this test binary, started again to run only `fixture_test` as a server.
pub fn stdio_server(id: &str, fixture_test: &str) -> ToolServer {
    let program = std::env::current_exe().expect("a test binary knows its path");
    ToolServer {
        id: id.into(),
        program: Some(program.to_string_lossy().into_owned()),
        args: vec![fixture_test.into(), SERVE_MARK.into(), "--exact".into(), "--test-threads=1".into()],
        ..ToolServer::default()
    }
}

/// The bench over streamable HTTP on 127.0.0.1; returns the URL and the `Authorization`
/// headers it received.
pub async fn http_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let service = StreamableHttpService::new(|| Ok(Bench::new()), LocalSessionManager::default().into(), StreamableHttpServerConfig::default());
    let record = seen.clone();
    let router = axum::Router::new().nest_service("/mcp", service).layer(middleware::from_fn(move |request: Request, next: Next| {
        let record = record.clone();
        async move {
            if let Some(value) = request.headers().get("authorization").and_then(|v| v.to_str().ok()) {
                record.lock().expect("no test panics while holding the record").push(value.to_string());
            }
            next.run(request).await
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("loopback has free ports");
    let address = listener.local_addr().expect("a bound listener has an address");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("the test server runs until the test ends") });
    (format!("http://{address}/mcp"), seen)
}
