//! Commands on a score as a document: new, open, parse, validate, save, its text, its context.
//!
//! The engine does the work; these map its results to what the webview shows. A score that
//! does not load is not a failed command: it comes back with its text and every problem, so
//! the studio can show them beside the text and nothing the person wrote is lost.

use std::path::{Path, PathBuf};

use ensemble_score::{FORMAT_VERSION, Intent, LoadError, Problem, Score};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{UiError, UiResult};

/// A score read from a file or from text, with everything wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OpenedScore {
    pub path: Option<String>,
    pub text: String,
    /// Absent whenever there is a problem: never a half-loaded score.
    pub score: Option<Score>,
    /// With line and column.
    pub problems: Vec<Problem>,
}

/// What was written, as written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SavedScore {
    pub path: String,
    pub text: String,
}

/// The shared context's badge: which version every player receives, and how big it is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ContextBadge {
    pub version: String,
    #[ts(type = "number")]
    pub tokens_estimate: u64,
    /// Attached files.
    pub files: u32,
    pub problems: Vec<Problem>,
}

#[tauri::command]
pub fn new_score() -> Score {
    Score {
        format: FORMAT_VERSION,
        title: "Untitled score".into(),
        intent: Intent::default(),
        context: Default::default(),
        tempo: Default::default(),
        sections: vec![],
        players: vec![],
        cues: vec![],
    }
}

#[tauri::command]
pub fn open_score(path: String) -> UiResult<OpenedScore> {
    let file = PathBuf::from(&path);
    match ensemble_score::load(&file) {
        Ok(loaded) => Ok(OpenedScore { path: Some(path), text: loaded.text, score: Some(loaded.score), problems: vec![] }),
        Err(LoadError::Invalid { problems, .. }) => {
            // The file was read once already; a failure now means it vanished in between.
            let bytes = std::fs::read(&file).map_err(|e| UiError::new(format!("{path}: {e}")))?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Ok(OpenedScore { path: Some(path), text, score: None, problems })
        }
        Err(e @ LoadError::Io { .. }) => Err(e.into()),
    }
}

#[tauri::command]
pub fn parse_score(text: String, path: Option<String>) -> OpenedScore {
    let base_dir = path.as_deref().and_then(base_dir_of);
    match ensemble_score::parse(&text, base_dir.as_deref()) {
        Ok(score) => OpenedScore { path, text, score: Some(score), problems: vec![] },
        Err(problems) => OpenedScore { path, text, score: None, problems },
    }
}

#[tauri::command]
pub fn validate_score(score: Score, path: Option<String>) -> Vec<Problem> {
    let base_dir = path.as_deref().and_then(base_dir_of);
    ensemble_score::validate(&score, base_dir.as_deref())
}

/// Saves even a score with problems: a half-built ensemble is still work worth keeping.
#[tauri::command]
pub fn save_score(path: String, score: Score, source: Option<String>) -> UiResult<SavedScore> {
    let file = PathBuf::from(&path);
    // Comments come from the file being replaced or, on "save as" to a new path, from the file
    // the score was opened from.
    let previous = std::fs::read_to_string(&file)
        .ok()
        .or_else(|| source.as_deref().and_then(|source| std::fs::read_to_string(source).ok()));
    ensemble_score::save(&file, &score, previous.as_deref()).map_err(|e| UiError::new(format!("could not save {path}: {e}")))?;
    let text = std::fs::read_to_string(&file).map_err(|e| UiError::new(format!("saved {path} but could not read it back: {e}")))?;
    Ok(SavedScore { path, text })
}

#[tauri::command]
pub fn score_text(score: Score) -> UiResult<String> {
    Ok(ensemble_score::to_toml(&score, None)?)
}

/// A score never saved has no folder, so its attached files cannot be found yet: the badge then
/// counts them and describes the rest of the context.
#[tauri::command]
pub fn context_badge(score: Score, path: Option<String>) -> ContextBadge {
    let files = score.context.files.len() as u32;
    let (score, base_dir) = match path.as_deref().and_then(base_dir_of) {
        Some(dir) => (score, dir),
        None => {
            let mut score = score;
            score.context.files.clear();
            (score, std::env::temp_dir())
        }
    };
    match ensemble_score::render_context(&score, &base_dir) {
        Ok(rendered) => ContextBadge { version: rendered.version, tokens_estimate: rendered.tokens_estimate, files, problems: vec![] },
        Err(problems) => ContextBadge { version: String::new(), tokens_estimate: 0, files, problems },
    }
}

