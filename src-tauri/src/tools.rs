//! "Test connection" for a player's tool server in the inspector: a thin adapter over
//! `ensemble_api::tools::test_server`, which tests the score as edited (not as saved) and keeps
//! the trust rules of performing. The score's path says which folder it reads from.

use std::path::Path;

use ensemble_api::folder;
use ensemble_api::tools::{self, ServerTest};
use ensemble_score::Score;
use tauri::State;

use crate::error::UiResult;
use crate::studio::Studio;

/// Starts or reaches tool server `server` of `player`, lists every tool it offers, and stops it.
#[tauri::command]
pub async fn test_tool_server(
    studio: State<'_, Studio>,
    score: Score,
    path: Option<String>,
    player: String,
    server: String,
) -> UiResult<ServerTest> {
    let store = studio.store()?;
    let dir = folder::of(path.as_deref().map(Path::new));
    Ok(tools::test_server(&store, &score, &dir, &player, &server).await?)
}
