//! Appending a performance's events, one committed transaction per batch.
//!
//! Each batch is its own transaction on the journal's own connection, so once `append_batch`
//! returns its events survive the process being killed, and a kill during the commit leaves
//! none of them (the conductor has shown none of them yet either). The summary columns of the
//! performance are updated in the same transaction, so a list of performances never disagrees
//! with their logs. With WAL and `synchronous = NORMAL` a commit is a write to the log without
//! an fsync, which keeps appends in the tens of microseconds.

use ensemble_conductor::{Event, EventKind, Journal, JournalError};
use rusqlite::{Connection, params};

use crate::owner::Ownership;

pub struct StoreJournal {
    pub(crate) conn: Connection,
    pub(crate) id: String,
    /// The performance's lock, when this process owns it: released once its finish is committed.
    pub(crate) ownership: Option<Ownership>,
    /// Where each event's JSON is written before it is bound, reused so an append allocates
    /// nothing for it.
    pub(crate) json: Vec<u8>,
}

const INSERT: &str = "INSERT INTO events (performance_id, seq, at_ms, json) VALUES (?1, ?2, ?3, ?4)";
const ADD_USAGE: &str = "UPDATE performances SET tokens = tokens + ?2, cost_usd = cost_usd + ?3 WHERE id = ?1";
const FINISH: &str = "UPDATE performances SET finished_ms = ?2, outcome = ?3, players = ?4, never_cued = ?5, carried = ?6 WHERE id = ?1";

impl Journal for StoreJournal {
    fn append(&mut self, event: &Event) -> Result<(), JournalError> {
        self.append_batch(std::slice::from_ref(event))
    }

    /// One transaction for the whole batch: the events and the summary columns they change are
    /// committed together or not at all.
    fn append_batch(&mut self, events: &[Event]) -> Result<(), JournalError> {
        let tx = self.conn.transaction().map_err(sqlite)?;
        {
            let mut statement = tx.prepare_cached(INSERT).map_err(sqlite)?;
            for event in events {
                insert(&tx, &mut statement, &self.id, &mut self.json, event)?;
            }
        }
        tx.commit().map_err(sqlite)?;
        if events.iter().any(|e| matches!(e.kind, EventKind::PerformanceFinished { .. }))
            && let Some(ownership) = &self.ownership
        {
            ownership.release();
        }
        Ok(())
    }
}

/// Writes one event with `insert` (the prepared INSERT), its JSON made in `json`, and what it
/// adds to the performance's summary, inside `tx`.
fn insert(
    tx: &rusqlite::Transaction,
    insert: &mut rusqlite::CachedStatement,
    id: &str,
    json: &mut Vec<u8>,
    event: &Event,
) -> Result<(), JournalError> {
    json.clear();
    serde_json::to_writer(&mut *json, event).map_err(|e| JournalError(format!("event could not be written as JSON: {e}")))?;
    // serde_json writes UTF-8 only; checked rather than assumed, at the cost of one scan.
    let text = std::str::from_utf8(json).map_err(|e| JournalError(format!("event JSON is not UTF-8: {e}")))?;
    insert.execute(params![id, event.seq as i64, event.at_ms as i64, text]).map_err(sqlite)?;
    match &event.kind {
        // Every attempt counts, failed and retried ones too: they were paid for.
        EventKind::PlayerFinished { usage, cost_usd, .. }
        | EventKind::PlayerFailed { usage, cost_usd, .. }
        | EventKind::PlayerRetrying { usage, cost_usd, .. } => {
            let tokens = i64::try_from(usage.input_tokens.saturating_add(usage.output_tokens)).unwrap_or(i64::MAX);
            tx.prepare_cached(ADD_USAGE).and_then(|mut s| s.execute(params![id, tokens, cost_usd])).map_err(sqlite)?;
        }
        EventKind::PerformanceFinished { outcome, players, never_cued, carried, .. } => {
            let outcome = serde_json::to_value(outcome).ok().and_then(|v| v.as_str().map(str::to_string));
            tx.prepare_cached(FINISH)
                .and_then(|mut s| s.execute(params![id, event.at_ms as i64, outcome, players, never_cued, carried]))
                .map_err(sqlite)?;
        }
        _ => {}
    }
    Ok(())
}

fn sqlite(e: rusqlite::Error) -> JournalError {
    JournalError(e.to_string())
}
