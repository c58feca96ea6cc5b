//! Scores from other tools: a CrewAI project (`agents.yaml` and `tasks.yaml`) or a LangGraph
//! graph description (the JSON of `get_graph().to_json()`), each with a report of what could not
//! be carried over.
//!
//! Files from elsewhere are hostile until shown otherwise: each is read within a size cap, must be
//! text, and YAML is parsed under a budget (nesting, aliases, nodes), so a malformed or malicious
//! file is refused with a message before anything is made. The score made goes through the same
//! layout, canonical writing and parsing as a score from a file, so what comes out is a normal
//! `.score.toml` that loads; it is untrusted like any score from elsewhere. This crate reads; it
//! writes nothing (the operations layer decides where the score goes).

mod crewai;
mod cues;
mod error;
mod ids;
mod langgraph;
mod llm;
mod ordered;
mod read;
mod report;

use std::path::Path;

use ensemble_score::Score;

pub use crewai::{CrewFiles, MAX_AGENTS, MAX_TASKS, locate as locate_crew};
pub use error::ImportError;
pub use langgraph::{LOOP_LIMIT as GRAPH_LOOP_LIMIT, MAX_EDGES, MAX_NODES};
pub use llm::{ANTHROPIC_KEY_ENV, OLLAMA_URL, OPENAI_KEY_ENV, OPENAI_URL};
pub use read::MAX_SOURCE_BYTES;
pub use report::{ImportNote, ImportReport, ImportSource};

/// A score made from another tool's files.
#[derive(Debug, Clone)]
pub struct Imported {
    pub score: Score,
    /// The canonical `.score.toml` text of `score`, checked to load.
    pub text: String,
    pub report: ImportReport,
    /// A file name stem for the score, from the project or file name.
    pub stem: String,
}

fn is_json(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads the project or graph at `path` and makes its score. Writes nothing.
pub fn import(path: &Path) -> Result<Imported, ImportError> {
    let mut notes = report::Notes::default();
    let (score, source, stem) = if let Some(files) = crewai::locate(path)? {
        let score = crewai::import(&files, &mut notes)?;
        (score, ImportSource::Crewai, files.name.clone())
    } else if is_json(path) {
        let value = read::json(path)?;
        if !langgraph::looks_like_graph(&value) {
            return Err(ImportError::Shape {
                path: path.to_path_buf(),
                expected: "a LangGraph graph description",
                message: "it needs a `nodes` list and an `edges` list".into(),
            });
        }
        let score = langgraph::import(path, &value, &mut notes)?;
        let name = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (score, ImportSource::Langgraph, name)
    } else {
        return Err(ImportError::Unrecognised {
            path: path.to_path_buf(),
        });
    };
    finish(score, source, &stem, notes)
}

/// Places the score, writes it canonically and parses it back, exactly as a file would be.
fn finish(
    mut score: Score,
    source: ImportSource,
    stem: &str,
    notes: report::Notes,
) -> Result<Imported, ImportError> {
    ensemble_score::place_unplaced(&mut score);
    let text =
        ensemble_score::to_toml(&score, None).map_err(|e| ImportError::Invalid(e.to_string()))?;
    let parsed = ensemble_score::parse(&text, None).map_err(|problems| {
        ImportError::Invalid(
            problems
                .iter()
                .take(3)
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let report = ImportReport {
        source,
        players: parsed.players.len(),
        cues: parsed.cues.len(),
        notes: notes.0,
    };
    let mut ids = ids::Ids::default();
    Ok(Imported {
        score: parsed,
        text,
        report,
        stem: ids.make(stem).replace('_', "-"),
    })
}
