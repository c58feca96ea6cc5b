//! Folders only their owner may enter.
//!
//! The store and the studio's autosaves hold prompts, answers and unsaved scores: on a shared
//! machine nobody else should list or read them. A folder this creates is `0700` on Unix; a
//! folder that already exists is left as the user set it.

use std::path::Path;

/// Creates `dir` and any missing parents, each private to the user (`0700` on Unix).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}
