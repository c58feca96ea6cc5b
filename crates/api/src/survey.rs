//! The people's survey: the questions, a file to send to someone who has no studio, and the
//! answers that come back, kept in the store per score.
//!
//! A returned survey is a TOML file with one `[[people]]` table per person (`person`, and
//! `alignment.points` and/or `safety.items`); answers are checked when a diagnosis scores them,
//! and invalid ones are reported there rather than refused here, so nothing a person filled in is
//! lost.

use ensemble_diagnostics::{PersonAnswers, Questionnaire};
use ensemble_store::Store;
use serde::{Deserialize, Serialize};

use crate::ApiError;

/// The largest survey file read: a survey is a few hundred bytes per person.
const LARGEST_FILE: u64 = 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
struct SurveyFile {
    #[serde(default)]
    people: Vec<PersonAnswers>,
}

pub fn questionnaire() -> Questionnaire {
    ensemble_diagnostics::questionnaire()
}

/// Reads returned answers from a survey file.
pub fn read(path: &std::path::Path) -> Result<Vec<PersonAnswers>, ApiError> {
    let shown = path.display().to_string();
    let file = |message: String| ApiError::File { path: shown.clone(), message };
    let size = std::fs::metadata(path).map_err(|e| file(e.to_string()))?.len();
    if size > LARGEST_FILE {
        return Err(file(format!("is {size} bytes; a survey file is at most {LARGEST_FILE}")));
    }
    let text = std::fs::read_to_string(path).map_err(|e| file(e.to_string()))?;
    parse(&text).map_err(file)
}

/// Parses the text of a survey file.
pub fn parse(text: &str) -> Result<Vec<PersonAnswers>, String> {
    let parsed: SurveyFile = toml::from_str(text).map_err(|e| format!("is not a survey file: {}", e.message()))?;
    if let Some(nameless) = parsed.people.iter().position(|p| p.person.trim().is_empty()) {
        return Err(format!("person {} has no name", nameless + 1));
    }
    Ok(parsed.people)
}

/// A survey file to send: the questions as comments, and an empty answer sheet for `person`.
pub fn blank_file(person: &str) -> String {
    let q = questionnaire();
    let mut out = String::new();
    out.push_str("# Ensemble survey. Fill in the numbers below and send the file back.\n#\n");
    for line in q.alignment_instructions.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    for (n, scenario) in q.scenarios.iter().enumerate() {
        out.push_str(&format!("#\n# Scenario {}: {}\n", n + 1, scenario.prompt));
        for (i, statement) in scenario.statements.iter().enumerate() {
            out.push_str(&format!("#   {}. {}\n", i + 1, statement.text));
        }
    }
    out.push_str("#\n");
    for line in q.safety_instructions.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    for (n, item) in q.safety_items.iter().enumerate() {
        out.push_str(&format!("#   {}. {}\n", n + 1, item.text));
    }
    let zeros = vec!["[0, 0, 0, 0]"; q.scenarios.len()].join(", ");
    let middles = vec!["4"; q.safety_items.len()].join(", ");
    let name = toml::Value::String(person.to_string());
    out.push_str(&format!(
        "\n[[people]]\nperson = {name}\n\n[people.alignment]\n# One list per scenario, one number per statement, 10 points per scenario.\npoints = [{zeros}]\n\n[people.safety]\n# One number per statement, 1 to 7.\nitems = [{middles}]\n"
    ));
    out
}

/// Keeps one person's answers for the score `key`, replacing earlier ones.
pub fn keep(store: &Store, key: &str, answers: &PersonAnswers) -> Result<(), ApiError> {
    let json = serde_json::to_string(answers)
        .map_err(|e| ApiError::File { path: "(survey)".into(), message: format!("cannot keep the answers: {e}") })?;
    Ok(store.save_survey_answers(key, &answers.person, &json)?)
}

/// Everyone's kept answers for the score `key`, each with the time it was kept.
pub fn answers(store: &Store, key: &str) -> Result<Vec<PersonAnswers>, ApiError> {
    Ok(store
        .survey_answers(key)?
        .iter()
        .filter_map(|(json, answered_ms)| {
            let answers: PersonAnswers = serde_json::from_str(json).ok()?;
            Some(PersonAnswers { answered_ms: Some(*answered_ms), ..answers })
        })
        .collect())
}
