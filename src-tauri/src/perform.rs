//! Performing a score from the studio, conducting it, and reading recorded performances.
//!
//! A performance runs on the async runtime, recorded into the performance store as it goes
//! (the conductor's journal writes each event before anyone sees it), and its events are
//! forwarded to the webview over the channel it passed in. The control handle of every running
//! performance is kept here so `conduct` can reach it; it is dropped when the performance ends.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use ensemble_conductor::{Command, Conductor, Control, Event, Journal, Options};
use ensemble_score::Score;
use ensemble_store::{NewPerformance, Store, Summary};
use tauri::{AppHandle, Manager, State};
use tauri::ipc::Channel;

use crate::error::{UiError, UiResult};
use crate::score_commands::base_dir_of;

/// The running performances' control handles, by performance id.
#[derive(Default)]
pub struct Stage {
    controls: Mutex<HashMap<String, Control>>,
}

impl Stage {
    fn controls(&self) -> std::sync::MutexGuard<'_, HashMap<String, Control>> {
        // A panic while holding this lock cannot leave the map half-changed (each use is a
        // single insert, remove or lookup), so a poisoned lock is still safe to use.
        self.controls.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The performance store: `ENSEMBLE_DB` when set (tests, several profiles), else the user's
/// default file; `Store::open` makes its folder.
pub(crate) fn open_store() -> UiResult<Store> {
    Ok(Store::open(&Store::default_path())?)
}

/// Starts a performance and returns its id at once; its events stream over `on_event`.
/// A score with problems is refused with the first few, since the conductor needs a valid score.
#[tauri::command]
pub async fn perform(
    app: AppHandle,
    stage: State<'_, Stage>,
    score: Score,
    path: Option<String>,
    offline: bool,
    seed: Option<u64>,
    on_event: Channel<Event>,
) -> UiResult<String> {
    let base_dir = match path.as_deref().and_then(base_dir_of) {
        Some(dir) => dir,
        None => std::env::current_dir().map_err(|e| UiError::new(format!("no folder to perform in: {e}")))?,
    };
    let problems = ensemble_score::validate(&score, Some(&base_dir));
    if !problems.is_empty() {
        let listed: Vec<&str> = problems.iter().take(3).map(|p| p.message.as_str()).collect();
        let more = problems.len().saturating_sub(listed.len());
        let mut message = format!("the score cannot be performed until it is fixed: {}", listed.join("; "));
        if more > 0 {
            message.push_str(&format!(" (and {more} more)"));
        }
        return Err(UiError::new(message));
    }

    if !offline {
        crate::trust::ensure_trusted(&score)?;
    }

    let id = ulid::Ulid::new().to_string();
    let seed = seed.unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1));
    let store = open_store()?;
    store.begin(&NewPerformance {
        id: id.clone(),
        title: score.title.clone(),
        score_path: path.clone(),
        score_toml: ensemble_score::to_toml(&score, None)?,
        offline,
        seed,
    })?;
    let journal = store.journal(&id)?;
    let options = Options { performance: Some(id.clone()), base_dir, seed, offline, prior: vec![] };
    start(app, &stage, &id, score, options, journal, on_event);
    Ok(id)
}

/// Conducts a performance the store already holds (new or resumed) on the async runtime: keeps
/// its control handle on the stage while it runs and sends the webview each event as it is recorded.
pub(crate) fn start(
    app: AppHandle,
    stage: &Stage,
    id: &str,
    score: Score,
    options: Options,
    journal: Box<dyn Journal>,
    on_event: Channel<Event>,
) {
    let finished = id.to_string();
    conduct_forwarding(
        stage,
        id,
        score,
        options,
        journal,
        // The window may be gone; the performance goes on and stays recorded.
        move |event| {
            let _ = on_event.send(event);
        },
        move || {
            app.state::<Stage>().controls().remove(&finished);
        },
    );
}

/// The part of `start` that needs no window: `forward` sees every event in order, and `ended`
/// runs once the conductor has finished (after the last event was recorded).
pub(crate) fn conduct_forwarding(
    stage: &Stage,
    id: &str,
    score: Score,
    options: Options,
    journal: Box<dyn Journal>,
    forward: impl Fn(Event) + Send + 'static,
    ended: impl FnOnce() + Send + 'static,
) {
    let mut conductor = Conductor::new(score, options, journal);
    let mut events = conductor.subscribe();
    stage.controls().insert(id.to_string(), conductor.control());

    tauri::async_runtime::spawn(async move {
        while let Some(event) = events.recv().await {
            forward(event);
        }
    });
    tauri::async_runtime::spawn(async move {
        conductor.run().await;
        ended();
    });
}

#[tauri::command]
pub fn conduct(stage: State<'_, Stage>, performance: String, command: Command) -> bool {
    stage.controls().get(&performance).is_some_and(|control| control.send(command))
}

#[tauri::command]
pub fn performances() -> UiResult<Vec<Summary>> {
    Ok(open_store()?.list()?)
}

#[tauri::command]
pub fn performance_events(id: String) -> UiResult<Vec<Event>> {
    Ok(open_store()?.events(&id)?)
}
