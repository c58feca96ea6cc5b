//! Trusting the programs a score runs before the studio runs them.
//!
//! A score opened from elsewhere may name command-line programs. The studio lists them and runs
//! them only after the user trusts that exact set (by fingerprint, kept in the performance store,
//! the same record the `ensemble` CLI reads). Performing offline runs no program and needs no trust.

use ensemble_score::Score;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{UiError, UiResult};
use crate::perform::open_store;

/// Whether a score runs programs, and whether the user has trusted them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScoreTrust {
    /// The score runs at least one program (a `command` instrument).
    pub needed: bool,
    /// The user has trusted exactly these programs.
    pub trusted: bool,
    /// Each program as `player: program arg…`.
    pub programs: Vec<String>,
}

#[tauri::command]
pub fn score_trust(score: Score) -> UiResult<ScoreTrust> {
    let programs = ensemble_score::programs(&score);
    let trusted = match ensemble_score::programs_fingerprint(&score) {
        Some(fingerprint) => open_store()?.programs_trusted(&fingerprint)?,
        None => true,
    };
    Ok(ScoreTrust { needed: !programs.is_empty(), trusted, programs })
}

#[tauri::command]
pub fn trust_score(score: Score, path: Option<String>) -> UiResult<()> {
    if let Some(fingerprint) = ensemble_score::programs_fingerprint(&score) {
        open_store()?.trust_programs(&fingerprint, path.as_deref())?;
    }
    Ok(())
}

/// Refuses to perform a score whose programs the user has not trusted.
pub fn ensure_trusted(score: &Score) -> UiResult<()> {
    let trust = score_trust(score.clone())?;
    if trust.trusted {
        return Ok(());
    }
    Err(UiError::new(format!(
        "this score runs programs on your computer ({}); trust it before performing, or perform offline",
        trust.programs.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH_PROGRAM: &str = r#"format = 1
title = "Programs"

[intent]
goal = "Check the build."

[[players]]
id = "check"
name = "Check"
zone = "stabilizer"
part = "Run the checks."

[players.instrument]
kind = "command"
program = "make"
args = ["check"]
"#;

    #[test]
    fn programs_need_trust_once_and_a_score_without_programs_never_does() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        // SAFETY of the test: ENSEMBLE_DB is read by this test module only.
        unsafe { std::env::set_var("ENSEMBLE_DB", dir.path().join("store.sqlite3")) };
        let score = ensemble_score::parse(WITH_PROGRAM, None).expect("the test score is valid");

        let before = score_trust(score.clone()).expect("trust can be asked");
        assert!(before.needed && !before.trusted);
        assert_eq!(before.programs, vec!["check: make check".to_string()]);
        let refused = ensure_trusted(&score).expect_err("an untrusted score is refused");
        assert!(refused.message.contains("make check"), "{}", refused.message);

        trust_score(score.clone(), Some("/scores/p.score.toml".into())).expect("trusting works");
        assert!(score_trust(score.clone()).expect("trust can be asked").trusted);
        ensure_trusted(&score).expect("a trusted score may perform");

        let mut changed = score.clone();
        if let ensemble_score::Instrument::Command(c) = &mut changed.players[0].instrument {
            c.args = vec!["deploy".into()];
        }
        assert!(!score_trust(changed).expect("trust can be asked").trusted, "other programs ask again");

        let mut plain = score;
        plain.players[0].instrument = ensemble_score::Instrument::Rehearsal(Default::default());
        let plain = score_trust(plain).expect("trust can be asked");
        assert!(!plain.needed && plain.trusted);
    }
}
