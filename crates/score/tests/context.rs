//! The shared context: same material, same version; any change to it, a new version.

use std::path::Path;

use ensemble_score::{Rule, Score, parse, render_context};

const SCORE: &str = r#"format = 1
title = "Context"

[intent]
goal = "Write the guide"
why = "People get lost"
done_when = "Every step is tested"

[context]
notes = "Use plain words."
files = ["docs/style.md", "glossary.md"]
"#;

fn setup() -> (tempfile::TempDir, Score) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("docs")).expect("make docs/");
    std::fs::write(dir.path().join("docs/style.md"), "Short sentences.\n").expect("write style");
    std::fs::write(dir.path().join("glossary.md"), "score: the whole document\n").expect("write glossary");
    let score = parse(SCORE, Some(dir.path())).expect("valid with its files");
    (dir, score)
}

#[test]
fn renders_intent_notes_and_files_in_order() {
    let (dir, score) = setup();
    let ctx = render_context(&score, dir.path()).expect("renders");
    let order = ["Goal: Write the guide", "Why: People get lost", "Done when: Every step is tested", "Use plain words.",
        "# File: docs/style.md", "Short sentences.", "# File: glossary.md", "score: the whole document"];
    let at: Vec<usize> = order.iter().map(|s| ctx.text.find(s).unwrap_or_else(|| panic!("{s} missing:\n{}", ctx.text))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{}", ctx.text);
    assert!(!ctx.text.contains(&dir.path().display().to_string()), "no machine paths in the context");
    assert_eq!(ctx.tokens_estimate, (ctx.text.chars().count() as u64).div_ceil(4));
    assert!(ctx.version.starts_with("sha256:") && ctx.version.len() == 7 + 16, "{}", ctx.version);
    assert!(ctx.version[7..].chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn version_is_stable_and_follows_the_files() {
    let (dir, score) = setup();
    let first = render_context(&score, dir.path()).expect("renders");
    let second = render_context(&score, dir.path()).expect("renders");
    assert_eq!(first, second);
    // The same material in another folder has the same version.
    let (other, _) = setup();
    assert_eq!(render_context(&score, other.path()).expect("renders").version, first.version);

    std::fs::write(dir.path().join("glossary.md"), "score: the whole document!\n").expect("edit the glossary");
    let edited = render_context(&score, dir.path()).expect("renders");
    assert_ne!(edited.version, first.version);

    let mut changed = score.clone();
    changed.intent.goal.push('.');
    assert_ne!(render_context(&changed, other.path()).expect("renders").version, first.version);
}

#[test]
fn missing_and_outside_files_are_problems() {
    let (dir, mut score) = setup();
    score.context.files.push("gone.md".into());
    score.context.files.push("../outside.md".into());
    let problems = render_context(&score, dir.path()).expect_err("two files are wrong");
    let rules: Vec<Rule> = problems.iter().map(|p| p.rule).collect();
    assert_eq!(rules, [Rule::AttachedFileMissing, Rule::OutsideWorkspace]);
    assert!(problems[0].message.contains("gone.md"));
}

#[test]
fn binary_attachments_are_refused() {
    let (dir, mut score) = setup();
    std::fs::write(dir.path().join("logo.png"), [0x89, b'P', b'N', b'G', 0, 0xff]).expect("write");
    score.context.files = vec!["logo.png".into()];
    let problems = render_context(&score, dir.path()).expect_err("not text");
    assert_eq!(problems[0].rule, Rule::Unreadable);
}

#[test]
fn a_score_without_attachments_needs_no_folder() {
    let score = parse(&SCORE.replace("files = [\"docs/style.md\", \"glossary.md\"]\n", ""), None).expect("valid");
    let ctx = render_context(&score, Path::new("/nonexistent-folder")).expect("nothing to read");
    assert!(ctx.text.starts_with("# Intent\n\nGoal: Write the guide\n"), "{}", ctx.text);
}
