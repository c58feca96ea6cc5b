//! The store against real SQLite files in a temporary folder.

use std::path::Path;

use ensemble_conductor::{Event, EventKind, Outcome};
use ensemble_instruments::Usage;
use ensemble_store::{NewPerformance, Status, Store, StoreError};

fn performance(id: &str) -> NewPerformance {
    NewPerformance {
        id: id.to_string(),
        title: format!("score {id}"),
        score_path: Some("/tmp/x.score.toml".into()),
        score_toml: "format = 1\ntitle = \"x\"\n".into(),
        offline: true,
        seed: 7,
    }
}

fn event(seq: u64, kind: EventKind) -> Event {
    Event { seq, at_ms: 1_700_000_000_000 + seq, kind }
}

fn finished(seq: u64, player: &str, input: u64, output: u64, cost: f64) -> Event {
    event(
        seq,
        EventKind::PlayerFinished {
            player: player.into(),
            chorus: 1,
            output: format!("{player} output"),
            usage: Usage { input_tokens: input, output_tokens: output },
            cost_usd: cost,
            elapsed_ms: 12,
        },
    )
}

fn a_whole_performance(id: &str) -> Vec<Event> {
    vec![
        event(
            1,
            EventKind::PerformanceStarted {
                performance: id.into(),
                title: "t".into(),
                context_version: "abc".into(),
                players: vec!["a".into(), "b".into()],
                offline: true,
                resumed: false,
            },
        ),
        event(
            2,
            EventKind::PlayerCued {
                player: "a".into(),
                chorus: 1,
                context_version: "abc".into(),
                instrument: "rehearsal".into(),
                rehearsal: true,
                handoffs: vec![],
            },
        ),
        event(3, EventKind::Token { player: "a".into(), text: "hel".into() }),
        finished(4, "a", 10, 5, 0.25),
        event(5, EventKind::CueFired { from: "a".into(), to: "b".into(), count: 1 }),
        event(
            6,
            EventKind::PlayerFailed {
                player: "b".into(),
                chorus: 1,
                error: "boom".into(),
                partial_output: "par".into(),
                usage: Usage { input_tokens: 3, output_tokens: 1 },
                elapsed_ms: 4,
            },
        ),
        event(
            7,
            EventKind::PerformanceFinished {
                outcome: Outcome::Failed,
                reason: Some("b failed".into()),
                usage: Usage { input_tokens: 13, output_tokens: 6 },
                cost_usd: 0.25,
                elapsed_ms: 30,
            },
        ),
    ]
}

fn user_version(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

/// A pid that certainly belonged to a process that has ended (spawned, then reaped).
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().expect("`true` exists on every test machine");
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn events_round_trip_and_summary_follows_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/perf.sqlite3");
    let store = Store::open(&path).unwrap();
    store.begin(&performance("p1")).unwrap();
    let events = a_whole_performance("p1");
    let mut journal = store.journal("p1").unwrap();
    for e in &events[..4] {
        journal.append(e).unwrap();
    }
    let midway = store.summary("p1").unwrap();
    assert_eq!(midway.status, Status::Running, "this process owns it and is alive");
    assert_eq!(midway.tokens, 15);
    assert_eq!(midway.outcome, None);
    for e in &events[4..] {
        journal.append(e).unwrap();
    }

    assert_eq!(store.events("p1").unwrap(), events);
    let list = store.list().unwrap();
    assert_eq!(list.len(), 1);
    let s = &list[0];
    assert_eq!(s.id, "p1");
    assert_eq!(s.title, "score p1");
    assert_eq!(s.status, Status::Finished);
    assert_eq!(s.outcome.as_deref(), Some("failed"));
    assert_eq!(s.tokens, 19);
    assert!((s.cost_usd - 0.25).abs() < 1e-9);
    assert_eq!(s.finished_ms, Some(1_700_000_000_007));
    assert_eq!((s.offline, s.seed), (true, 7));
    assert_eq!(store.score_toml("p1").unwrap(), performance("p1").score_toml);
}

#[test]
fn a_seq_already_recorded_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    store.begin(&performance("p")).unwrap();
    let mut journal = store.journal("p").unwrap();
    let e = a_whole_performance("p").remove(0);
    journal.append(&e).unwrap();
    assert!(journal.append(&e).is_err(), "an event log is append-only");
    assert_eq!(store.events("p").unwrap().len(), 1);
}

#[test]
fn unknown_ids_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    assert!(matches!(store.summary("nope"), Err(StoreError::NotFound(id)) if id == "nope"));
    assert!(matches!(store.events("nope"), Err(StoreError::NotFound(_))));
    assert!(matches!(store.journal("nope"), Err(StoreError::NotFound(_))));
    assert!(matches!(store.claim("nope"), Err(StoreError::NotFound(_))));
}

