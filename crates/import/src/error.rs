//! Why an import was refused, in words a person can act on. Nothing is written when it is.

use std::path::PathBuf;

/// Why an import could not be made. Every variant reads as a complete sentence, and none of them
/// quotes a value from the file (a value could be a secret someone put there by mistake).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("could not read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is larger than {limit} bytes, more than an import reads; nothing was imported", path.display())]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{} is not text (it holds binary data); nothing was imported", path.display())]
    Binary { path: PathBuf },
    #[error("{} is not valid YAML: {message}", path.display())]
    Yaml { path: PathBuf, message: String },
    #[error("{} is not valid JSON: {message}", path.display())]
    Json { path: PathBuf, message: String },
    #[error("{} is not {expected}: {message}", path.display())]
    Shape {
        path: PathBuf,
        expected: &'static str,
        message: String,
    },
    #[error(
        "{} is neither a CrewAI project (a folder with agents.yaml and tasks.yaml, or one of those files) nor a LangGraph graph description (.json with nodes and edges)",
        path.display()
    )]
    Unrecognised { path: PathBuf },
    #[error(
        "{limit_name}: {count} is more than an import takes (at most {limit}); nothing was imported"
    )]
    TooMany {
        limit_name: &'static str,
        count: usize,
        limit: usize,
    },
    /// The score made from the import breaks a rule of the format. This is a flaw of the
    /// importer, not of the file, but it is refused all the same rather than written broken.
    #[error("the imported score does not pass the score's own checks: {0}")]
    Invalid(String),
}
