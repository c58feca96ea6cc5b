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
                tempo: None,
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
                cost_usd: 0.0,
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
                players: 2,
                never_cued: 0,
                carried: 0,
            },
        ),
    ]
}

fn user_version(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
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
    assert_eq!(midway.status, Status::Running, "this store holds its lock");
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
    assert_eq!(user_version(&path), 7, "a new file gets every schema step");

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
    // The owner of "alive" and "done" lives on; the owner of "dead" is dropped, as a process
    // that died would be.
    let owner = Store::open(&path).unwrap();
    let dying = Store::open(&path).unwrap();
    owner.begin(&performance("alive")).unwrap();
    owner.begin(&performance("done")).unwrap();
    dying.begin(&performance("dead")).unwrap();
    let mut done = owner.journal("done").unwrap();
    for e in a_whole_performance("done") {
        done.append(&e).unwrap();
    }
    drop(dying);

    // Another open of the same file judges them, as another process would.
    let store = Store::open(&path).unwrap();
    let status = |id: &str| store.summary(id).unwrap().status;
    assert_eq!(status("alive"), Status::Running);
    assert_eq!(status("dead"), Status::Interrupted);
    assert_eq!(status("done"), Status::Finished);
    let listed: Vec<(String, Status)> = store.list().unwrap().into_iter().map(|s| (s.id, s.status)).collect();
    assert!(listed.contains(&("dead".to_string(), Status::Interrupted)), "the list judges like the summary: {listed:?}");

    let refused = store.claim("alive").unwrap_err().to_string();
    assert!(refused.contains("still running"), "{refused}");
    let refused = store.claim("done").unwrap_err().to_string();
    assert!(refused.contains("already finished (failed)"), "{refused}");
    store.claim("dead").unwrap();
    assert_eq!(status("dead"), Status::Running, "the claiming store now owns it");
    assert_eq!(owner.summary("dead").unwrap().status, Status::Running, "and every other open sees that");
    let refused = owner.claim("dead").unwrap_err().to_string();
    assert!(refused.contains("still running"), "a claimed performance has one owner: {refused}");
}

#[test]
fn a_performance_is_running_while_its_store_or_journal_lives_and_interrupted_once_both_are_gone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let watcher = Store::open(&path).unwrap();
    let owner = Store::open(&path).unwrap();
    owner.begin(&performance("p")).unwrap();
    let mut journal = owner.journal("p").unwrap();
    journal.append(&a_whole_performance("p").remove(0)).unwrap();

    assert_eq!(watcher.summary("p").unwrap().status, Status::Running, "the owning store holds the lock");
    drop(owner);
    // The studio drops its store as soon as the performance has started; the conductor goes on
    // with the journal.
    assert_eq!(watcher.summary("p").unwrap().status, Status::Running, "the journal still holds the lock");
    assert!(watcher.claim("p").is_err(), "a performance being conducted cannot be taken over");
    drop(journal);
    assert_eq!(watcher.summary("p").unwrap().status, Status::Interrupted, "nobody holds the lock any more");

    watcher.claim("p").unwrap();
    let third = Store::open(&path).unwrap();
    assert_eq!(third.summary("p").unwrap().status, Status::Running, "the claim took the lock");
    drop(watcher);
    assert_eq!(third.summary("p").unwrap().status, Status::Interrupted, "a claim is released like a begin");
}

#[test]
fn recording_the_finish_releases_the_lock_and_leaves_no_lock_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let owner = Store::open(&path).unwrap();
    owner.begin(&performance("p")).unwrap();
    let mut journal = owner.journal("p").unwrap();
    for e in a_whole_performance("p") {
        journal.append(&e).unwrap();
    }
    let lock_files = || -> Vec<_> {
        match std::fs::read_dir(dir.path().join("s.sqlite3.owners")) {
            Ok(entries) => entries.map(|e| e.unwrap().file_name()).collect(),
            Err(_) => vec![],
        }
    };
    assert_eq!(lock_files(), Vec::<std::ffi::OsString>::new(), "a finished performance needs no lock file");
    let other = Store::open(&path).unwrap();
    assert_eq!(other.summary("p").unwrap().status, Status::Finished);
    let refused = other.claim("p").unwrap_err().to_string();
    assert!(refused.contains("already finished"), "{refused}");
    assert_eq!(lock_files(), Vec::<std::ffi::OsString>::new(), "a refused claim leaves nothing behind");
}

#[test]
fn ids_that_are_not_plain_names_get_locks_of_their_own_inside_the_lock_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let owner = Store::open(&path).unwrap();
    let other = Store::open(&path).unwrap();
    for id in ["../escape", "a/b", "61", "~61", "a"] {
        owner.begin(&performance(id)).unwrap();
    }
    for id in ["../escape", "a/b", "61", "~61", "a"] {
        assert_eq!(other.summary(id).unwrap().status, Status::Running, "{id} is held by its owner");
    }
    drop(owner);
    for id in ["../escape", "a/b", "61", "~61", "a"] {
        assert_eq!(other.summary(id).unwrap().status, Status::Interrupted, "{id} was released");
        other.claim(id).unwrap_or_else(|e| panic!("{id} has a lock of its own: {e}"));
    }
    let outside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(
        outside.iter().all(|name| name.to_string_lossy().starts_with("s.sqlite3")),
        "every lock file is inside the lock folder: {outside:?}"
    );
}

/// Set in the child process that `a_killed_owner_leaves_its_performance_interrupted_and_claimable`
/// starts: the store file in which that child begins a performance.
const OWNER_DB: &str = "ENSEMBLE_STORE_TEST_OWNER_DB";
/// What the child prints once it has begun, so the parent knows the lock is held.
const BEGUN: &str = "performance begun, holding it";

