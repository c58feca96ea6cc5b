//! `validate` and `fmt`: checking score files and writing them canonically.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ensemble_score::{LoadError, Loaded, Problem};

/// One problem as editors and CI expect it: `FILE:LINE:COL: error: MESSAGE [rule]`.
pub fn problem_line(file: &Path, problem: &Problem) -> String {
    let rule = serde_json::to_value(problem.rule).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let place = match (problem.line, problem.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", file.display()),
        (Some(line), None) => format!("{}:{line}", file.display()),
        _ => file.display().to_string(),
    };
    format!("{place}: error: {} [{rule}]", problem.message)
}

/// What became of loading one file.
enum Checked {
    Valid(Box<Loaded>),
    Problems,
    Unreadable,
}

/// Loads `file`, printing its problems to stderr.
fn check(file: &Path) -> Checked {
    match ensemble_score::load(file) {
        Ok(loaded) => Checked::Valid(Box::new(loaded)),
        Err(LoadError::Invalid { problems, .. }) => {
            for problem in &problems {
                eprintln!("{}", problem_line(file, problem));
            }
            Checked::Problems
        }
        Err(LoadError::Io { source, .. }) => {
            eprintln!("{}: error: cannot read the file: {source}", file.display());
            Checked::Unreadable
        }
    }
}

pub fn validate(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut worst = 0u8;
    for file in files {
        worst = worst.max(match check(file) {
            Checked::Valid(_) => 0,
            Checked::Problems => 1,
            Checked::Unreadable => 2,
        });
    }
    Ok(ExitCode::from(worst))
}

pub fn fmt(files: &[PathBuf], check_only: bool) -> anyhow::Result<ExitCode> {
    let mut worst = 0u8;
    for file in files {
        let loaded = match check(file) {
            Checked::Valid(loaded) => loaded,
            Checked::Problems => {
                worst = worst.max(1);
                continue;
            }
            Checked::Unreadable => {
                worst = worst.max(2);
                continue;
            }
        };
        let canonical = match ensemble_score::to_toml(&loaded.score, Some(&loaded.text)) {
            Ok(canonical) => canonical,
            Err(e) => {
                eprintln!("{}: error: {e}", file.display());
                worst = 2;
                continue;
            }
        };
        if canonical == loaded.text {
            continue;
        }
        if check_only {
            println!("{}", file.display());
            worst = worst.max(1);
        } else if let Err(e) = ensemble_score::save(file, &loaded.score, Some(&loaded.text)) {
            eprintln!("{}: error: cannot write the file: {e}", file.display());
            worst = 2;
        } else {
            println!("formatted {}", file.display());
        }
    }
    Ok(ExitCode::from(worst))
}
