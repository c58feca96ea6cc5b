//! What the user has trusted a score to do on this machine.
//!
//! Two kinds of trust are kept (see `ensemble_score::reach` for what a score can do):
//!
//! - **a score's whole reach**, by its fingerprint: the full SHA-256 over its programs, key sends,
//!   outside reads and the folders they resolve against. Any change to those is a new fingerprint
//!   and asks again.
//! - **a key for a host**: trusting a score also trusts each of its `(key reference, origin)`
//!   pairs, e.g. `env:OPENAI_API_KEY` for `https://api.openai.com`. A later score that only sends
//!   keys the user already sends to those same hosts does not ask again: the secret goes nowhere
//!   it has not gone with the user's consent. A different host for the same key asks.
//!
//! Only names are kept (fingerprints, key references, origins), never a secret.

use rusqlite::{OptionalExtension, params};

use crate::{Store, StoreError, now_ms};

impl Store {
    /// Records that the user trusts the score with this fingerprint, and each key for its host.
    pub fn trust_score(&self, fingerprint: &str, score_path: Option<&str>, key_hosts: &[(String, String)]) -> Result<(), StoreError> {
        let now = now_ms() as i64;
        self.with(|conn| {
            let tx = conn.unchecked_transaction()?;
            tx.execute(
                "INSERT INTO trusted_scores (fingerprint, score_path, trusted_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (fingerprint) DO UPDATE SET score_path = excluded.score_path, trusted_ms = excluded.trusted_ms",
                params![fingerprint, score_path, now],
            )?;
            for (key, host) in key_hosts {
                tx.execute(
                    "INSERT INTO trusted_key_hosts (key_ref, host, trusted_ms) VALUES (?1, ?2, ?3)
                     ON CONFLICT (key_ref, host) DO UPDATE SET trusted_ms = excluded.trusted_ms",
                    params![key, host, now],
                )?;
            }
            tx.commit()
        })
    }

    /// Whether the user has trusted the score with this fingerprint.
    pub fn score_trusted(&self, fingerprint: &str) -> Result<bool, StoreError> {
        self.with(|conn| conn.query_row("SELECT 1 FROM trusted_scores WHERE fingerprint = ?1", [fingerprint], |_| Ok(())).optional())
            .map(|row| row.is_some())
    }

    /// Whether the user has let the key `key_ref` (`env:NAME`, `keychain:NAME`) go to `host`.
    pub fn key_host_trusted(&self, key_ref: &str, host: &str) -> Result<bool, StoreError> {
        self.with(|conn| {
            conn.query_row("SELECT 1 FROM trusted_key_hosts WHERE key_ref = ?1 AND host = ?2", [key_ref, host], |_| Ok(())).optional()
        })
        .map(|row| row.is_some())
    }
}
