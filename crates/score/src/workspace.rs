//! Keeping attached files and working directories inside the score's workspace.
//!
//! A score is shared between machines and may be untrusted, so every path in it is relative and may
//! not climb out of the workspace: not by `..`, not by being absolute, and not through a symbolic
//! link (checked on disk after canonicalising both sides).

use std::path::{Component, Path, PathBuf};

use crate::Score;

/// Why a path from a score cannot be used.
#[derive(Debug)]
pub(crate) enum PathTrouble {
    Empty,
    Absolute,
    Escapes,
    Missing,
    /// Exists, but resolves (through links) to a place outside the workspace.
    LinksOutside,
    NotAFile,
    NotAFolder,
}

impl PathTrouble {
    /// How the trouble reads after "`<path>` ".
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            PathTrouble::Empty => "is empty",
            PathTrouble::Absolute => "is absolute; paths in a score are relative so the score can be shared",
            PathTrouble::Escapes => "climbs out of the workspace with `..`",
            PathTrouble::Missing => "does not exist",
            PathTrouble::LinksOutside => "leads outside the workspace through a link",
            PathTrouble::NotAFile => "is a folder, not a file",
            PathTrouble::NotAFolder => "is a file, not a folder",
        }
    }

    pub(crate) fn is_escape(&self) -> bool {
        matches!(self, PathTrouble::Absolute | PathTrouble::Escapes | PathTrouble::LinksOutside)
    }
}

/// Checks `rel` without touching the disk: relative, and never above its starting folder.
pub(crate) fn check_relative(rel: &str) -> Result<(), PathTrouble> {
    if rel.trim().is_empty() {
        return Err(PathTrouble::Empty);
    }
    // A Windows drive or UNC path is absolute wherever the score is opened.
    let bytes = rel.as_bytes();
    if rel.starts_with('\\') || (bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic()) {
        return Err(PathTrouble::Absolute);
    }
    let mut depth: usize = 0;
    for component in Path::new(rel).components() {
        match component {
            Component::Prefix(_) | Component::RootDir => return Err(PathTrouble::Absolute),
            Component::CurDir => {}
            Component::ParentDir => depth = depth.checked_sub(1).ok_or(PathTrouble::Escapes)?,
            Component::Normal(_) => depth += 1,
        }
    }
    Ok(())
}

/// The workspace folder of a score on disk: `context.workspace` relative to the score's folder.
/// The workspace itself may sit above the score (e.g. `workspace = ".."`); only absolute is refused.
pub(crate) fn workspace_dir(score: &Score, base_dir: &Path) -> Result<PathBuf, PathTrouble> {
    let rel = score.context.workspace.as_deref().unwrap_or(".");
    if rel.trim().is_empty() {
        return Err(PathTrouble::Empty);
    }
    if Path::new(rel).has_root() || rel.starts_with('\\') {
        return Err(PathTrouble::Absolute);
    }
    let dir = base_dir.join(rel);
    let canonical = dir.canonicalize().map_err(|_| PathTrouble::Missing)?;
    if !canonical.is_dir() {
        return Err(PathTrouble::NotAFolder);
    }
    Ok(canonical)
}

/// Resolves `rel` inside the canonical `workspace`, requiring a file (or a folder when `folder`).
pub(crate) fn resolve(workspace: &Path, rel: &str, folder: bool) -> Result<PathBuf, PathTrouble> {
    check_relative(rel)?;
    let canonical = workspace.join(rel).canonicalize().map_err(|_| PathTrouble::Missing)?;
    if !canonical.starts_with(workspace) {
        return Err(PathTrouble::LinksOutside);
    }
    match (folder, canonical.is_dir()) {
        (false, true) => Err(PathTrouble::NotAFile),
        (true, false) => Err(PathTrouble::NotAFolder),
        _ => Ok(canonical),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_may_not_escape() {
        assert!(check_relative("docs/a.md").is_ok());
        assert!(check_relative("docs/../a.md").is_ok());
        assert!(matches!(check_relative("../a.md"), Err(PathTrouble::Escapes)));
        assert!(matches!(check_relative("docs/../../a.md"), Err(PathTrouble::Escapes)));
        assert!(matches!(check_relative("/etc/passwd"), Err(PathTrouble::Absolute)));
        assert!(matches!(check_relative("C:\\x"), Err(PathTrouble::Absolute)));
        assert!(matches!(check_relative(" "), Err(PathTrouble::Empty)));
    }
}
