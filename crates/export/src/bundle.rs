//! Bundles: a score and the files it attaches, in one `NAME.score.zip`.
//!
//! A score alone is not enough to run it elsewhere when its shared context attaches files; a bundle
//! carries them along, at their paths relative to the score, so it opens and runs as it did here.
//!
//! Opening a bundle is opening untrusted input that writes to the disk. So the whole archive is
//! read and judged in memory first, and only a bundle that passes every rule is written; a refused
//! bundle writes nothing. The rules: no entry may climb out of the target folder (`..`), be
//! absolute, name a drive, use `\`, be a link or anything but a file or folder, appear twice (names
//! compared ignoring case, as macOS and Windows do), or sit under a name that is also a file;
//! there are at most so many entries, each and all of them at most so large once unpacked, none
//! compressed suspiciously well (a zip bomb), and exactly one `*.score.toml` at the top. Nothing
//! already in the target folder is overwritten, and no link there is followed.
//!
//! These are the only functions of the crate that touch the disk.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::{Cursor, Read, Write};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::ExportError;

/// The suffix of a score file, which a bundle holds exactly one of at its top level.
const SCORE_SUFFIX: &str = ".score.toml";

/// How much a bundle may hold. The defaults fit any real score with its documents and stop zip
/// bombs and floods of entries long before they cost memory or disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries (files and folders) in a bundle.
    pub max_entries: usize,
    /// Largest file, unpacked, in bytes.
    pub max_entry_bytes: u64,
    /// Largest total of all files, unpacked, in bytes.
    pub max_total_bytes: u64,
    /// Highest unpacked-to-packed size ratio of one file...
    pub max_ratio: u64,
    /// ...for files of at least this many bytes unpacked (small files of one repeated character
    /// compress very well and are harmless).
    pub ratio_floor_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 1000,
            max_entry_bytes: 32 * 1024 * 1024,
            max_total_bytes: 128 * 1024 * 1024,
            max_ratio: 100,
            ratio_floor_bytes: 1024 * 1024,
        }
    }
}

/// What opening a bundle wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenedBundle {
    /// The score file, inside the target folder.
    pub score: PathBuf,
    /// Every file written, the score included, in the bundle's order.
    pub files: Vec<PathBuf>,
}

/// A bundle of the score at `score_path`: the file's own bytes, and each file its shared context
/// attaches, read from the disk relative to the score's folder. Reads the disk; writes nothing.
pub fn write_bundle(score_path: &Path) -> Result<Vec<u8>, ExportError> {
    write_bundle_with(score_path, &Limits::default())
}

/// [`write_bundle`] with other limits.
pub fn write_bundle_with(score_path: &Path, limits: &Limits) -> Result<Vec<u8>, ExportError> {
    let loaded = ensemble_score::load(score_path).map_err(|e| ExportError::Score(e.to_string()))?;
    let folder = match score_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let real_folder = fs::canonicalize(&folder).map_err(|source| ExportError::Read { path: folder.clone(), source })?;
    let file_name = score_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let score_name = if file_name.ends_with(SCORE_SUFFIX) {
        file_name
    } else {
        let stem = score_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "score".into());
        format!("{stem}{SCORE_SUFFIX}")
    };

    let mut entries: Vec<(String, Vec<u8>)> = vec![(score_name, read_bounded(score_path, limits.max_entry_bytes)?)];
    let workspace = loaded.score.context.workspace.as_deref().unwrap_or(".");
    let mut total = entries[0].1.len() as u64;
    let mut seen: HashSet<String> = HashSet::new();
    for file in &loaded.score.context.files {
        let refuse = |reason: &str| ExportError::Attachment { name: file.clone(), reason: reason.to_string() };
        let name = relative_name(workspace, file).map_err(&refuse)?;
        if !seen.insert(name.clone()) {
            continue; // Attached twice: one copy is enough.
        }
        let path = folder.join(&name);
        let meta = fs::symlink_metadata(&path).map_err(|source| ExportError::Read { path: path.clone(), source })?;
        if meta.file_type().is_symlink() {
            return Err(refuse("it is a link; a bundle holds only regular files"));
        }
        if !meta.is_file() {
            return Err(refuse("it is not a regular file"));
        }
        // A folder on the way may itself be a link out of the score's folder.
        let real = fs::canonicalize(&path).map_err(|source| ExportError::Read { path: path.clone(), source })?;
        if !real.starts_with(&real_folder) {
            return Err(refuse("it lies outside the score's folder through a link"));
        }
        let bytes = read_bounded(&path, limits.max_entry_bytes)?;
        total += bytes.len() as u64;
        if total > limits.max_total_bytes {
            return Err(refuse(&format!("the bundle would hold more than {} bytes", limits.max_total_bytes)));
        }
        if entries.len() >= limits.max_entries {
            return Err(refuse(&format!("a bundle holds at most {} files", limits.max_entries)));
        }
        entries.push((name, bytes));
    }

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).unix_permissions(0o644);
    for (name, bytes) in &entries {
        zip.start_file(name.as_str(), options).map_err(|e| ExportError::Zip(e.to_string()))?;
        zip.write_all(bytes).map_err(|e| ExportError::Zip(e.to_string()))?;
    }
    let cursor = zip.finish().map_err(|e| ExportError::Zip(e.to_string()))?;
    Ok(cursor.into_inner())
}

