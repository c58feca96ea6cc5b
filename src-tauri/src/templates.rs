//! Templates: the example scores shipped in `assets/scores`, embedded at build time (see
//! `build.rs`) so a new score starts from something that already plays.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Template {
    /// The file name without `.score.toml`.
    pub id: String,
    pub title: String,
    /// The first paragraph of the file's opening comment, else the score's goal.
    pub description: String,
    /// The score text, as shipped.
    pub text: String,
}

/// The example scores a new score can start from (embedded in the binary: no disk is read).
#[tauri::command]
pub fn list_templates() -> Vec<Template> {
    TEMPLATES.iter().map(|(id, text)| template(id, text)).collect()
}

/// Only what a template list shows is read here; opening a template goes through the score
/// crate like any other text, so a broken example shows its problems there.
#[derive(Deserialize, Default)]
struct Heading {
    #[serde(default)]
    title: String,
    #[serde(default)]
    intent: HeadingIntent,
}

#[derive(Deserialize, Default)]
struct HeadingIntent {
    #[serde(default)]
    goal: String,
}

fn template(id: &str, text: &str) -> Template {
    let heading: Heading = toml::from_str(text).unwrap_or_default();
    let comment: Vec<&str> = text
        .lines()
        .take_while(|line| line.trim_start().starts_with('#'))
        .map(|line| line.trim_start().trim_start_matches('#').trim())
        .take_while(|line| !line.is_empty())
        .collect();
    let comment = comment.join(" ").trim().to_string();
    Template {
        id: id.to_string(),
        title: if heading.title.is_empty() { id.to_string() } else { heading.title },
        description: if comment.is_empty() { heading.intent.goal.trim().to_string() } else { comment },
        text: text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_description_come_from_the_text() {
        let t = template("review-loop", "# A coder and a reviewer.\n# Loops until approved.\n#\n# To use a local model, change the instrument.\nformat = 1\ntitle = \"Review loop\"\n[intent]\ngoal = \"Ship\"\n");
        assert_eq!(t.title, "Review loop");
        assert_eq!(t.description, "A coder and a reviewer. Loops until approved.");

        let t = template("plain", "format = 1\ntitle = \"Plain\"\n[intent]\ngoal = \"  Write the docs \"\n");
        assert_eq!(t.description, "Write the docs");

        let t = template("broken", "this is = = not toml");
        assert_eq!((t.title.as_str(), t.description.as_str()), ("broken", ""));
    }

    #[test]
    fn every_shipped_example_is_a_template() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scores");
        let on_disk = std::fs::read_dir(dir)
            .map(|entries| entries.flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".score.toml")).count())
            .unwrap_or(0);
        let templates = list_templates();
        assert_eq!(templates.len(), on_disk);
        for t in &templates {
            assert!(!t.text.is_empty(), "template {} is empty", t.id);
            assert!(!t.title.is_empty());
        }
    }
}
