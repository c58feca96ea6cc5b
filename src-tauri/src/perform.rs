//! Performing, resuming and conducting from the studio, and reading recorded performances:
//! thin adapters over `ensemble_api`. A staged performance runs on the async runtime; its events
//! go to the webview over the channel it passed in, each after it was recorded. The control
//! handle of every running performance is kept on the stage so `conduct` can reach it.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use ensemble_api::bounds::AttemptBounds;
use ensemble_api::{PerformRequest, Staged, performances};
use ensemble_conductor::{Command, Event};
use ensemble_score::Score;
use ensemble_store::Summary;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State, WebviewWindow};

use crate::error::UiResult;
use crate::studio::{Playing, Studio, blocking};

/// Starts a performance and returns its id at once; its events stream over `on_event`. Every
/// attempt plays within `bounds` (the studio's settings). Refuses a score with problems, bounds
/// out of range, and a score whose programs are not trusted unless `offline`.
// A command takes what Tauri injects (app, window, state, channel) beside its own arguments.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn perform(
    app: AppHandle,
    window: WebviewWindow,
    studio: State<'_, Studio>,
    score: Score,
    path: Option<String>,
    offline: bool,
    seed: Option<u64>,
    bounds: AttemptBounds,
    on_event: Channel<Vec<Event>>,
) -> UiResult<String> {
    let limits = bounds.limits()?;
    let store = studio.store()?;
    let seed = seed.unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1));
    let request = PerformRequest { score, path: path.map(PathBuf::from), offline, seed };
    let staged = blocking(move || Ok(ensemble_api::perform::begin(&store, request)?)).await?;
    Ok(start(app, &window, &studio, staged.with_limits(limits), on_event))
}

/// Goes on with an interrupted performance from its last finished cue, with the score, seed and
/// rehearsal setting it was recorded with; only the new stretch streams over `on_event` (it opens
/// with `performance_started` and `resumed: true`). Refuses a finished one, one still conducted
/// by a live process, and one whose programs are not trusted (unless it was a rehearsal). Every
/// attempt of the new stretch plays within `bounds`, the studio's settings as they are now.
#[tauri::command]
pub async fn resume_performance(
    app: AppHandle,
    window: WebviewWindow,
    studio: State<'_, Studio>,
    id: String,
    bounds: AttemptBounds,
    on_event: Channel<Vec<Event>>,
) -> UiResult<String> {
    let limits = bounds.limits()?;
    let store = studio.store()?;
    let staged = blocking(move || Ok(ensemble_api::resume::resume(&store, &id)?)).await?;
    Ok(start(app, &window, &studio, staged.with_limits(limits), on_event))
}

/// Keeps the performance's control handle on the stage while it runs and sends the webview its
/// events once recorded, in batches of at most one a frame (a fast stream would otherwise cost
/// the webview a message per token). The window may be gone; the performance goes on and stays
/// recorded, and closing the window cuts it off (see `closing::window_closed`).
pub(crate) fn start(
    app: AppHandle,
    window: &WebviewWindow,
    studio: &Studio,
    staged: Staged,
    on_event: Channel<Vec<Event>>,
) -> String {
    let id = staged.id.clone();
    let playing = Playing { control: staged.control(), window: window.label().to_string() };
    studio.stage.controls().insert(id.clone(), playing);
    let finished = id.clone();
    tauri::async_runtime::spawn(async move {
        staged
            .run_in_frames(ensemble_api::frames::FRAME, move |batch| {
                let _ = on_event.send(batch);
            })
            .await;
        app.state::<Studio>().stage.controls().remove(&finished);
    });
    id
}

/// Hands a running performance a command; false once it has ended.
#[tauri::command]
pub fn conduct(studio: State<'_, Studio>, performance: String, command: Command) -> bool {
    studio.stage.controls().get(&performance).is_some_and(|playing| playing.control.send(command))
}

/// Every recorded performance, newest first.
#[tauri::command]
pub async fn performances(studio: State<'_, Studio>) -> UiResult<Vec<Summary>> {
    let store = studio.store()?;
    blocking(move || Ok(performances::list(&store)?)).await
}

/// Every event of a performance, tokens too: the studio folds them for replay.
#[tauri::command]
pub async fn performance_events(studio: State<'_, Studio>, id: String) -> UiResult<Vec<Event>> {
    let store = studio.store()?;
    blocking(move || Ok(performances::events(&store, &id)?)).await
}