/// The path of an attached file relative to the score's folder, with `/` between parts; refused
/// when it is absolute or leaves the folder.
fn relative_name(workspace: &str, file: &str) -> Result<String, &'static str> {
    let mut parts: Vec<String> = Vec::new();
    for piece in [workspace, file] {
        for component in Path::new(piece).components() {
            match component {
                Component::CurDir => {}
                Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
                Component::ParentDir => {
                    return Err("it lies outside the score's folder; a bundle holds only files beside or below the score");
                }
                Component::RootDir | Component::Prefix(_) => return Err("it is an absolute path"),
            }
        }
    }
    if parts.is_empty() {
        return Err("it names no file");
    }
    Ok(parts.join("/"))
}

/// A file's bytes, refused when it is larger than `max`.
fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, ExportError> {
    let read = |source| ExportError::Read { path: path.to_path_buf(), source };
    let file = fs::File::open(path).map_err(read)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(read)?;
    if bytes.len() as u64 > max {
        return Err(ExportError::Attachment {
            name: path.display().to_string(),
            reason: format!("it is larger than {max} bytes"),
        });
    }
    Ok(bytes)
}

/// Opens a bundle into the folder `into` (made if missing): checks the whole archive against the
/// default [`Limits`] and the rules of the module docs, then writes its files. Writes nothing when
/// it refuses.
pub fn open_bundle(bytes: &[u8], into: &Path) -> Result<OpenedBundle, ExportError> {
    open_bundle_with(bytes, into, &Limits::default())
}

/// [`open_bundle`] with other limits.
pub fn open_bundle_with(bytes: &[u8], into: &Path, limits: &Limits) -> Result<OpenedBundle, ExportError> {
    let files = read_archive(bytes, limits)?;
    let scores: Vec<&str> = files
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| !name.contains('/') && name.ends_with(SCORE_SUFFIX))
        .collect();
    let score = match scores.as_slice() {
        [one] => into.join(one),
        [] => return Err(refused(format!("it holds no score: a bundle has one `NAME{SCORE_SUFFIX}` at its top level"))),
        many => return Err(refused(format!("it holds {} scores at its top level ({}); a bundle has one", many.len(), many.join(", ")))),
    };
    check_target(into, &files)?;
    let written = write_all(into, &files)?;
    Ok(OpenedBundle { score, files: written })
}

fn refused(reason: String) -> ExportError {
    ExportError::Refused(reason)
}

