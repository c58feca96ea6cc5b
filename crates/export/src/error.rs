//! Why an export failed, in words a person can act on.

use std::path::PathBuf;

/// Why an export could not be made. Every variant reads as a complete sentence.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the picture scale must be between 1 and {max}, not {scale}")]
    Scale { scale: u32, max: u32 },
    #[error("the picture would be {width} × {height} pixels, more than a PNG export allows (at most {max} pixels a side, 64 million in all); export at a smaller scale or move the players closer together")]
    TooLarge { width: u64, height: u64, max: u64 },
    #[error("the picture could not be drawn: {0}")]
    Render(String),
    #[error("could not read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("could not write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the score could not be read: {0}")]
    Score(String),
    #[error("the attached file `{name}` cannot go into a bundle: {reason}")]
    Attachment { name: String, reason: String },
    #[error("the bundle could not be written: {0}")]
    Zip(String),
    #[error("the bundle was not opened, and nothing was written: {0}")]
    Refused(String),
}
