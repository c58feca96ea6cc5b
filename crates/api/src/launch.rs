//! Files a person opens with the studio from outside it: named on the command line, double-clicked
//! in a file manager (which starts the studio with their paths), or handed over by the operating
//! system to a studio that is already running. Every front end asks here which files those are
//! and how each opens, so a path means the same thing however it arrived.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::folder;

/// How a file opens: a score in the editor, or a bundle unpacked into a folder first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Opens like File > Open (anything that is not a bundle: a wrong file gets the loader's message).
    Score,
    /// A `.score.zip`: unpacked into a folder the person picks, then its score opens.
    Bundle,
}

/// One file to open, with an absolute path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileToOpen {
    pub path: String,
    pub kind: FileKind,
}

/// The suffix of a bundle's file name (compared without regard to case, as file managers do).
pub const BUNDLE_SUFFIX: &str = ".score.zip";

/// The files among a launch's arguments (without the program's own name), in order, made
/// absolute against `cwd`, the directory the launch was made from (for a second launch, its
/// own, not this process's). Flags (`-x`, `--x`) are skipped, so switches that platform
/// launchers add do not become files; an empty argument is no file either.
pub fn files_to_open(args: impl IntoIterator<Item = OsString>, cwd: &Path) -> Vec<FileToOpen> {
    args.into_iter()
        .filter(|arg| !arg.is_empty() && !arg.to_string_lossy().starts_with('-'))
        .map(|arg| file_to_open(&PathBuf::from(arg), cwd))
        .collect()
}

/// `path` made absolute against `cwd`, `.` and `..` taken out, with how it opens.
pub fn file_to_open(path: &Path, cwd: &Path) -> FileToOpen {
    let path = folder::absolute(&cwd.join(path));
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let kind = if name.ends_with(BUNDLE_SUFFIX) { FileKind::Bundle } else { FileKind::Score };
    FileToOpen { path: path.display().to_string(), kind }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    fn score(path: &str) -> FileToOpen {
        FileToOpen { path: path.into(), kind: FileKind::Score }
    }

    #[test]
    fn relative_paths_are_taken_from_the_launching_directory_and_flags_are_skipped() {
        let cwd = Path::new("/home/ann/scores");
        assert_eq!(
            files_to_open(args(&["--verbose", "band.score.toml", "-psn_0_42", "../old/trio.score.toml", ""]), cwd),
            vec![score("/home/ann/scores/band.score.toml"), score("/home/ann/old/trio.score.toml")],
            "each non-flag argument is a file, relative to where the launch was made, `..` resolved"
        );
        assert_eq!(files_to_open(args(&["/tmp/x.score.toml"]), cwd), vec![score("/tmp/x.score.toml")], "an absolute path is kept as it is");
    }

    #[test]
    fn a_bundle_is_known_by_its_suffix_in_any_case() {
        let cwd = Path::new("/work");
        let kinds: Vec<FileKind> = files_to_open(args(&["a.score.zip", "B.SCORE.ZIP", "c.zip", "d.score.toml", "e.toml"]), cwd)
            .into_iter()
            .map(|f| f.kind)
            .collect();
        assert_eq!(
            kinds,
            [FileKind::Bundle, FileKind::Bundle, FileKind::Score, FileKind::Score, FileKind::Score],
            "only `.score.zip` unpacks first; any other file opens as a score and gets the loader's message if it is none"
        );
    }

    #[test]
    fn no_files_without_a_non_flag_argument() {
        assert_eq!(files_to_open(args(&["-v", "--flag"]), Path::new("/")), vec![], "flags alone name no file");
        assert_eq!(files_to_open(args(&[]), Path::new("/")), vec![], "a launch from the menu names no file");
    }
}
