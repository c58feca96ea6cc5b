//! Reading the source files within bounds: a size cap checked before the whole file is read,
//! text only, and YAML parsed under a budget that stops alias bombs and deep nesting before they
//! cost memory. JSON nesting is bounded by `serde_json`'s own recursion limit.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::ImportError;
use crate::ordered::Ordered;

/// The largest source file an import reads. A crew or a graph description is a few kilobytes;
/// a megabyte is already far more than any hand-written one.
pub const MAX_SOURCE_BYTES: u64 = 1024 * 1024;

/// Deepest nesting of mappings and sequences accepted in YAML. A CrewAI file needs three.
const MAX_YAML_DEPTH: usize = 32;

/// The text of `path`, refused when it is over the size cap or not UTF-8 text.
pub fn text(path: &Path) -> Result<String, ImportError> {
    let io = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    // One byte past the cap, so a huge file is refused without being read whole.
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_SOURCE_BYTES,
        });
    }
    if bytes.contains(&0) {
        return Err(ImportError::Binary {
            path: path.to_path_buf(),
        });
    }
    String::from_utf8(bytes).map_err(|_| ImportError::Binary {
        path: path.to_path_buf(),
    })
}

/// A YAML file whose top level is a mapping, in file order, within the budget.
pub(crate) fn yaml(path: &Path) -> Result<Ordered, ImportError> {
    let text = text(path)?;
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_YAML_DEPTH,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 100_000,
            max_documents: 1,
            max_total_scalar_bytes: MAX_SOURCE_BYTES as usize * 4,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
        },
    };
    serde_saphyr::from_str_with_options(&text, options).map_err(|e| ImportError::Yaml {
        path: path.to_path_buf(),
        message: first_line(&e.to_string()),
    })
}

/// A JSON file as a value.
pub fn json(path: &Path) -> Result<Value, ImportError> {
    let text = text(path)?;
    serde_json::from_str(&text).map_err(|e| ImportError::Json {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// The parser's message without its source excerpt (the excerpt could hold a secret) and
/// without advice meant for programmers.
fn first_line(message: &str) -> String {
    message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("unreadable")
        .trim()
        .trim_start_matches("error: ")
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or_default()
        .to_string()
}
