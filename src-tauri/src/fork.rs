//! Forking a recorded performance from the studio: a thin adapter over `ensemble_api::fork`. The
//! fork is staged and conducted exactly as `perform` does (the same stage, channel and controls).

use std::path::PathBuf;

use ensemble_api::bounds::AttemptBounds;
use ensemble_api::fork::ForkRequest;
use ensemble_conductor::Event;
use tauri::ipc::Channel;
use tauri::{AppHandle, State, WebviewWindow};

use crate::error::UiResult;
use crate::studio::{Studio, blocking};

/// Re-runs performance `id` from `player` as a new performance and returns its id at once; its
/// events stream over `on_event` like a performance's (the players before `player` arrive as
/// `player_carried`). Plays the score recorded with `id`, or the score file at `score_path` as it
/// is now when given. Refuses an unknown player, a score with problems, bounds out of range and,
/// unless `offline`, a score that is not trusted.
// A command takes what Tauri injects (app, window, state, channel) beside its own arguments.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn fork_performance(
    app: AppHandle,
    window: WebviewWindow,
    studio: State<'_, Studio>,
    id: String,
    player: String,
    offline: bool,
    score_path: Option<String>,
    bounds: AttemptBounds,
    on_event: Channel<Vec<Event>>,
) -> UiResult<String> {
    let limits = bounds.limits()?;
    let store = studio.store()?;
    let request = ForkRequest { performance: id, player, score_file: score_path.map(PathBuf::from) };
    let staged = blocking(move || Ok(ensemble_api::fork::fork(&store, &request, offline)?)).await?;
    Ok(crate::perform::start(app, &window, &studio, staged.with_limits(limits), on_event))
}
