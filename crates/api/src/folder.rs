//! The folder a score reads from: where its workspace, attached files and programs' working
//! directories are resolved. Decided here and nowhere else.

use std::path::{Component, Path, PathBuf};

/// A score file's path made absolute, with `.` and `..` taken out, so what is recorded and
/// trusted does not depend on the directory a front end happened to start in. Lexical on
/// purpose: links are not followed, so the path shown is the path the person gave.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

/// The folder of the score at `path`; a score never saved plays from the current directory.
pub fn of(path: Option<&Path>) -> PathBuf {
    let current = || std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match path {
        Some(path) => match absolute(path).parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => current(),
        },
        None => current(),
    }
}

/// The folder of a recorded performance's score: the folder it was performed from while that
/// still exists, else the current directory (a moved score's attached files are then reported
/// missing rather than read from somewhere unexpected).
pub fn of_recorded(score_path: Option<&str>) -> PathBuf {
    match score_path.map(Path::new).and_then(Path::parent).filter(|dir| dir.is_dir()) {
        Some(dir) => dir.to_path_buf(),
        None => of(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_score_path_reads_from_its_absolute_folder() {
        let cwd = std::env::current_dir().expect("the test runs in a folder");
        assert_eq!(of(Some(Path::new("band.score.toml"))), cwd, "a bare file name sits in the current folder");
        assert_eq!(of(Some(Path::new("scores/band.score.toml"))), cwd.join("scores"));
        assert!(of(Some(Path::new("scores/band.score.toml"))).is_absolute(), "recorded folders are absolute");
    }

    #[test]
    fn a_recorded_folder_that_is_gone_falls_back_to_the_current_one() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let file = dir.path().join("a.score.toml").display().to_string();
        assert_eq!(of_recorded(Some(&file)), dir.path());
        let gone = dir.path().join("gone/a.score.toml").display().to_string();
        assert_eq!(of_recorded(Some(&gone)), std::env::current_dir().expect("the test runs in a folder"));
    }
}
