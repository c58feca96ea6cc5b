//! Surveying one tool server: everything it offers, before a score chooses among it.
//!
//! A player's [`super::Toolbox`] offers only the tools its score allows, with their approval
//! settled. Choosing those needs the other view: every tool the server offers, with what the
//! server says about it (reads only, may destroy) and the approval that implies when the score
//! says nothing. The server is started or reached as for a performance, asked, and stopped again
//! at once; each step is bounded by the player's tool timeout.

use std::path::Path;
use std::time::Duration;

use ensemble_score::{Approval, ToolServer};
use serde::Serialize;
use ts_rs::TS;

use super::toolbox::{connect, default_approval, stop};

/// One tool as its server offers it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OfferedTool {
    /// The tool's own name on its server (what `allow` and `approval` name).
    pub name: String,
    pub description: String,
    /// The server says the tool does not change anything; unset when it does not say.
    pub read_only: Option<bool>,
    /// The server says the tool may destroy what it changes; unset when it does not say.
    pub destructive: Option<bool>,
    /// What a player gets for this tool when its score names no approval: `allow` only for a tool
    /// the server marks read-only and not destructive.
    pub default_approval: Approval,
}

/// What a server said about itself and its tools.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Survey {
    /// The name and version the server gave when the connection opened, if any.
    pub server_info: Option<String>,
    /// Every tool it offers, in its order.
    pub tools: Vec<OfferedTool>,
}

/// Starts or reaches `server` (its `allow` list is not applied), lists every tool it offers, and
/// stops it. `Err` says which step failed, within `timeout` per step.
pub async fn survey(server: &ToolServer, workspace: &Path, timeout: Duration) -> Result<Survey, String> {
    let (mut connected, listed) = connect(server, workspace, timeout).await?;
    let server_info = connected.client.peer().peer_info().and_then(|info| {
        let implementation = info.server_info.as_ref()?;
        Some(if implementation.version.is_empty() { implementation.name.clone() } else { format!("{} {}", implementation.name, implementation.version) })
    });
    stop(&mut connected).await;
    let tools = listed
        .into_iter()
        .map(|tool| OfferedTool {
            default_approval: default_approval(&tool),
            read_only: tool.annotations.as_ref().and_then(|a| a.read_only_hint),
            destructive: tool.annotations.as_ref().and_then(|a| a.destructive_hint),
            description: tool.description.as_deref().unwrap_or_default().to_string(),
            name: tool.name.to_string(),
        })
        .collect();
    Ok(Survey { server_info, tools })
}
