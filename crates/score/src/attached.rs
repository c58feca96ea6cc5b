//! Reading an attached file without trusting what it is.
//!
//! A score names its attached files, so the score's author decides what gets opened. A size from
//! `stat` proves nothing: a FIFO blocks the reader until a writer comes, `/dev/zero` and many
//! `/proc` files report a size of 0 and never end or change while being read. So a file is opened
//! without blocking, must be a regular file as seen through the open handle (not the path, which
//! can be swapped in between), may not live in the kernel's pseudo-file systems, and is read
//! through a reader that stops one byte past the limit whatever the file claims.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// Why an attached file was not read; reads after "attached file `NAME` ".
#[derive(Debug)]
pub(crate) enum Unreadable {
    /// A FIFO, socket, device or folder: reading it may block forever or never end.
    NotRegular(&'static str),
    /// Under `/proc`, `/sys` or `/dev`: its contents are the machine's state, not a document.
    SystemFile,
    TooLarge(u64),
    Io(std::io::Error),
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::NotRegular(kind) => write!(f, "is {kind}, not a regular file; attach regular text files only"),
            Unreadable::SystemFile => write!(f, "is a system file (under /proc, /sys or /dev); attach regular text files only"),
            Unreadable::TooLarge(limit) => write!(f, "is larger than {} MiB, the most an attached file may hold", limit / (1024 * 1024)),
            Unreadable::Io(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

/// The contents of the regular file at `path` (already canonical), at most `limit` bytes.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, Unreadable> {
    if [Path::new("/proc"), Path::new("/sys"), Path::new("/dev")].iter().any(|system| path.starts_with(system)) {
        return Err(Unreadable::SystemFile);
    }
    let file = open_without_blocking(path).map_err(Unreadable::Io)?;
    let kind = file.metadata().map_err(Unreadable::Io)?.file_type();
    if !kind.is_file() {
        return Err(Unreadable::NotRegular(describe(&kind)));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(Unreadable::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Unreadable::TooLarge(limit));
    }
    Ok(bytes)
}

/// Opens for reading; on Unix with `O_NONBLOCK`, so opening a FIFO returns at once instead of
/// waiting for a writer (for a regular file the flag changes nothing).
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_and_one_at_it_is_read() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("a.txt");
        std::fs::write(&path, b"12345").expect("write");
        assert_eq!(read_bounded(&path, 5).expect("exactly at the limit is fine"), b"12345");
        assert!(matches!(read_bounded(&path, 4), Err(Unreadable::TooLarge(4))), "one byte over is refused");
    }

    #[test]
    fn folders_and_system_files_are_refused() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        assert!(matches!(read_bounded(dir.path(), 10), Err(Unreadable::NotRegular("a folder"))));
        assert!(matches!(read_bounded(Path::new("/proc/self/status"), 10), Err(Unreadable::SystemFile)));
    }
}
