//! Diagnoses over time and the survey answers they read, kept beside the performances.
//!
//! The store does not know what a diagnosis says: it keeps each one as the JSON the diagnostics
//! engine wrote, so the engine can change its report without a schema change here. Both are keyed
//! by the score they are about (the operations layer decides the key: a score file's absolute
//! path, or its title when it was never saved).

use rusqlite::params;

use crate::{Store, StoreError, now_ms};

impl Store {
    /// Appends a diagnosis of the score `score_key`, whose content hash was `score_hash`.
    pub fn record_diagnosis(&self, score_key: &str, score_hash: &str, created_ms: u64, json: &str) -> Result<(), StoreError> {
        self.with(|conn| {
            conn.execute(
                "INSERT INTO diagnoses (score_key, score_hash, created_ms, json) VALUES (?1, ?2, ?3, ?4)",
                params![score_key, score_hash, created_ms as i64, json],
            )
            .map(|_| ())
        })
    }

    /// The latest `limit` diagnoses of the score, oldest first, as recorded.
    pub fn diagnoses(&self, score_key: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut newest_first: Vec<String> = self.with(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT json FROM diagnoses WHERE score_key = ?1 ORDER BY created_ms DESC, id DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![score_key, limit], |r| r.get(0))?;
            rows.collect()
        })?;
        newest_first.reverse();
        Ok(newest_first)
    }

    /// Keeps one person's survey answers for the score, replacing any they gave before.
    pub fn save_survey_answers(&self, score_key: &str, person: &str, json: &str) -> Result<(), StoreError> {
        self.with(|conn| {
            conn.execute(
                "INSERT INTO survey_answers (score_key, person, answered_ms, json) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (score_key, person) DO UPDATE SET answered_ms = excluded.answered_ms, json = excluded.json",
                params![score_key, person, now_ms() as i64, json],
            )
            .map(|_| ())
        })
    }

    /// Every person's latest answers for the score, by person: the JSON and when it was kept
    /// (ms since the epoch).
    pub fn survey_answers(&self, score_key: &str) -> Result<Vec<(String, u64)>, StoreError> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached("SELECT json, answered_ms FROM survey_answers WHERE score_key = ?1 ORDER BY person")?;
            let rows = stmt.query_map([score_key], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?;
            rows.collect()
        })
    }
}
