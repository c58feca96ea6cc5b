//! A player's tool servers, connected: started or reached once per performance, their tools
//! listed once, called with a timeout and a cap on the result, and stopped with the performance.
//!
//! Everything a server says is bounded: starting and listing within the call timeout, each call
//! within it, each stdio message line by [`super::stdio::MAX_LINE_BYTES`] and each HTTP event by
//! the SDK's event limit; a result is cut to the player's output cap before anyone sees it. A
//! server that dies is reported on the call that finds it dead, never as a panic.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use ensemble_score::{Approval, ToolServer, Tools};
use rmcp::model::{CallToolRequestParams, ClientCapabilities, ClientConfig, Implementation, Tool};
use rmcp::service::{RoleClient, RunningService, ServiceError};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{ServiceExt, transport::async_rw::AsyncRwTransport};
use tokio::sync::Mutex;

use super::stdio;
use crate::process_group::Group;
use crate::{describe_key, http, resolve_key};

/// Largest SSE event an HTTP tool server may send, as the stdio line bound.
const MAX_HTTP_EVENT_BYTES: usize = stdio::MAX_LINE_BYTES;

/// One tool as a model is offered it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ToolSpec {
    /// The name the model calls it by: `server__tool`, in the characters every chat API accepts.
    pub name: String,
    /// The server's id in the score.
    pub server: String,
    /// The tool's own name on its server.
    pub tool: String,
    pub description: String,
    /// The JSON Schema of its arguments, as the server gave it.
    #[ts(type = "unknown")]
    pub input_schema: serde_json::Value,
    /// A person approves each call.
    pub ask: bool,
}

impl ToolSpec {
    /// `server.tool`, as events and displays name it.
    pub fn label(&self) -> String {
        format!("{}.{}", self.server, self.tool)
    }
}

/// The limits of one player's tool use, with the score's defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToolLimits {
    pub max_calls: u32,
    pub timeout: Duration,
    pub max_output_bytes: usize,
}

impl ToolLimits {
    pub fn of(tools: &Tools) -> ToolLimits {
        ToolLimits {
            max_calls: tools.max_calls.unwrap_or(Tools::DEFAULT_MAX_CALLS),
            timeout: Duration::from_secs(tools.timeout_secs.unwrap_or(Tools::DEFAULT_TIMEOUT_SECS)),
            max_output_bytes: usize::try_from(tools.max_output_bytes.unwrap_or(Tools::DEFAULT_MAX_OUTPUT_BYTES)).unwrap_or(usize::MAX),
        }
    }
}

/// What a call gave: the text handed to the model, and whether the tool said it failed.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolResult {
    pub text: String,
    /// The server marked the result as an error (the model is told; the call itself worked).
    pub is_error: bool,
    /// The result was longer than the cap and was cut; `text` says so at its end.
    pub cut: bool,
}

pub(super) struct Server {
    id: String,
    pub(super) client: RunningService<RoleClient, ClientConfig>,
    /// The program's group, for a stdio server; `None` for one at a URL.
    group: Option<Group>,
}

/// One player's connected tool servers and the tools it may call on them.
pub struct Toolbox {
    servers: Vec<Mutex<Option<Server>>>,
    by_id: HashMap<String, usize>,
    tools: Vec<ToolSpec>,
    limits: ToolLimits,
}

impl std::fmt::Debug for Toolbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Toolbox").field("tools", &self.tools).field("limits", &self.limits).finish()
    }
}

impl Toolbox {
    /// Starts or reaches every server of `tools` and lists the tools the player may call. On any
    /// failure the servers already started are stopped again and the message says which failed.
    pub async fn open(tools: &Tools, workspace: &Path) -> Result<Arc<Toolbox>, String> {
        let limits = ToolLimits::of(tools);
        let mut servers = Vec::new();
        let mut specs = Vec::new();
        for settings in &tools.servers {
            match connect(settings, workspace, limits.timeout).await {
                Ok((server, listed)) => {
                    servers.push(server);
                    match offered(settings, listed) {
                        Ok(mut found) => specs.append(&mut found),
                        Err(e) => {
                            stop_all(servers).await;
                            return Err(e);
                        }
                    }
                }
                Err(e) => {
                    stop_all(servers).await;
                    return Err(format!("tool server `{}`: {e}", settings.id));
                }
            }
        }
        let by_id = servers.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        let servers = servers.into_iter().map(|s| Mutex::new(Some(s))).collect();
        Ok(Arc::new(Toolbox { servers, by_id, tools: specs, limits }))
    }

