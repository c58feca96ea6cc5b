//! Helpers shared by the score tests.
#![allow(dead_code)]

use ensemble_score::{Problem, Rule};

/// A small valid score; tests append to it or replace parts of it.
pub const BASE: &str = r#"format = 1
title = "Small"

[intent]
goal = "Ship it"

[[sections]]
id = "build"
name = "Build"
zone = "integrator"

[[players]]
id = "a"
name = "A"
section = "build"
part = "Write it."

[players.instrument]
kind = "rehearsal"

[[players]]
id = "b"
name = "B"
zone = "improver"
part = "Check it."

[players.instrument]
kind = "rehearsal"
"#;

/// The 1-based line and column (in characters) where the `nth` (0-based) occurrence of `needle` starts.
pub fn at(text: &str, needle: &str, nth: usize) -> (u32, u32) {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("test text has no occurrence {nth} of {needle:?}"))
        .0;
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() as u32 + 1;
    (line, column)
}

pub fn problems(text: &str) -> Vec<Problem> {
    match ensemble_score::parse(text, None) {
        Ok(_) => panic!("expected problems, but the score loaded:\n{text}"),
        Err(problems) => problems,
    }
}

/// Asserts there is exactly one problem, of `rule`, at the `nth` occurrence of `needle`.
pub fn one(text: &str, rule: Rule, needle: &str, nth: usize) -> Problem {
    let found = problems(text);
    assert_eq!(found.len(), 1, "expected one problem, got {found:#?}");
    let p = found.into_iter().next().expect("length checked above");
    assert_eq!(p.rule, rule, "{p:#?}");
    let (line, column) = at(text, needle, nth);
    assert_eq!((p.line, p.column), (Some(line), Some(column)), "wrong place for {p:#?}");
    assert!(!p.message.is_empty());
    p
}
