//! Hostile and malformed sources are refused with a message that says why, before any score is
//! made: alias bombs, deep nesting, binary data, enormous files, the wrong shapes.

use std::path::{Path, PathBuf};

use ensemble_import::{ImportError, MAX_SOURCE_BYTES, import};

fn project(root: &Path, agents: &[u8], tasks: &[u8]) -> PathBuf {
    std::fs::write(root.join("agents.yaml"), agents).unwrap();
    std::fs::write(root.join("tasks.yaml"), tasks).unwrap();
    root.to_path_buf()
}

const TASKS: &[u8] = b"t:\n  description: Do.\n  expected_output: Done.\n  agent: a\n";
const AGENTS: &[u8] = b"a:\n  role: A\n  goal: G\n  backstory: B\n";

#[test]
fn an_alias_bomb_is_refused() {
    // Nine levels of nine aliases each: 9^9 (387 million) strings once expanded.
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        bomb.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    let dir = tempfile::tempdir().unwrap();
    let err = import(&project(dir.path(), bomb.as_bytes(), TASKS)).unwrap_err();
    assert!(
        matches!(err, ImportError::Yaml { .. }),
        "an alias bomb is stopped by the parser's budget, not expanded: {err}"
    );
}

#[test]
fn deep_nesting_is_refused() {
    let depth = 10_000;
    let deep = format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let dir = tempfile::tempdir().unwrap();
    let err = import(&project(dir.path(), deep.as_bytes(), TASKS)).unwrap_err();
    assert!(matches!(err, ImportError::Yaml { .. }), "{err}");

    let json = dir.path().join("graph.json");
    std::fs::write(
        &json,
        format!(
            "{{\"nodes\": {}{}, \"edges\": []}}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    )
    .unwrap();
    let err = import(&json).unwrap_err();
    assert!(
        matches!(err, ImportError::Json { .. }),
        "JSON nesting is bounded too: {err}"
    );
}

#[test]
fn binary_and_enormous_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = import(&project(dir.path(), b"a:\n  role: \x00\x01\x02\xff", TASKS)).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("agents.yaml is not text (it holds binary data); nothing was imported"),
        "{err}"
    );

    let huge = format!(
        "t:\n  description: {}\n",
        "x".repeat(MAX_SOURCE_BYTES as usize)
    );
    let err = import(&project(dir.path(), AGENTS, huge.as_bytes())).unwrap_err();
    assert!(
        matches!(err, ImportError::TooLarge { limit, .. } if limit == MAX_SOURCE_BYTES),
        "{err}"
    );

    let png = dir.path().join("picture.json");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
    assert!(matches!(
        import(&png).unwrap_err(),
        ImportError::Binary { .. }
    ));
}

#[test]
fn wrong_shapes_are_refused_with_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    let err = import(&project(dir.path(), AGENTS, b"- first\n- second\n")).unwrap_err();
    assert!(
        matches!(err, ImportError::Yaml { .. }),
        "a list where names are expected: {err}"
    );

    let err = import(&project(dir.path(), b"a: just a string\n", TASKS)).unwrap_err();
    assert!(
        err.to_string()
            .contains("agent `a` should be a mapping of settings"),
        "{err}"
    );

    let err = import(&project(dir.path(), b"a: [unclosed\n", TASKS)).unwrap_err();
    assert!(matches!(err, ImportError::Yaml { .. }), "{err}");

    let err = import(&project(
        dir.path(),
        b"a:\n  role: A\na:\n  role: B\n",
        TASKS,
    ))
    .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("agents.yaml is not valid YAML: line 3 column 1: duplicate mapping key: a"),
        "an agent defined twice is ambiguous: {err}"
    );

    let err = import(&project(dir.path(), b"", TASKS)).unwrap_err();
    assert!(err.to_string().contains("it names no agent"), "{err}");

    let lone = tempfile::tempdir().unwrap();
    std::fs::write(lone.path().join("agents.yaml"), AGENTS).unwrap();
    let err = import(&lone.path().join("agents.yaml")).unwrap_err();
    assert!(
        err.to_string()
            .contains("agents.yaml is there but tasks.yaml is missing"),
        "{err}"
    );

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    assert!(matches!(
        import(&text).unwrap_err(),
        ImportError::Unrecognised { .. }
    ));
}