    pub fn tools(&self) -> &[ToolSpec] {
        &self.tools
    }

    pub fn limits(&self) -> ToolLimits {
        self.limits
    }

    /// The tool a model named, if the player may call it.
    pub fn find(&self, name: &str) -> Option<&ToolSpec> {
        self.tools.iter().find(|t| t.name == name)
    }

    /// Calls `spec` with `arguments`, within the timeout, and caps its result. `Err` says why
    /// there is no result (timed out, server gone, protocol error); it is for the model too.
    pub async fn call(&self, spec: &ToolSpec, arguments: serde_json::Map<String, serde_json::Value>) -> Result<ToolResult, String> {
        let Some(&index) = self.by_id.get(&spec.server) else {
            return Err(format!("there is no tool server `{}`", spec.server));
        };
        let peer = {
            let guard = self.servers[index].lock().await;
            match guard.as_ref() {
                Some(server) => server.client.peer().clone(),
                None => return Err(format!("tool server `{}` was stopped", spec.server)),
            }
        };
        let request = CallToolRequestParams::new(spec.tool.clone()).with_arguments(arguments);
        let result = match tokio::time::timeout(self.limits.timeout, peer.call_tool(request)).await {
            Err(_) => return Err(format!("{} did not answer within {} (the tool timeout)", spec.label(), http::duration_words(self.limits.timeout))),
            Ok(Err(e)) => return Err(service_error(&spec.label(), &e)),
            Ok(Ok(result)) => result,
        };
        let mut text = String::new();
        for block in &result.content {
            match block.as_text() {
                Some(t) => text.push_str(&t.text),
                None => text.push_str("[non-text content left out]"),
            }
            text.push('\n');
        }
        if result.content.is_empty()
            && let Some(structured) = &result.structured_content
        {
            text = structured.to_string();
        }
        let text = text.trim_end_matches('\n').to_string();
        let (text, cut) = cap(text, self.limits.max_output_bytes);
        Ok(ToolResult { text, is_error: result.is_error.unwrap_or(false), cut })
    }

    /// Stops every server: a stdio server's whole group ends, an HTTP session is closed.
    pub async fn close(&self) {
        let mut taken = Vec::new();
        for slot in &self.servers {
            if let Some(server) = slot.lock().await.take() {
                taken.push(server);
            }
        }
        stop_all(taken).await;
    }
}

/// `text` cut to at most `max` bytes (at a character boundary), with a note of the cut.
pub fn cap(text: String, max: usize) -> (String, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let total = text.len();
    (format!("{}\n[result cut at {max} of {total} bytes: the tool's output cap]", &text[..end]), true)
}

fn service_error(label: &str, error: &ServiceError) -> String {
    match error {
        ServiceError::McpError(e) => format!("{label} refused the call: {}", e.message),
        ServiceError::TransportClosed | ServiceError::TransportSend(_) => {
            format!("the server of {label} stopped (its connection closed during the call)")
        }
        ServiceError::Timeout { .. } => format!("{label} did not answer in time"),
        other => format!("{label} failed: {other}"),
    }
}

fn client_config() -> ClientConfig {
    ClientConfig::new(ClientCapabilities::default(), Implementation::new("ensemble-studio", env!("CARGO_PKG_VERSION")))
}

/// Starts or reaches one server and lists its tools, within `timeout` for each step.
pub(super) async fn connect(settings: &ToolServer, workspace: &Path, timeout: Duration) -> Result<(Server, Vec<Tool>), String> {
    let id = settings.id.clone();
    let (client, group) = match (&settings.program, &settings.url) {
        (Some(program), _) => {
            let started = stdio::start(settings, program, workspace)?;
            let mut group = started.group;
            let transport = AsyncRwTransport::new_client(started.stdout, started.stdin);
            match tokio::time::timeout(timeout, client_config().serve(transport)).await {
                Ok(Ok(client)) => (client, Some(group)),
                Ok(Err(e)) => {
                    group.stop().await;
                    return Err(format!("{program} did not start speaking MCP: {e}"));
                }
                Err(_) => {
                    group.stop().await;
                    return Err(format!("{program} did not start speaking MCP within {}", http::duration_words(timeout)));
                }
            }
        }
        (None, Some(url)) => {
            let mut config = StreamableHttpClientTransportConfig::with_uri(url.clone()).max_sse_event_size(MAX_HTTP_EVENT_BYTES);
            if let Some(key) = &settings.key {
                http::check_key_transport(url, url).map_err(|e| e.message)?;
                let secret = resolve_key(key).map_err(|e| format!("no key for {url} ({}): {e}", describe_key(key)))?;
                config = config.auth_header(secret);
            }
            install_crypto();
            let transport = StreamableHttpClientTransport::from_config(config);
            match tokio::time::timeout(timeout, client_config().serve(transport)).await {
                Ok(Ok(client)) => (client, None),
                Ok(Err(e)) => return Err(format!("could not speak MCP with {url}: {e}")),
                Err(_) => return Err(format!("{url} did not answer within {}", http::duration_words(timeout))),
            }
        }
        (None, None) => return Err("the server has neither a `program` nor a `url`".into()),
    };
    let mut server = Server { id, client, group };
    let listed = match tokio::time::timeout(timeout, server.client.peer().list_all_tools()).await {
        Ok(Ok(tools)) => tools,
        Ok(Err(e)) => {
            let message = format!("listing its tools failed: {}", service_error("the server", &e));
            stop(&mut server).await;
            return Err(message);
        }
        Err(_) => {
            stop(&mut server).await;
            return Err(format!("it did not list its tools within {}", http::duration_words(timeout)));
        }
    };
    Ok((server, listed))
}

