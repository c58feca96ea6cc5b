//! The store's schema, as a list of steps applied in order.
//!
//! `PRAGMA user_version` records how many steps a file has had. Steps are only ever appended:
//! a released step is never edited, so every file converges on the same schema. A file with a
//! higher version than this build knows was written by a newer build; opening it would risk
//! misreading it, so that is refused with a message that says what to do.

use rusqlite::{Connection, TransactionBehavior};

/// Each entry takes a file from version `index` to `index + 1`.
const STEPS: &[&str] = &[
    // 1: performances with their summary, and the append-only event log.
    "CREATE TABLE performances (
        id          TEXT PRIMARY KEY NOT NULL,
        title       TEXT NOT NULL,
        score_path  TEXT,
        score_toml  TEXT NOT NULL,
        offline     INTEGER NOT NULL,
        seed        INTEGER NOT NULL,
        started_ms  INTEGER NOT NULL,
        finished_ms INTEGER,
        outcome     TEXT,
        tokens      INTEGER NOT NULL DEFAULT 0,
        cost_usd    REAL NOT NULL DEFAULT 0,
        owner_pid   INTEGER NOT NULL,
        owner_boot  TEXT NOT NULL,
        owner_start INTEGER
    );
    CREATE INDEX performances_started ON performances (started_ms);
    CREATE TABLE events (
        performance_id TEXT NOT NULL REFERENCES performances (id) ON DELETE CASCADE,
        seq            INTEGER NOT NULL,
        at_ms          INTEGER NOT NULL,
        type           TEXT NOT NULL,
        player         TEXT,
        json           TEXT NOT NULL,
        PRIMARY KEY (performance_id, seq)
    ) WITHOUT ROWID;",
    // 2: the sets of programs (command instruments) the user has trusted to run, by fingerprint.
    "CREATE TABLE trusted_programs (
        fingerprint TEXT PRIMARY KEY NOT NULL,
        score_path  TEXT,
        trusted_ms  INTEGER NOT NULL
    );",
    // 3: diagnoses of a score over time (the maturity track) and the survey answers of its people,
    // each as the JSON the diagnostics engine reads back, keyed by the score they are about.
    "CREATE TABLE diagnoses (
        id          INTEGER PRIMARY KEY,
        score_key   TEXT NOT NULL,
        score_hash  TEXT NOT NULL,
        created_ms  INTEGER NOT NULL,
        json        TEXT NOT NULL
    );
    CREATE INDEX diagnoses_by_score ON diagnoses (score_key, created_ms);
    CREATE TABLE survey_answers (
        score_key   TEXT NOT NULL,
        person      TEXT NOT NULL,
        answered_ms INTEGER NOT NULL,
        json        TEXT NOT NULL,
        PRIMARY KEY (score_key, person)
    ) WITHOUT ROWID;",
    // 4: trust covers all a score reaches (programs, keys sent to hosts, reads outside its folder),
    // by a full SHA-256 fingerprint, and each key the user let go to a host. The 64-bit program
    // fingerprints of step 2 covered less, so they are dropped: such a score asks once more.
    "CREATE TABLE trusted_scores (
        fingerprint TEXT PRIMARY KEY NOT NULL,
        score_path  TEXT,
        trusted_ms  INTEGER NOT NULL
    );
    CREATE TABLE trusted_key_hosts (
        key_ref     TEXT NOT NULL,
        host        TEXT NOT NULL,
        trusted_ms  INTEGER NOT NULL,
        PRIMARY KEY (key_ref, host)
    ) WITHOUT ROWID;
    DROP TABLE trusted_programs;",
    // 5: a fork names the performance and the player it was re-run from; the finish records how
    // many players the score had, how many were never cued and how many a fork carried over, so
    // a list can say "finished, 2 of 4 players never cued" instead of a bare success.
    "ALTER TABLE performances ADD COLUMN forked_from TEXT;
    ALTER TABLE performances ADD COLUMN forked_player TEXT;
    ALTER TABLE performances ADD COLUMN players INTEGER;
    ALTER TABLE performances ADD COLUMN never_cued INTEGER;
    ALTER TABLE performances ADD COLUMN carried INTEGER;",
    // 6: events in a rowid table, found through a unique index on (performance, seq). Step 1 kept
    // whole rows (JSON of a few hundred bytes) in a WITHOUT ROWID B-tree, which suits small rows
    // only; here a row is appended at the table's end and the index holds the short key. The type
    // and player columns go: nothing read them, and filling them meant parsing every event's JSON
    // once more (by hand, `json_extract(json, '$.type')` gives them). The foreign key, checked on
    // every append, is replaced by a trigger that does what its ON DELETE CASCADE did: an event
    // is only ever appended through a journal, which the store opens for a performance that
    // exists.
    "CREATE TABLE events_appended (
        performance_id TEXT NOT NULL,
        seq            INTEGER NOT NULL,
        at_ms          INTEGER NOT NULL,
        json           TEXT NOT NULL
    );
    INSERT INTO events_appended (performance_id, seq, at_ms, json)
        SELECT performance_id, seq, at_ms, json FROM events ORDER BY performance_id, seq;
    DROP TABLE events;
    ALTER TABLE events_appended RENAME TO events;
    CREATE UNIQUE INDEX events_in_order ON events (performance_id, seq);
    CREATE TRIGGER events_go_with_their_performance AFTER DELETE ON performances
    BEGIN
        DELETE FROM events WHERE performance_id = old.id;
    END;",
    // 7: events kept as the batches they were committed in, one row per batch holding its events
    // as a JSON array. A conductor commits a batch at a time and the store only ever reads a
    // performance's whole log, so a row per event bought nothing but an insert into the table
    // and its index for every event, which was most of what recording a fast performance cost.
    // `events` stays, as a view with a row per event, for whoever reads the file by hand.
    // Earlier events become batches of one.
    "CREATE TABLE event_batches (
        performance_id TEXT NOT NULL,
        first_seq      INTEGER NOT NULL,
        last_seq       INTEGER NOT NULL,
        json           TEXT NOT NULL
    );
    INSERT INTO event_batches (performance_id, first_seq, last_seq, json)
        SELECT performance_id, seq, seq, '[' || json || ']' FROM events ORDER BY performance_id, seq;
    DROP TRIGGER events_go_with_their_performance;
    DROP TABLE events;
    CREATE UNIQUE INDEX event_batches_in_order ON event_batches (performance_id, first_seq);
    CREATE TRIGGER event_batches_go_with_their_performance AFTER DELETE ON performances
    BEGIN
        DELETE FROM event_batches WHERE performance_id = old.id;
    END;
    CREATE VIEW events (performance_id, seq, at_ms, json) AS
        SELECT b.performance_id, e.value ->> '$.seq', e.value ->> '$.at_ms', e.value
        FROM event_batches AS b, json_each(b.json) AS e;",
];

/// The schema version this build writes.
pub const VERSION: i64 = STEPS.len() as i64;

#[derive(Debug)]
pub enum MigrateError {
    Newer(i64),
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sqlite(e)
    }
}

/// Brings the file up to [`VERSION`]. Safe when several processes open a new file at once:
/// the version is read again inside an immediate (write-locked) transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == VERSION {
        return Ok(());
    }
    if version > VERSION {
        return Err(MigrateError::Newer(version));
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > VERSION {
        return Err(MigrateError::Newer(version));
    }
    for (index, step) in STEPS.iter().enumerate().skip(version.max(0) as usize) {
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
#[path = "migrate_tests.rs"]
mod tests;
