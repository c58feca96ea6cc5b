//! Scores the export tests share: the example scores, the README's shortest score, and a hostile one.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use ensemble_score::{Score, load, parse};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The example scores in assets/scores, with their paths.
pub fn examples() -> Vec<(PathBuf, Score)> {
    let dir = repo().join("assets/scores");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("assets/scores exists")
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".score.toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 3, "expected the example scores in {}", dir.display());
    paths
        .into_iter()
        .map(|p| {
            let score = load(&p).unwrap_or_else(|e| panic!("{} loads: {e:?}", p.display())).score;
            (p, score)
        })
        .collect()
}

/// The shortest useful score, as the README shows it under "The score format": nothing placed.
pub fn readme_example() -> Score {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md is readable");
    let from = readme.find("## The score format").expect("the README has a section on the score format");
    let rest = &readme[from..];
    let start = rest.find("```toml\n").expect("the score format section has a TOML example") + "```toml\n".len();
    let end = rest[start..].find("```").expect("the TOML example is closed") + start;
    parse(&rest[start..end], None).unwrap_or_else(|p| panic!("the README example must load: {p:?}"))
}

/// Names and text that try to break out of XML, Mermaid and Markdown.
pub const HOSTILE_NAME: &str = "<b>&\"x'</b>";
pub const HOSTILE_SECTION: &str = "end]] %% <i>";

/// A valid score whose names, ids and parts are hostile.
pub fn hostile() -> Score {
    let text = format!(
        r#"format = 1
title = "T <&> \"quoted\""

[intent]
goal = "Break things </svg> ```"

[context]
notes = """
# Not a heading of the notes
```
"""

[[sections]]
id = "sec;--x"
name = {section:?}
zone = "stabilizer"

[[players]]
id = "a-1 (x)"
name = {name:?}
section = "sec;--x"
part = """
```
</details>
# Heading inside a part
"""

[players.instrument]
kind = "rehearsal"

[[players]]
id = "b\"2"
name = "Beta\u0007bell"
zone = "innovator"
part = "Reply."

[players.instrument]
kind = "human"

[[cues]]
from = "a-1 (x)"
to = "b\"2"
when = "verdict"
verdict = "(?m)^VERDICT: <OK> & \"done\""
checkpoint = true

[[cues]]
from = "b\"2"
to = "a-1 (x)"
when = "failure"
max_repeats = 2
"#,
        section = HOSTILE_SECTION,
        name = HOSTILE_NAME
    );
    parse(&text, None).unwrap_or_else(|p| panic!("the hostile score is valid: {p:?}"))
}