/// The folder a score file sits in: its workspace and attached files are relative to it.
pub fn base_dir_of(path: &str) -> Option<PathBuf> {
    let parent = Path::new(path).parent()?;
    Some(if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent.to_path_buf() })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRIO: &str = include_str!("../../assets/scores/feature-trio.score.toml");

    fn write(dir: &Path, name: &str, text: &str) -> String {
        let file = dir.join(name);
        std::fs::write(&file, text).expect("the test folder is writable");
        file.display().to_string()
    }

    #[test]
    fn an_example_opens_whole_and_saves_back_to_the_same_bytes() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let path = write(dir.path(), "trio.score.toml", TRIO);
        let opened = open_score(path.clone()).expect("the example opens");
        assert!(opened.problems.is_empty(), "{:?}", opened.problems);
        let score = opened.score.expect("a score without problems is loaded");
        assert_eq!(score.title, "Feature trio");

        let saved = save_score(path.clone(), score, None).expect("the example saves");
        assert_eq!(saved.text, TRIO, "saving what was loaded gives the same bytes, comments included");
        assert_eq!(std::fs::read_to_string(&path).expect("the saved file reads"), TRIO);
    }

    #[test]
    fn save_as_to_a_new_path_keeps_the_comments_of_the_file_it_was_opened_from() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let source = write(dir.path(), "trio.score.toml", TRIO);
        let score = open_score(source.clone()).expect("the example opens").score.expect("the example is whole");
        let copy = dir.path().join("copy.score.toml").display().to_string();
        let saved = save_score(copy.clone(), score.clone(), Some(source.clone())).expect("save as works");
        assert_eq!(saved.text, TRIO, "the copy keeps the opening comment block of its source");
        let bare = dir.path().join("bare.score.toml").display().to_string();
        let saved = save_score(bare, score, None).expect("save without a source works");
        assert_ne!(saved.text, TRIO, "without a source there are no comments to keep");
    }

    #[test]
    fn a_broken_file_comes_back_with_its_text_and_located_problems() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let text = "format = 1\ntitle = \"Broken\"\n\n[intent]\ngoal = \"x\"\ncolour = \"blue\"\n";
        let path = write(dir.path(), "broken.score.toml", text);
        let opened = open_score(path).expect("a broken score is not a failed command");
        assert_eq!(opened.text, text, "the text is kept so nothing is lost");
        assert!(opened.score.is_none());
        let problem = opened.problems.iter().find(|p| p.message.contains("colour")).expect("the unknown key is reported");
        assert_eq!(problem.line, Some(6));
    }

    #[test]
    fn a_missing_file_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let path = dir.path().join("nowhere.score.toml").display().to_string();
        let error = open_score(path.clone()).expect_err("a missing file cannot open");
        assert!(error.message.contains("nowhere.score.toml"), "{}", error.message);
    }

    #[test]
    fn saving_a_new_file_writes_canonical_text_that_opens_again() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let mut score = new_score();
        score.intent.goal = "Write the release notes".into();
        let path = dir.path().join("new.score.toml").display().to_string();
        let saved = save_score(path.clone(), score.clone(), None).expect("a new score saves");
        assert_eq!(saved.text, score_text(score.clone()).expect("a score has a text"));
        let reopened = open_score(path).expect("the saved file opens");
        assert_eq!(reopened.score, Some(score));
    }

    #[test]
    fn saving_into_a_missing_folder_fails_with_a_message_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let path = dir.path().join("no/such/folder/x.score.toml");
        let error = save_score(path.display().to_string(), new_score(), None).expect_err("there is no folder to save into");
        assert!(error.message.starts_with("could not save"), "{}", error.message);
        assert!(!path.exists());
    }

    #[test]
    fn parsing_text_reports_problems_with_lines_and_validating_a_model_without() {
        let parsed = parse_score("format = 1\ntitle = \n".into(), None);
        assert!(parsed.score.is_none());
        assert!(parsed.problems.iter().all(|p| p.line.is_some()), "{:?}", parsed.problems);

        let mut score = parse_score(TRIO.into(), None).score.expect("the example parses");
        score.cues[0].to = "nobody".into();
        let problems = validate_score(score, None);
        assert!(problems.iter().any(|p| p.message.contains("nobody")), "{problems:?}");
        assert!(problems.iter().all(|p| p.line.is_none()));
    }

    #[test]
    fn the_context_badge_counts_files_and_finds_missing_ones_beside_the_score() {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        let mut score = new_score();
        score.intent.goal = "Ship".into();
        score.context.files = vec!["notes.md".into()];
        let path = dir.path().join("s.score.toml").display().to_string();

        let missing = context_badge(score.clone(), Some(path.clone()));
        assert_eq!(missing.files, 1);
        assert!(!missing.problems.is_empty(), "an attached file that is not there is a problem");

        write(dir.path(), "notes.md", "Use British spelling.");
        let present = context_badge(score.clone(), Some(path));
        assert!(present.problems.is_empty(), "{:?}", present.problems);
        assert!(present.version.starts_with("sha256:"));

        let unsaved = context_badge(score, None);
        assert_eq!(unsaved.files, 1);
        assert!(unsaved.problems.is_empty(), "an unsaved score's files are only counted");
        assert_ne!(unsaved.version, present.version, "the attached file is part of the saved score's context");
    }
}
