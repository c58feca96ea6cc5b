//! Resuming, from the studio, a performance whose process died before it finished.
//!
//! Every event was recorded before anyone saw it, so the store holds all that happened: the
//! conductor is handed those events as its prior history and goes on from the last finished
//! cue, appending to the same record. The score played is the one recorded with the
//! performance, not whatever the file says now, so the resumed stretch plays the same piece.

use std::path::Path;

use ensemble_conductor::{Event, Journal, Options};
use ensemble_score::Score;
use ensemble_store::Store;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::error::{UiError, UiResult};
use crate::perform::{Stage, open_store, start};

/// Resumes the interrupted performance `id`; its new events stream over `on_event`.
/// Refuses a finished performance and one still being conducted, saying which.
#[tauri::command]
pub async fn resume_performance(
    app: AppHandle,
    stage: State<'_, Stage>,
    id: String,
    on_event: Channel<Event>,
) -> UiResult<String> {
    let store = open_store()?;
    let (score, options, journal) = prepare(&store, &id)?;
    start(app, &stage, &id, score, options, journal, on_event);
    Ok(id)
}

/// Loads what the conductor needs to go on with `id` and makes this process its owner.
fn prepare(store: &Store, id: &str) -> UiResult<(Score, Options, Box<dyn Journal>)> {
    let summary = store.summary(id)?;
    let text = store.score_toml(id)?;
    // Attached files and the workspace are relative to the score's folder, when it still exists.
    let base_dir = match summary.score_path.as_deref().and_then(|p| Path::new(p).parent()).filter(|dir| dir.is_dir()) {
        Some(dir) => dir.to_path_buf(),
        None => std::env::current_dir().map_err(|e| UiError::new(format!("no folder to perform in: {e}")))?,
    };
    let score = ensemble_score::parse(&text, Some(&base_dir)).map_err(|problems| {
        let listed: Vec<&str> = problems.iter().take(3).map(|p| p.message.as_str()).collect();
        UiError::new(format!("the score recorded with performance {id} no longer loads: {}", listed.join("; ")))
    })?;
    if !summary.offline {
        crate::trust::ensure_trusted(&score)?;
    }
    let prior = store.events(id)?;
    store.claim(id)?;
    let journal = store.journal(id)?;
    let options =
        Options { performance: Some(id.to_string()), base_dir, seed: summary.seed, offline: summary.offline, prior };
    Ok((score, options, journal))
}

#[cfg(test)]
mod tests {
    use ensemble_conductor::{EventKind, JournalError};
    use ensemble_store::{NewPerformance, Status};

    use super::*;
    use crate::perform::conduct_forwarding;

    fn chain(players: &[&str]) -> String {
        let mut text = "format = 1\ntitle = \"Chain\"\n\n[intent]\ngoal = \"Pass a note down the line.\"\n".to_string();
        for id in players {
            text.push_str(&format!(
                "\n[[players]]\nid = \"{id}\"\nname = \"{id}\"\nzone = \"integrator\"\npart = \"Add a line.\"\n\n\
                 [players.instrument]\nkind = \"rehearsal\"\n"
            ));
        }
        for pair in players.windows(2) {
            text.push_str(&format!("\n[[cues]]\nfrom = \"{}\"\nto = \"{}\"\n", pair[0], pair[1]));
        }
        text
    }

    /// Records events until the first player finishes, then nothing: as if the process died there.
    struct CutAfterFirstFinish {
        inner: Box<dyn Journal>,
        cut: bool,
    }

    impl Journal for CutAfterFirstFinish {
        fn append(&mut self, event: &Event) -> Result<(), JournalError> {
            if self.cut {
                return Ok(());
            }
            self.cut = matches!(event.kind, EventKind::PlayerFinished { .. });
            self.inner.append(event)
        }
    }