/// The tools of `settings` the player may call, with their approval settled. A tool named in
/// `allow` that the server does not offer is a mistake in the score, said as such.
fn offered(settings: &ToolServer, listed: Vec<Tool>) -> Result<Vec<ToolSpec>, String> {
    for wanted in &settings.allow {
        if !listed.iter().any(|t| t.name == *wanted) {
            let names: Vec<&str> = listed.iter().map(|t| t.name.as_ref()).collect();
            return Err(format!(
                "tool server `{}` offers no tool `{wanted}` (it offers: {})",
                settings.id,
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ));
        }
    }
    Ok(listed
        .into_iter()
        .filter(|t| settings.allows(&t.name))
        .map(|t| {
            let ask = settings.asks(&t.name, default_approval(&t));
            ToolSpec {
                name: model_name(&settings.id, &t.name),
                server: settings.id.clone(),
                tool: t.name.to_string(),
                description: t.description.as_deref().unwrap_or_default().to_string(),
                input_schema: serde_json::Value::Object((*t.input_schema).clone()),
                ask,
            }
        })
        .collect())
}

/// Whether the server marks `tool` as only reading and not destructive: the one case a call
/// runs without asking when the score says nothing. An unmarked tool may change things.
pub fn is_read_only(tool: &Tool) -> bool {
    tool.annotations.as_ref().is_some_and(|a| a.read_only_hint == Some(true) && a.destructive_hint != Some(true))
}

/// The approval a call of `tool` gets when the score names none: it runs if the server marks it
/// read-only, else it asks.
pub(crate) fn default_approval(tool: &Tool) -> Approval {
    if is_read_only(tool) { Approval::Allow } else { Approval::Ask }
}

/// `server__tool`, with any character a chat API would refuse replaced by `_`, at most 64 long.
pub fn model_name(server: &str, tool: &str) -> String {
    let name: String = format!("{server}__{tool}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' })
        .collect();
    name.chars().take(64).collect()
}

pub(super) async fn stop(server: &mut Server) {
    let _ = tokio::time::timeout(Duration::from_secs(2), server.client.close()).await;
    if let Some(group) = &mut server.group {
        group.stop().await;
    }
}

async fn stop_all(servers: Vec<Server>) {
    for mut server in servers {
        stop(&mut server).await;
    }
}

/// The HTTP client of tool servers uses rustls without a built-in crypto provider; ring, which
/// the model instruments' TLS already uses, is installed once for the process.
fn install_crypto() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Fails only when a provider is installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

#[cfg(test)]
mod tests {
    use super::{cap, model_name};

    #[test]
    fn a_result_over_the_cap_is_cut_at_a_character_and_says_so() {
        assert_eq!(cap("short".into(), 10), ("short".to_string(), false));
        let (text, cut) = cap("ab€cd".into(), 3);
        assert!(cut);
        assert!(text.starts_with("ab\n"), "the euro sign (3 bytes) does not fit after `ab`: {text}");
        assert!(text.ends_with("[result cut at 3 of 7 bytes: the tool's output cap]"), "{text}");
    }

    #[test]
    fn model_names_keep_to_what_chat_apis_accept() {
        assert_eq!(model_name("files", "read_file"), "files__read_file");
        assert_eq!(model_name("web", "search.v2/beta"), "web__search_v2_beta");
        assert_eq!(model_name("s", &"x".repeat(100)).len(), 64);
    }
}
