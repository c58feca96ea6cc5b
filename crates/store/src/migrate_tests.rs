//! A store file written before events moved to a rowid table (schema version 5) and then to
//! batches (version 7) opens with every event kept, in order, and goes on as any store does.

use ensemble_conductor::{Event, EventKind};
use rusqlite::{Connection, params};

use super::STEPS;
use crate::Store;

fn token(seq: u64, text: &str) -> Event {
    Event {
        seq,
        at_ms: 1_700_000_000_000 + seq,
        kind: EventKind::Token {
            player: "a".into(),
            text: text.into(),
        },
    }
}

/// Writes a version-5 file with two performances: `A` with `a_events` tokens, `B` with two.
fn version_5_file(path: &std::path::Path, a_events: u64) {
    let mut conn = Connection::open(path).expect("a new SQLite file opens");
    // The file as this build's first five steps made it, as a version-5 build did.
    let tx = conn.transaction().expect("a transaction opens");
    for step in &STEPS[..5] {
        tx.execute_batch(step).expect("a step of the version-5 schema runs");
    }
    tx.pragma_update(None, "user_version", 5).expect("the version is set");
    tx.commit().expect("the version-5 schema is made");
    for id in ["A", "B"] {
        conn.execute(
            "INSERT INTO performances (id, title, score_toml, offline, seed, started_ms, owner_pid, owner_boot)
             VALUES (?1, 'old', 'format = 1', 1, 0, 1, 1, '')",
            [id],
        )
        .expect("a performance row is written");
    }
    let mut insert = conn
        .prepare("INSERT INTO events (performance_id, seq, at_ms, type, player, json) VALUES (?1, ?2, ?3, 'token', 'a', ?4)")
        .expect("the insert is prepared");
    // Written out of order, as two performances recorded at once interleave their rows.
    for seq in (1..=a_events).rev() {
        let event = token(seq, &format!("a{seq} "));
        let json = serde_json::to_string(&event).expect("an event is JSON");
        insert
            .execute(params!["A", seq as i64, event.at_ms as i64, json])
            .expect("an event row is written");
    }
    for seq in 1..=2 {
        let json = serde_json::to_string(&token(seq, "b")).expect("an event is JSON");
        insert
            .execute(params!["B", seq as i64, 1_i64, json])
            .expect("an event row is written");
    }
}

#[test]
fn a_version_5_file_keeps_every_event_in_order_and_appends_go_on() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("old.sqlite3");
    version_5_file(&path, 300);

    let store = Store::open(&path).expect("a version-5 store opens and is migrated");
    let expected: Vec<Event> = (1..=300)
        .map(|seq| token(seq, &format!("a{seq} ")))
        .collect();
    assert_eq!(
        store.events("A").expect("A is still there"),
        expected,
        "every event of A, in seq order"
    );
    assert_eq!(
        store.events("B").expect("B is still there").len(),
        2,
        "B keeps its own events, not A's"
    );

    // The moved log goes on: the next seq is taken, a seq already recorded is refused.
    store
        .claim("A")
        .expect("A is unfinished and nobody conducts it");
    let mut journal = store.journal("A").expect("A has a journal");
    journal
        .append(&token(301, "more"))
        .expect("the next seq is appended after the moved ones");
    assert!(
        journal.append(&token(300, "again")).is_err(),
        "the log stays append-only after the move"
    );
    assert!(
        journal.append(&token(303, "skipped one")).is_err(),
        "the log keeps no gap after the move"
    );
    assert_eq!(store.events("A").expect("A is readable").len(), 301);

    let conn = Connection::open(&path).expect("the file opens");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("the version is readable");
    assert!(
        version >= 6,
        "the file was migrated past step 6, at {version}"
    );
    let (type_, player): (String, String) = conn
        .query_row(
            "SELECT json_extract(json, '$.type'), json_extract(json, '$.player') FROM events WHERE performance_id = 'A' AND seq = 301",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the type and player are in the JSON");
    assert_eq!((type_.as_str(), player.as_str()), ("token", "a"));
}

#[test]
fn deleting_a_performance_deletes_its_events_and_no_others() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("old.sqlite3");
    version_5_file(&path, 5);
    drop(Store::open(&path).expect("the store is migrated"));

    let conn = Connection::open(&path).expect("the file opens");
    conn.execute("DELETE FROM performances WHERE id = 'A'", [])
        .expect("a performance can be deleted");
    let left: Vec<(String, i64)> = conn
        .prepare("SELECT performance_id, COUNT(*) FROM events GROUP BY performance_id")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .expect("the events are countable");
    assert_eq!(
        left,
        vec![("B".to_string(), 2)],
        "A's five events went with it, B's two stayed"
    );
}