    /// A pid that certainly belonged to a process that has ended (spawned, then reaped).
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().expect("`true` exists on every test machine");
        let pid = child.id();
        child.wait().expect("a spawned child can be waited for");
        pid
    }

    fn player_of(event: &Event) -> Option<&str> {
        match &event.kind {
            EventKind::PlayerCued { player, .. } | EventKind::PlayerFinished { player, .. } => Some(player),
            _ => None,
        }
    }

    /// Conducts through the same path the studio uses, collecting every forwarded event.
    fn conduct(score: Score, options: Options, journal: Box<dyn Journal>, id: &str) -> Vec<Event> {
        let stage = Stage::default();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        conduct_forwarding(
            &stage,
            id,
            score,
            options,
            journal,
            move |event| {
                let _ = tx.send(event);
            },
            move || {
                let _ = done_tx.send(());
            },
        );
        tauri::async_runtime::block_on(async move {
            done_rx.await.expect("the conductor reports its end");
            let mut events = vec![];
            // The forwarder ends when the conductor drops its subscribers.
            while let Some(event) = rx.recv().await {
                events.push(event);
            }
            events
        })
    }

    #[test]
    fn an_interrupted_performance_resumes_without_replaying_its_finished_player() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let db = dir.path().join("store.sqlite3");
        let store = Store::open(&db).expect("a new store opens");
        let text = chain(&["a", "b", "c"]);
        let score = ensemble_score::parse(&text, Some(dir.path())).expect("the chain is a valid score");
        let id = "01JRESUMEDPERFORMANCE0000A".to_string();
        store
            .begin(&NewPerformance {
                id: id.clone(),
                title: score.title.clone(),
                score_path: Some(dir.path().join("chain.score.toml").display().to_string()),
                score_toml: text.clone(),
                offline: false,
                seed: 7,
            })
            .expect("a performance can begin");

        // The first stretch: only the events up to a's finish reach the store.
        let journal = Box::new(CutAfterFirstFinish { inner: store.journal(&id).expect("journal"), cut: false });
        let options = Options { performance: Some(id.clone()), base_dir: dir.path().to_path_buf(), seed: 7, offline: false, prior: vec![] };
        conduct(score, options, journal, &id);
        let before = store.events(&id).expect("recorded events read back");
        assert!(before.iter().any(|e| matches!(&e.kind, EventKind::PlayerFinished { player, .. } if player == "a")));
        assert!(!before.iter().any(|e| matches!(e.kind, EventKind::PerformanceFinished { .. })), "cut before the end");

        // Its process is gone: refused while it looks alive, resumable once the owner is dead.
        let refused = prepare(&store, &id).err().expect("a performance still owned by a live process is refused");
        assert!(refused.message.contains("still running"), "{}", refused.message);
        rusqlite::Connection::open(&db)
            .expect("the store file opens")
            .execute("UPDATE performances SET owner_pid = ?1 WHERE id = ?2", rusqlite::params![dead_pid(), id])
            .expect("the owner can be rewritten");
        assert_eq!(store.summary(&id).expect("summary").status, Status::Interrupted);

        let (score, options, journal) = prepare(&store, &id).expect("an interrupted performance can be resumed");
        assert_eq!(options.prior, before, "the conductor is handed the whole record");
        let streamed = conduct(score, options, journal, &id);

        let started = streamed
            .iter()
            .position(|e| matches!(e.kind, EventKind::PerformanceStarted { resumed: true, .. }))
            .expect("the resumed stretch says it is resumed");
        let after = &streamed[started..];
        assert!(
            !after.iter().any(|e| matches!(e.kind, EventKind::PlayerCued { .. }) && player_of(e) == Some("a")),
            "a had finished and is not played again: {after:?}"
        );
        assert!(after.iter().any(|e| matches!(e.kind, EventKind::PlayerCued { .. }) && player_of(e) == Some("c")));

        let all = store.events(&id).expect("recorded events read back");
        assert_eq!(all[..before.len()], before[..], "the prior record is kept as it was");
        let seqs: Vec<u64> = all.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, (1..=all.len() as u64).collect::<Vec<_>>(), "seq goes on without gaps");
        for player in ["a", "b", "c"] {
            let times = all
                .iter()
                .filter(|e| matches!(e.kind, EventKind::PlayerFinished { .. }) && player_of(e) == Some(player))
                .count();
            assert_eq!(times, 1, "{player} finished exactly once over both stretches");
        }
        let summary = store.summary(&id).expect("summary");
        assert_eq!((summary.status, summary.outcome.as_deref()), (Status::Finished, Some("succeeded")));

        let again = prepare(&store, &id).err().expect("a finished performance is refused");
        assert!(again.message.contains("already finished"), "{}", again.message);
    }

    #[test]
    fn an_unknown_performance_is_refused_with_its_id() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
        let error = prepare(&store, "01NOSUCHPERFORMANCE").err().expect("nothing to resume");
        assert!(error.message.contains("01NOSUCHPERFORMANCE"), "{}", error.message);
    }
}
