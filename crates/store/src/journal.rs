//! Appending a performance's events, one committed transaction and one row per batch.
//!
//! Each batch is its own transaction on the journal's own connection, so once `append_batch`
//! returns its events survive the process being killed, and a kill during the commit leaves
//! none of them (the conductor has shown none of them yet either). The summary columns of the
//! performance are updated in the same transaction, so a list of performances never disagrees
//! with their logs. With WAL and `synchronous = NORMAL` a commit is a write to the log without
//! an fsync, which keeps appends in the tens of microseconds.

use ensemble_conductor::{Event, EventKind, Journal, JournalError};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::checkpoint::Checkpoints;
use crate::owner::Ownership;

pub struct StoreJournal {
    pub(crate) conn: Connection,
    pub(crate) id: String,
    /// The performance's lock, when this process owns it: released once its finish is committed.
    pub(crate) ownership: Option<Ownership>,
    /// Where a batch's JSON is written before it is bound, reused so an append allocates
    /// nothing for it.
    pub(crate) json: Vec<u8>,
    pub(crate) checkpoints: Checkpoints,
}

const INSERT: &str = "INSERT INTO event_batches (performance_id, first_seq, last_seq, json) VALUES (?1, ?2, ?3, ?4)";
// Batches follow each other without overlap, so the one that starts last ends last; found
// through the (performance, first seq) index rather than by reading every batch.
const LAST_SEQ: &str = "SELECT last_seq FROM event_batches WHERE performance_id = ?1 ORDER BY first_seq DESC LIMIT 1";
const ADD_USAGE: &str = "UPDATE performances SET tokens = tokens + ?2, cost_usd = cost_usd + ?3 WHERE id = ?1";
const FINISH: &str = "UPDATE performances SET finished_ms = ?2, outcome = ?3, players = ?4, never_cued = ?5, carried = ?6 WHERE id = ?1";

impl Journal for StoreJournal {
    fn append(&mut self, event: &Event) -> Result<(), JournalError> {
        self.append_batch(std::slice::from_ref(event))
    }

    /// One transaction for the whole batch, written as one row: the events and the summary
    /// columns they change are committed together or not at all. A batch must carry on the log
    /// where it stands, without a gap or an overlap.
    fn append_batch(&mut self, events: &[Event]) -> Result<(), JournalError> {
        let (Some(first), Some(last)) = (events.first(), events.last()) else { return Ok(()) };
        if let Some(e) = events.windows(2).find(|pair| pair[1].seq != pair[0].seq + 1) {
            return Err(JournalError(format!("events {} and {} of one batch do not follow each other", e[0].seq, e[1].seq)));
        }
        // Immediate: the log is read before it is written, and a read transaction could not become
        // a write one once another process had written meanwhile.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let logged: Option<i64> =
            tx.prepare_cached(LAST_SEQ).and_then(|mut s| s.query_row([&self.id], |r| r.get(0)).optional()).map_err(sqlite)?;
        let expected = logged.map_or(1, |seq| seq as u64 + 1);
        if first.seq != expected {
            return Err(JournalError(format!("event {} cannot be recorded: the log of {} goes on at event {expected}", first.seq, self.id)));
        }
        self.json.clear();
        self.json.push(b'[');
        let mut spent = Spent::default();
        for (i, event) in events.iter().enumerate() {
            if i > 0 {
                self.json.push(b',');
            }
            serde_json::to_writer(&mut self.json, event).map_err(|e| JournalError(format!("event could not be written as JSON: {e}")))?;
            summarize(&tx, &self.id, event, &mut spent)?;
        }
        self.json.push(b']');
        // serde_json writes UTF-8 only; checked rather than assumed, at the cost of one scan.
        let text = std::str::from_utf8(&self.json).map_err(|e| JournalError(format!("event JSON is not UTF-8: {e}")))?;
        tx.prepare_cached(INSERT)
            .and_then(|mut s| s.execute(params![self.id, first.seq as i64, last.seq as i64, text]))
            .map_err(sqlite)?;
        if spent.tokens != 0 || spent.cost_usd != 0.0 {
            tx.prepare_cached(ADD_USAGE).and_then(|mut s| s.execute(params![self.id, spent.tokens, spent.cost_usd])).map_err(sqlite)?;
        }
        tx.commit().map_err(sqlite)?;
        self.checkpoints.committed(&self.conn, self.json.len());
        if events.iter().any(|e| matches!(e.kind, EventKind::PerformanceFinished { .. }))
            && let Some(ownership) = &self.ownership
        {
            ownership.release();
        }
        Ok(())
    }
}

/// What a batch's attempts used, added to the performance's summary once per batch.
#[derive(Default)]
struct Spent {
    tokens: i64,
    cost_usd: f64,
}

/// Adds what `event`'s attempt used to `spent`, and writes a finish to the summary, inside `tx`.
fn summarize(tx: &rusqlite::Transaction, id: &str, event: &Event, spent: &mut Spent) -> Result<(), JournalError> {
    match &event.kind {
        // Every attempt counts, failed and retried ones too: they were paid for.
        EventKind::PlayerFinished { usage, cost_usd, .. }
        | EventKind::PlayerFailed { usage, cost_usd, .. }
        | EventKind::PlayerRetrying { usage, cost_usd, .. } => {
            let tokens = i64::try_from(usage.input_tokens.saturating_add(usage.output_tokens)).unwrap_or(i64::MAX);
            spent.tokens = spent.tokens.saturating_add(tokens);
            spent.cost_usd += cost_usd;
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

#[cfg(test)]
mod tests {
    use ensemble_conductor::{Event, EventKind};
    use rusqlite::StatementStatus;

    use super::*;

    /// The last batch is found through the index: a log read whole on every commit made a long
    /// performance's commits slower and slower (a hundred times slower, measured, for a log of
    /// single-event batches).
    #[test]
    fn finding_where_the_log_stands_reads_one_batch_however_long_the_log() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("s.sqlite3");
        let store = crate::Store::open(&path).expect("a new store opens");
        store
            .begin(&crate::NewPerformance {
                id: "p".into(),
                title: "long".into(),
                score_path: None,
                score_toml: String::new(),
                offline: true,
                seed: 1,
            })
            .expect("the performance is recorded");
        let mut journal = store.journal("p").expect("the performance has a journal");
        for seq in 1..=2_000 {
            let event = Event { seq, at_ms: seq, kind: EventKind::Token { player: "a".into(), text: "x".into() } };
            journal.append(&event).expect("an event is appended");
        }
        let conn = Connection::open(&path).expect("the file opens");
        let mut statement = conn.prepare(LAST_SEQ).expect("the query is prepared");
        let last: i64 = statement.query_row(["p"], |r| r.get(0)).expect("the log has a last batch");
        assert_eq!(last, 2_000);
        let steps = statement.get_status(StatementStatus::VmStep);
        assert!(steps < 100, "{steps} steps to find the last of 2,000 batches: the log was read whole");
    }
}