#[test]
fn a_new_file_is_migrated_and_a_newer_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    drop(Store::open(&path).unwrap());
    assert_eq!(user_version(&path), 2, "a new file gets every schema step");

    let newer = dir.path().join("newer.sqlite3");
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let err = Store::open(&newer).err().expect("a newer schema must be refused").to_string();
    assert!(err.contains("newer version") && err.contains("99"), "{err}");
    assert_eq!(user_version(&newer), 99, "a refused file is left as it was");
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.sqlite3");
    let junk = b"this is certainly not an SQLite database, just some text long enough to fill a header".repeat(20);
    std::fs::write(&path, &junk).unwrap();
    let err = Store::open(&path).err().expect("junk must be refused").to_string();
    assert!(err.contains("not a performance store"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), junk, "the file is not touched");
}

#[test]
fn reopening_keeps_everything_and_appends_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let events = a_whole_performance("p");
    {
        let store = Store::open(&path).unwrap();
        store.begin(&performance("p")).unwrap();
        let mut journal = store.journal("p").unwrap();
        for e in &events[..3] {
            journal.append(e).unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.events("p").unwrap(), events[..3]);
    let mut journal = store.journal("p").unwrap();
    for e in &events[3..] {
        journal.append(e).unwrap();
    }
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.events("p").unwrap(), events);
    assert_eq!(store.summary("p").unwrap().status, Status::Finished);
}

#[test]
fn status_is_running_finished_or_interrupted_and_only_interrupted_can_be_claimed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let store = Store::open(&path).unwrap();
    for id in ["alive", "dead", "done"] {
        store.begin(&performance(id)).unwrap();
    }
    let mut done = store.journal("done").unwrap();
    for e in a_whole_performance("done") {
        done.append(&e).unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE performances SET owner_pid = ?1 WHERE id = 'dead'", [dead_pid()]).unwrap();

    let status = |id: &str| store.summary(id).unwrap().status;
    assert_eq!(status("alive"), Status::Running);
    assert_eq!(status("dead"), Status::Interrupted);
    assert_eq!(status("done"), Status::Finished);

    let refused = store.claim("alive").unwrap_err().to_string();
    assert!(refused.contains("still running"), "{refused}");
    let refused = store.claim("done").unwrap_err().to_string();
    assert!(refused.contains("already finished (failed)"), "{refused}");
    store.claim("dead").unwrap();
    assert_eq!(status("dead"), Status::Running, "the claiming process now owns it");
}

#[test]
fn a_different_boot_means_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let store = Store::open(&path).unwrap();
    store.begin(&performance("p")).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE performances SET owner_boot = 'some other boot'", []).unwrap();
    assert_eq!(store.summary("p").unwrap().status, Status::Interrupted);
}

#[test]
fn two_performances_append_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let store = Store::open(&path).unwrap();
    store.begin(&performance("x")).unwrap();
    store.begin(&performance("y")).unwrap();
    const N: u64 = 300;
    std::thread::scope(|scope| {
        for id in ["x", "y"] {
            // Each thread opens the file on its own, as a second process would.
            let path = path.clone();
            scope.spawn(move || {
                let store = Store::open(&path).unwrap();
                let mut journal = store.journal(id).unwrap();
                for seq in 1..=N {
                    journal.append(&finished(seq, id, seq, 1, 0.0)).unwrap();
                }
            });
        }
    });
    for id in ["x", "y"] {
        let events = store.events(id).unwrap();
        assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=N).collect::<Vec<_>>());
        assert!(events.iter().all(|e| matches!(&e.kind, EventKind::PlayerFinished { player, .. } if player == id)));
        assert_eq!(store.summary(id).unwrap().tokens, (1..=N).sum::<u64>() + N);
    }
}

#[test]
fn trusted_programs_are_remembered_across_reopening_and_only_for_their_fingerprint() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let path = dir.path().join("store.sqlite3");
    let store = Store::open(&path).expect("a new store opens");
    assert!(!store.programs_trusted("sha256:aaaa").expect("asking works"), "nothing is trusted at first");
    store.trust_programs("sha256:aaaa", Some("/scores/x.score.toml")).expect("trusting works");
    store.trust_programs("sha256:aaaa", None).expect("trusting twice is fine");
    drop(store);
    let store = Store::open(&path).expect("the store opens again");
    assert!(store.programs_trusted("sha256:aaaa").expect("asking works"));
    assert!(!store.programs_trusted("sha256:bbbb").expect("asking works"), "another set of programs is not trusted");
}
