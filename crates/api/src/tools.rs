//! Listing a score's tools as their servers report them (`ensemble tools`, and the inspector's
//! "Test connection" later): every player's servers are started or reached, asked for their
//! tools, and stopped again.
//!
//! Starting a stdio server runs a program and reaching a keyed URL sends a key, so this waits
//! for trust exactly as performing does: an untrusted score starts nothing.

use std::path::Path;

use ensemble_instruments::tools::{ToolSpec, Toolbox};
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
    let workspace = score_dir.join(score.context.workspace.as_deref().unwrap_or("."));
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
