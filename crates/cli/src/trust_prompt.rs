//! Asking at the terminal before a score reaches beyond itself.
//!
//! A score from somewhere else may run programs, send a named key to a host, or read outside its
//! folder (see `ensemble_api::trust`). `run` and `resume` list all of it and ask, or take
//! `--trust`; without a terminal and without `--trust` nothing is played. Trust is remembered in
//! the store, so the question comes again only when what the score would do changes.
//!
//! The prompt is what an attacker would most like to forge, so every line printed is free of
//! control characters: values arrive quoted and escaped from `ensemble_score::reach`, and each
//! line is escaped once more here before it reaches the terminal, whatever its origin.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;
use ensemble_score::Score;
use ensemble_store::Store;

use crate::printable::printable;

/// Whether the score in `score_dir` (shown as `file`) may do what it would do: already trusted,
/// trusted now by `--trust`, or by yes at the terminal.
pub fn confirm(store: &Store, score: &Score, file: &Path, score_dir: &Path, trust: bool) -> anyhow::Result<bool> {
    let check = ensemble_api::trust::check(store, score, score_dir)?;
    if check.trusted {
        return Ok(true);
    }
    if trust {
        ensemble_api::trust::trust(store, score, score_dir, Some(file))?;
        return Ok(true);
    }
    for line in prompt_lines(file, &ensemble_score::reach(score, score_dir).lines()) {
        eprintln!("{line}");
    }
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        eprint!("Trust all of this and perform? [y/N] ");
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer).context("cannot read the answer")?;
        if matches!(answer.trim(), "y" | "Y" | "yes") {
            ensemble_api::trust::trust(store, score, score_dir, Some(file))?;
            return Ok(true);
        }
        eprintln!("ensemble: nothing was played");
        return Ok(false);
    }
    eprintln!("ensemble: error: read the score, then run again with --trust to allow all of it (or --offline to rehearse); nothing was played");
    Ok(false)
}

/// The question's lines: a heading naming the file, then one line per thing the score would do.
pub fn prompt_lines(file: &Path, reach: &[String]) -> Vec<String> {
    let heading = format!("{} reaches beyond itself on this computer:", file.display());
    std::iter::once(printable(&heading)).chain(reach.iter().map(|line| format!("  {}", printable(line)))).collect()
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_line_carries_a_raw_control_character() {
        let lines = prompt_lines(Path::new("evil\u{1b}[2J.score.toml"), &["runs a: sh \"x\ny\"\u{7}".to_string()]);
        assert!(lines.iter().all(|l| !l.chars().any(char::is_control)), "{lines:?}");
        assert_eq!(lines[1], "  runs a: sh \"x\\ny\"\\u{7}", "escapes read as what they are");
    }
}
