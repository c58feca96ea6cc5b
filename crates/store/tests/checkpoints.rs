//! The write-ahead log is checkpointed on the store's own thread, not in a journal's commit, and
//! starts over once the recording pauses.

use std::path::Path;
use std::time::{Duration, Instant};

use ensemble_conductor::{Event, EventKind};
use ensemble_store::{NewPerformance, Store};

fn performance(id: &str) -> NewPerformance {
    NewPerformance {
        id: id.to_string(),
        title: "big".into(),
        score_path: None,
        score_toml: "format = 1\n".into(),
        offline: true,
        seed: 1,
    }
}

/// A batch of `n` streamed pieces of 64 KiB each, from `first` on.
fn batch(first: u64, n: u64) -> Vec<Event> {
    (first..first + n)
        .map(|seq| Event { seq, at_ms: seq, kind: EventKind::Token { player: "a".into(), text: "x".repeat(64 << 10) } })
        .collect()
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Waits up to a minute for `done`; false if it never held.
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn what_journals_write_reaches_the_database_file_while_the_store_is_open() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("s.sqlite3");
    let store = Store::open(&path).expect("a new store opens");
    store.begin(&performance("p")).expect("the performance is recorded");
    let before = size(&path);
    let mut journal = store.journal("p").expect("the performance has a journal");
    // 4 MiB in batches of 1 MiB: past the point where a checkpoint is asked for.
    for i in 0..4 {
        journal.append_batch(&batch(1 + i * 16, 16)).expect("a batch is committed");
    }
    assert!(
        eventually(|| size(&path) > before + (2 << 20)),
        "the events were copied from the log into the database file ({} bytes, {before} before): nobody checkpointed",
        size(&path)
    );
    assert_eq!(store.events("p").expect("the events are readable").len(), 64);
}

#[test]
fn after_performances_recorded_back_to_back_the_log_starts_over_in_the_first_pause() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("s.sqlite3");
    let wal = dir.path().join("s.sqlite3-wal");
    let store = Store::open(&path).expect("a new store opens");
    // 64 MiB over eight performances, one after another without a pause.
    for p in 0..8 {
        let id = format!("p{p}");
        store.begin(&performance(&id)).expect("the performance is recorded");
        let mut journal = store.journal(&id).expect("the performance has a journal");
        for i in 0..8 {
            journal.append_batch(&batch(1 + i * 16, 16)).expect("a batch is committed");
        }
    }
    assert!(size(&wal) > 48 << 20, "the log grew while recording ({} bytes)", size(&wal));
    // The pause: the checkpoint thread copies what is left, then the next commit starts the log
    // over and cuts its file back.
    assert!(eventually(|| size(&path) > 64 << 20), "the checkpoint thread copied the log into the database");
    // Whatever the thread had still to copy when the file reached that size is copied here, so
    // the log is all in the database before the next commit.
    let by_hand = rusqlite::Connection::open(&path).expect("the file opens");
    by_hand.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())).expect("a checkpoint runs");
    drop(by_hand);
    let grown = size(&wal);
    store.begin(&performance("after")).expect("the next performance is recorded");
    let mut journal = store.journal("after").expect("the performance has a journal");
    for i in 0..8 {
        journal.append_batch(&batch(1 + i * 16, 16)).expect("a batch is committed");
    }
    assert!(size(&wal) <= grown, "the log started over: 8 MiB more went to its start ({} bytes, {grown} before)", size(&wal));
    for p in 0..8 {
        assert_eq!(store.events(&format!("p{p}")).expect("the events are readable").len(), 128, "nothing was lost");
    }
}
