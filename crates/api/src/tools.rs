//! Listing a score's tools as their servers report them (`ensemble tools`), and testing one
//! server of one player (the inspector's "Test connection"): servers are started or reached,
//! asked for their tools, and stopped again.
//!
//! Starting a stdio server runs a program and reaching a keyed URL sends a key, so this waits
//! for trust exactly as performing does: an untrusted score starts nothing, and a key goes only
//! to a host the user allowed for it.

use std::path::Path;

use ensemble_instruments::tools::{OfferedTool, Survey, ToolLimits, ToolSpec, Toolbox};
use ensemble_score::Score;
use ensemble_store::Store;
use serde::Serialize;
use ts_rs::TS;

use crate::{ApiError, trust};

/// One player's tools, or why its servers could not be asked.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlayerTools {
    pub player: String,
    /// The tools the player may call, as offered to its model, with their approval settled.
    pub tools: Vec<ToolSpec>,
    /// Which server could not be started, reached or asked, and why.
    pub error: Option<String>,
}

/// The tools of every player that has any, in score order, for the score in `score_dir`.
/// Refused (nothing started) unless the score is trusted.
pub async fn list(store: &Store, score: &Score, score_dir: &Path) -> Result<Vec<PlayerTools>, ApiError> {
    let problems = ensemble_score::validate(score, Some(score_dir));
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    trust::ensure(store, score, score_dir)?;
    let workspace = workspace(score, score_dir);
    let mut out = Vec::new();
    for player in score.players.iter().filter(|p| !p.tools.servers.is_empty()) {
        let listed = match Toolbox::open(&player.tools, &workspace).await {
            Ok(toolbox) => {
                let tools = toolbox.tools().to_vec();
                toolbox.close().await;
                PlayerTools { player: player.id.clone(), tools, error: None }
            }
            Err(error) => PlayerTools { player: player.id.clone(), tools: Vec::new(), error: Some(error) },
        };
        out.push(listed);
    }
    Ok(out)
}

/// What testing one tool server found: every tool it offers, whatever the player's `allow` says,
/// so a person can choose among them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ServerTest {
    pub player: String,
    /// The server's id in the score.
    pub server: String,
    /// The name and version the server gave when the connection opened, if any.
    pub server_info: Option<String>,
    /// Every tool it offers, in its order.
    pub tools: Vec<OfferedTool>,
}

/// Starts or reaches the tool server `server` of `player` in `score` (the score as edited, in
/// `score_dir`), lists every tool it offers, and stops it; each step within the player's tool
/// timeout. A server with a program runs only once the score is trusted; a server at a URL with
/// a key gets it only when the user allowed that key to go to that host.
pub async fn test_server(store: &Store, score: &Score, score_dir: &Path, player: &str, server: &str) -> Result<ServerTest, ApiError> {
    let problems = ensemble_score::validate(score, Some(score_dir));
    if !problems.is_empty() {
        return Err(ApiError::Invalid { problems });
    }
    let Some(found) = score.players.iter().find(|p| p.id == player) else {
        return Err(ApiError::UnknownPlayer { player: player.into(), players: score.players.iter().map(|p| p.id.clone()).collect() });
    };
    let Some(settings) = found.tools.servers.iter().find(|s| s.id == server) else {
        return Err(ApiError::UnknownToolServer {
            player: player.into(),
            server: server.into(),
            servers: found.tools.servers.iter().map(|s| s.id.clone()).collect(),
        });
    };
    if settings.program.is_some() {
        trust::ensure(store, score, score_dir)?;
    }
    trust::ensure_key_send(store, ensemble_score::tool_key_send(settings))?;
    let workspace = workspace(score, score_dir);
    let timeout = ToolLimits::of(&found.tools).timeout;
    let Survey { server_info, tools } = ensemble_instruments::tools::survey(settings, &workspace, timeout)
        .await
        .map_err(|e| ApiError::Connection(format!("tool server `{server}`: {e}")))?;
    Ok(ServerTest { player: player.into(), server: server.into(), server_info, tools })
}

/// The folder a score's tool servers work in: its workspace, relative to the score's folder.
fn workspace(score: &Score, score_dir: &Path) -> std::path::PathBuf {
    score_dir.join(score.context.workspace.as_deref().unwrap_or("."))
}
