//! `validate`, `fmt` and `schema` on real files.

mod support;

use support::{examples, run, text};

const BROKEN: &str = r#"format = 1
title = "Broken"

[intent]
goal = "Show every problem at once."

[[players]]
id = "writer"
name = "Writer"
zone = "innovator"
part = "Write."

[players.instrument]
kind = "rehearsal"

[[players]]
id = "writer"
name = "Second writer"
zone = "innovator"
part = "Write again."

[players.instrument]
kind = "rehearsal"

[[cues]]
from = "writer"
to = "ghost"
"#;

#[test]
fn every_example_is_valid() {
    for file in examples() {
        let out = run(&["validate", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}: {}", file.display(), text(&out.stderr));
        assert_eq!(text(&out.stderr), "", "a valid score prints nothing");
    }
}

#[test]
fn a_broken_score_gets_one_located_line_per_problem() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.score.toml");
    std::fs::write(&file, BROKEN).unwrap();
    let good = examples().remove(0);
    let out = run(&["validate", good.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() >= 2, "both problems are reported: {stderr}");
    let prefix = format!("{}:", file.display());
    for line in &lines {
        let rest = line.strip_prefix(&prefix).unwrap_or_else(|| panic!("names the file: {line}"));
        let (place, message) = rest.split_once(": error: ").unwrap_or_else(|| panic!("FILE:LINE:COL: error: {line}"));
        let numbers: Vec<&str> = place.split(':').collect();
        assert_eq!(numbers.len(), 2, "line and column: {line}");
        assert!(numbers.iter().all(|n| n.parse::<u32>().is_ok_and(|n| n > 0)), "{line}");
        assert!(message.ends_with(']') && message.contains(" ["), "ends with the rule: {line}");
    }
    assert!(stderr.contains("[duplicate_id]"), "{stderr}");
    assert!(stderr.contains("[cue_to_missing_player]"), "{stderr}");
    // The duplicate is on the second `id = "writer"` (line 17 of the text above).
    assert!(lines.iter().any(|l| l.starts_with(&format!("{prefix}17:")) && l.contains("[duplicate_id]")), "{stderr}");
}

#[test]
fn a_toml_syntax_error_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("syntax.score.toml");
    std::fs::write(&file, "format = 1\ntitle = \"unclosed\n").unwrap();
    let out = run(&["validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with(&format!("{}:2:", file.display())), "{stderr}");
    assert!(stderr.trim_end().ends_with("[syntax]"), "{stderr}");
}

#[test]
fn a_missing_file_is_one_clear_line_and_exit_2() {
    let out = run(&["validate", "/nonexistent/nothing.score.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("/nonexistent/nothing.score.toml: error:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn fmt_check_lists_what_would_change_and_fmt_fixes_it_keeping_comments() {
    let dir = tempfile::tempdir().unwrap();
    let canonical = dir.path().join("canonical.score.toml");
    std::fs::copy(support::feature_trio(), &canonical).unwrap();
    let messy = dir.path().join("messy.score.toml");
    // Same score, keys out of order and spaced oddly, with a comment to keep.
    let original = std::fs::read_to_string(support::feature_trio()).unwrap();
    let messed = original.replacen("format = 1\ntitle = \"Feature trio\"", "title   =   \"Feature trio\"   # the name\nformat = 1", 1);
    assert_ne!(messed, original, "the example starts with format and title");
    std::fs::write(&messy, &messed).unwrap();

    let out = run(&["fmt", "--check", canonical.to_str().unwrap(), messy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), messy.display().to_string(), "only the messy file would change");
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), messed, "--check changes nothing");

    let out = run(&["fmt", messy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let formatted = std::fs::read_to_string(&messy).unwrap();
    assert!(formatted.contains("# the name"), "comments are kept:\n{formatted}");
    assert!(formatted.find("format = 1").unwrap() < formatted.find("title =").unwrap(), "canonical key order");
    let out = run(&["fmt", "--check", messy.to_str().unwrap()]);
    assert!(out.status.success(), "formatting is stable: {}", text(&out.stdout));
}

#[test]
fn schema_is_the_json_schema_of_scores() {
    let out = run(&["schema"]);
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the schema is JSON");
    assert_eq!(schema["title"], "Score");
    assert!(schema["properties"]["players"].is_object(), "{schema}");
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["run", "x.score.toml", "--endpoint", "http://127.0.0.1:1/v1"]);
    assert_eq!(out.status.code(), Some(2), "--endpoint needs --model");
}
