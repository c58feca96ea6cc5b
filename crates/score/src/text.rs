//! Turning raw bytes into text we are willing to parse, and byte offsets into places a person can find.
//!
//! A score may come from anywhere, so the checks here run before any parser sees the text: a file
//! that is too large, binary or not UTF-8 is refused with a message that says where it went wrong.

use crate::{Problem, Rule, Target};

/// The largest score file we read. Real scores are a few kilobytes; anything near this is not one.
pub(crate) const MAX_SCORE_BYTES: usize = 8 * 1024 * 1024;

/// A 1-based line and column (in characters) in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub line: u32,
    pub column: u32,
}

/// The line and column of byte `offset` in `text`. An offset inside a character, or past the end,
/// is clamped to the nearest character boundary before it.
pub(crate) fn place_of(text: &str, offset: usize) -> Place {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    Place { line: saturate(line), column: saturate(column) }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn problem_at(rule: Rule, message: String, place: Option<Place>, target: Target) -> Problem {
    Problem {
        rule,
        message,
        line: place.map(|p| p.line),
        column: place.map(|p| p.column),
        target,
    }
}

/// Accepts bytes as score text, or says why not: too large, not UTF-8 (with where), or binary.
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, Problem> {
    if bytes.len() > MAX_SCORE_BYTES {
        return Err(too_large(bytes.len()));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let good = &bytes[..err.valid_up_to()];
            // The prefix is valid UTF-8 by definition of `valid_up_to`.
            let good = std::str::from_utf8(good).expect("bytes before valid_up_to are valid UTF-8");
            let place = place_of(good, good.len());
            return Err(problem_at(
                Rule::Unreadable,
                format!(
                    "this file is not UTF-8 text: byte {} (line {}, column {}) does not start a valid \
                     character; save the score as UTF-8",
                    err.valid_up_to(),
                    place.line,
                    place.column
                ),
                Some(place),
                Target::Score,
            ));
        }
    };
    check_text(text)?;
    Ok(text)
}

/// The checks that apply to text already in memory (the studio hands us strings, not bytes).
pub(crate) fn check_text(text: &str) -> Result<(), Problem> {
    if text.len() > MAX_SCORE_BYTES {
        return Err(too_large(text.len()));
    }
    if let Some(at) = text.find('\0') {
        let place = place_of(text, at);
        return Err(problem_at(
            Rule::Unreadable,
            format!(
                "this file holds binary data (a NUL byte at line {}, column {}); a score is a text file",
                place.line, place.column
            ),
            Some(place),
            Target::Score,
        ));
    }
    Ok(())
}

fn too_large(len: usize) -> Problem {
    problem_at(
        Rule::Unreadable,
        format!(
            "this file is {} bytes; a score may be at most {} bytes (8 MiB). Move large material into \
             attached files (`[context] files`)",
            len, MAX_SCORE_BYTES
        ),
        Some(Place { line: 1, column: 1 }),
        Target::Score,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_count_characters_not_bytes() {
        let text = "a = 1\nné = \"x\"";
        assert_eq!(place_of(text, 0), Place { line: 1, column: 1 });
        let eq = text.find('=').unwrap();
        assert_eq!(place_of(text, eq), Place { line: 1, column: 3 });
        let quote = text.find('"').unwrap();
        assert_eq!(place_of(text, quote), Place { line: 2, column: 6 });
    }
}