/// Every file of the archive, unpacked in memory, once the archive has passed every rule.
fn read_archive(bytes: &[u8], limits: &Limits) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| refused(format!("it is not a readable zip archive ({e})")))?;
    if archive.len() > limits.max_entries {
        return Err(refused(format!("it holds {} entries, more than the {} a bundle may hold", archive.len(), limits.max_entries)));
    }
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut folders: Vec<String> = Vec::new();
    let mut names: HashSet<String> = HashSet::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| refused(format!("entry {} cannot be read ({e})", i + 1)))?;
        let name = entry.name().map_err(|_| refused(format!("entry {} has a name that is not text", i + 1)))?.into_owned();
        let shown = crate::text::shorten(&crate::text::one_line(&name), 80);
        let bad = |reason: &str| refused(format!("`{shown}` {reason}"));
        if entry.is_symlink() {
            return Err(bad("is a link; a bundle holds only files and folders"));
        }
        if let Some(mode) = entry.unix_mode() {
            let kind = mode & 0o170000;
            if kind != 0 && kind != 0o100000 && kind != 0o040000 {
                return Err(bad("is not a regular file or folder"));
            }
        }
        let is_dir = entry.is_dir();
        let path = check_name(&name, is_dir).map_err(&bad)?;
        if entry.enclosed_name().is_none() {
            return Err(bad("does not stay inside the folder it is opened into"));
        }
        if !names.insert(path.to_lowercase()) {
            return Err(bad("appears twice in the bundle (names are compared ignoring case)"));
        }
        if is_dir {
            folders.push(path);
            continue;
        }
        let declared = entry.size();
        if declared > limits.max_entry_bytes {
            return Err(bad(&format!("unpacks to {declared} bytes, more than the {} bytes one file may have", limits.max_entry_bytes)));
        }
        total = total.saturating_add(declared);
        if total > limits.max_total_bytes {
            return Err(refused(format!("it unpacks to more than the {} bytes a bundle may hold", limits.max_total_bytes)));
        }
        let packed = entry.compressed_size().max(1);
        if declared >= limits.ratio_floor_bytes && declared / packed > limits.max_ratio {
            return Err(bad(&format!(
                "is compressed {}-fold, more than the {}-fold a bundle allows (a zip bomb?)",
                declared / packed,
                limits.max_ratio
            )));
        }
        let mut content = Vec::new();
        (&mut entry)
            .take(declared.saturating_add(1))
            .read_to_end(&mut content)
            .map_err(|e| bad(&format!("cannot be unpacked ({e})")))?;
        if content.len() as u64 != declared {
            return Err(bad("does not hold the size its header says"));
        }
        files.push((path, content));
    }
    // A name that is a file cannot also be a folder holding other entries.
    let file_names: HashSet<String> = files.iter().map(|(n, _)| n.to_lowercase()).collect();
    for name in files.iter().map(|(n, _)| n).chain(folders.iter()) {
        let mut prefix = String::new();
        for part in name.split('/').take(name.split('/').count().saturating_sub(1)) {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            if file_names.contains(&prefix.to_lowercase()) {
                return Err(refused(format!("`{prefix}` is both a file and a folder in the bundle")));
            }
        }
    }
    Ok(files)
}

/// An entry's name, checked: relative, `/` between parts, no `..`, `.` or empty part, no drive,
/// no control character. Returns it without a folder's trailing `/`.
fn check_name(name: &str, is_dir: bool) -> Result<String, &'static str> {
    let name = if is_dir { name.strip_suffix('/').unwrap_or(name) } else { name };
    if name.is_empty() {
        return Err("has an empty name");
    }
    if name.chars().any(char::is_control) {
        return Err("has a control character in its name");
    }
    if name.contains('\\') {
        return Err("uses `\\` in its name; paths in a bundle use `/`");
    }
    if name.starts_with('/') {
        return Err("is an absolute path");
    }
    if name.contains(':') {
        return Err("has `:` in its name (a drive or a stream on Windows)");
    }
    for part in name.split('/') {
        match part {
            ".." => return Err("climbs out of the folder with `..`"),
            "" | "." => return Err("has an empty or `.` part in its path"),
            _ => {}
        }
    }
    Ok(name.to_string())
}

/// The target folder can take every file: no file is there already, and nothing on the way to one
/// is a link or a file.
fn check_target(into: &Path, files: &[(String, Vec<u8>)]) -> Result<(), ExportError> {
    if let Ok(meta) = fs::metadata(into)
        && !meta.is_dir()
    {
        return Err(refused(format!("{} is not a folder", into.display())));
    }
    for (name, _) in files {
        let mut at = into.to_path_buf();
        let parts: Vec<&str> = name.split('/').collect();
        for (k, part) in parts.iter().enumerate() {
            at.push(part);
            let Ok(meta) = fs::symlink_metadata(&at) else { break };
            let last = k + 1 == parts.len();
            if meta.file_type().is_symlink() {
                return Err(refused(format!("{} in the target folder is a link, which opening will not follow", at.display())));
            }
            if last {
                return Err(refused(format!("{} already exists, and opening never overwrites", at.display())));
            }
            if !meta.is_dir() {
                return Err(refused(format!("{} in the target folder is a file, where the bundle has a folder", at.display())));
            }
        }
    }
    Ok(())
}

/// Writes the files, each new (never over an existing one). When a write fails, the files written
/// so far are removed again.
fn write_all(into: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, ExportError> {
    let mut written: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for (name, bytes) in files {
            let path = name.split('/').fold(into.to_path_buf(), |p, part| p.join(part));
            let fail = |source| ExportError::Write { path: path.clone(), source };
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(fail)?;
            }
            let mut file = OpenOptions::new().write(true).create_new(true).open(&path).map_err(fail)?;
            written.push(path.clone());
            file.write_all(bytes).map_err(fail)?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(written),
        Err(e) => {
            for path in &written {
                let _ = fs::remove_file(path);
            }
            Err(e)
        }
    }
}
