//! The Mermaid chart has the shape Mermaid reads: safe ids, subgraphs for sections, quoted and
//! escaped labels, an edge per cue labelled like the picture.

mod common;

use ensemble_export::{cue_label, mermaid};
use ensemble_score::Score;
use regex::Regex;

/// A label as Mermaid shows it: entity codes turned back into characters.
fn decode(label: &str) -> String {
    let named = label.replace("#quot;", "\"").replace("#lt;", "<").replace("#gt;", ">").replace("#amp;", "&");
    Regex::new(r"#(\d+);")
        .expect("a valid pattern")
        .replace_all(&named, |c: &regex::Captures| char::from_u32(c[1].parse().expect("digits")).map(String::from).unwrap_or_default())
        .into_owned()
}

/// Every quoted label in the chart, decoded.
fn labels(chart: &str) -> Vec<String> {
    Regex::new(r#""([^"]*)""#).expect("a valid pattern").captures_iter(chart).map(|c| decode(&c[1])).collect()
}

fn assert_shape(score: &Score) {
    let chart = mermaid(score);
    let lines: Vec<&str> = chart.lines().collect();
    assert_eq!(lines[0], "flowchart LR", "a left-to-right flowchart");
    let subgraphs = lines.iter().filter(|l| l.trim_start().starts_with("subgraph ")).count();
    let ends = lines.iter().filter(|l| l.trim() == "end").count();
    assert_eq!(subgraphs, score.sections.len(), "one subgraph per section:\n{chart}");
    assert_eq!(ends, subgraphs, "every subgraph is closed:\n{chart}");

    let id = Regex::new(r"^[A-Za-z][A-Za-z0-9_]*$").expect("a valid pattern");
    let edge = Regex::new(r#"^\s*(\S+) (-->|-\.->|==>)(\|"[^"]*"\|)? (\S+)$"#).expect("a valid pattern");
    let edges: Vec<_> = lines.iter().filter_map(|l| edge.captures(l)).collect();
    let drawable = score.cues.iter().filter(|c| score.player(&c.from).is_some() && score.player(&c.to).is_some()).count();
    assert_eq!(edges.len(), drawable, "one edge per cue between known players:\n{chart}");
    for e in &edges {
        assert!(id.is_match(&e[1]) && id.is_match(&e[4]), "edge ends are safe ids: {}", &e[0]);
    }
    let node = Regex::new(r#"^\s*(\S+)\["[^"]*"\]$"#).expect("a valid pattern");
    let nodes: Vec<_> = lines.iter().filter_map(|l| node.captures(l)).collect();
    assert_eq!(nodes.len(), score.players.len(), "one node per player:\n{chart}");
    for n in &nodes {
        assert!(id.is_match(&n[1]), "node ids are safe: {}", &n[1]);
    }

    let shown = labels(&chart);
    for player in &score.players {
        let name: String = player.name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        assert!(shown.iter().any(|l| l.starts_with(&format!("{name}<br/>"))), "player {name:?} is labelled: {shown:?}");
    }
    for cue in &score.cues {
        let text = cue_label(cue);
        if !text.is_empty() {
            assert!(shown.contains(&text), "cue label {text:?} is on its edge: {shown:?}");
        }
    }
    for section in &score.sections {
        assert!(shown.iter().any(|l| l.starts_with(&section.name)), "section {:?} is a titled subgraph", section.name);
    }
}

#[test]
fn examples_and_the_readme_score_have_the_expected_shape() {
    for (_, score) in common::examples() {
        assert_shape(&score);
    }
    let readme = common::readme_example();
    assert_shape(&readme);
    let chart = mermaid(&readme);
    assert!(chart.contains("-.->|"), "the review loop is a dotted edge:\n{chart}");
}

#[test]
fn hostile_names_stay_inside_their_quotes() {
    let score = common::hostile();
    assert_shape(&score);
    let chart = mermaid(&score);
    for forbidden in ["<b>", "]]", "%%", "a-1 (x)", "sec;--x"] {
        assert!(!chart.contains(forbidden), "{forbidden:?} must not reach the chart as syntax:\n{chart}");
    }
}

#[test]
fn cues_to_unknown_players_are_left_out() {
    let mut score = common::readme_example();
    score.cues.push(ensemble_score::Cue {
        from: "poet".into(),
        to: "nobody".into(),
        when: Default::default(),
        verdict: None,
        max_repeats: None,
        checkpoint: false,
    });
    assert_shape(&score);
}