/// The child process's part of the test below, run by re-running this test binary with only this
/// test selected; in an ordinary test run (no `OWNER_DB`) it returns at once.
#[test]
fn owner_process() {
    use std::io::Write;
    let Some(db) = std::env::var_os(OWNER_DB) else { return };
    let store = Store::open(Path::new(&db)).expect("the child opens the store");
    store.begin(&performance("killed")).expect("the child begins a performance");
    let mut journal = store.journal("killed").expect("the child's journal");
    journal.append(&a_whole_performance("killed").remove(0)).expect("the child records the start");
    println!("{BEGUN}");
    std::io::stdout().flush().expect("stdout is a pipe to the parent");
    // Held until the parent kills this process; the bound only keeps a stray child from living on.
    std::thread::sleep(std::time::Duration::from_secs(120));
}

#[test]
fn a_killed_owner_leaves_its_performance_interrupted_and_claimable() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    /// Kills the child however the test ends, so a failed assertion leaves no process behind.
    struct Owner(std::process::Child);
    impl Drop for Owner {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Owner(
        std::process::Command::new(std::env::current_exe().expect("the test binary knows its path"))
            .args(["owner_process", "--exact", "--nocapture", "--test-threads=1"])
            .env(OWNER_DB, &path)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the test binary runs again as the owner"),
    );
    let stdout = BufReader::new(child.0.stdout.take().expect("stdout was piped"));
    let begun = stdout.lines().map_while(Result::ok).any(|line| line.contains(BEGUN));
    assert!(begun, "the child began a performance before its output ended");

    let store = Store::open(&path).unwrap();
    assert_eq!(store.summary("killed").unwrap().status, Status::Running, "another process holds the lock");
    let refused = store.claim("killed").unwrap_err().to_string();
    assert!(refused.contains("still running"), "{refused}");

    // SIGKILL on Unix, TerminateProcess on Windows: the child gets no chance to clean up.
    child.0.kill().expect("the child can be killed");
    child.0.wait().expect("the killed child is reaped");
    assert_eq!(store.summary("killed").unwrap().status, Status::Interrupted, "the system released the dead owner's lock");
    assert_eq!(store.events("killed").unwrap().len(), 1, "what the child recorded survives it");
    store.claim("killed").expect("an interrupted performance can be claimed");
    assert_eq!(Store::open(&path).unwrap().summary("killed").unwrap().status, Status::Running);
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
fn trust_is_remembered_across_reopening_by_fingerprint_and_by_key_and_host() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let path = dir.path().join("store.sqlite3");
    let store = Store::open(&path).expect("a new store opens");
    let key = || ("env:OPENAI_API_KEY".to_string(), "https://api.openai.com".to_string());
    assert!(!store.score_trusted("sha256:aaaa").expect("asking works"), "nothing is trusted at first");
    assert!(!store.key_host_trusted(&key().0, &key().1).expect("asking works"), "no key may go anywhere at first");
    store.trust_score("sha256:aaaa", Some("/scores/x.score.toml"), &[key()]).expect("trusting works");
    store.trust_score("sha256:aaaa", None, &[key()]).expect("trusting twice is fine");
    drop(store);
    let store = Store::open(&path).expect("the store opens again");
    assert!(store.score_trusted("sha256:aaaa").expect("asking works"));
    assert!(!store.score_trusted("sha256:bbbb").expect("asking works"), "another score is not trusted");
    assert!(store.key_host_trusted(&key().0, &key().1).expect("asking works"), "the key may go to that host");
    assert!(!store.key_host_trusted(&key().0, "https://collector.example").expect("asking works"), "but to no other host");
    assert!(!store.key_host_trusted("env:AWS_SECRET_ACCESS_KEY", &key().1).expect("asking works"), "and no other key to it");
}

#[cfg(unix)]
#[test]
fn the_store_folder_is_created_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let folder = dir.path().join("data/ensemble");
    Store::open(&folder.join("store.sqlite3")).expect("a new store opens in a new folder");
    for created in [&folder, &dir.path().join("data")] {
        let mode = std::fs::metadata(created).expect("the folder exists").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{} holds every prompt and answer: only its owner may enter", created.display());
    }
}

#[test]
fn a_batch_is_one_row_and_one_that_does_not_carry_on_the_log_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let store = Store::open(&path).unwrap();
    store.begin(&performance("p")).unwrap();
    let mut journal = store.journal("p").unwrap();
    let batch = |seqs: std::ops::RangeInclusive<u64>| seqs.map(|seq| finished(seq, "a", 2, 3, 0.5)).collect::<Vec<_>>();
    journal.append_batch(&batch(1..=100)).unwrap();
    journal.append_batch(&batch(101..=150)).unwrap();
    assert!(journal.append_batch(&batch(150..=160)).is_err(), "a batch overlapping the log is refused");
    assert!(journal.append_batch(&batch(152..=160)).is_err(), "a batch leaving a gap is refused");
    let mut broken = batch(151..=160);
    broken.remove(4);
    assert!(journal.append_batch(&broken).is_err(), "a batch with a gap inside is refused");

    let events = store.events("p").unwrap();
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=150).collect::<Vec<_>>(), "what was refused left nothing");
    assert_eq!(store.summary("p").unwrap().tokens, 150 * 5, "only the committed batches count");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let rows: i64 = conn.query_row("SELECT COUNT(*) FROM event_batches WHERE performance_id = 'p'", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 2, "each committed batch is one row");
    let by_hand: i64 = conn.query_row("SELECT COUNT(*) FROM events WHERE performance_id = 'p' AND seq > 100", [], |r| r.get(0)).unwrap();
    assert_eq!(by_hand, 50, "the events view has a row per event");
}
