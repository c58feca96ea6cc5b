//! Verdict patterns: compiled within a size bound, matched against the end of an output.
//!
//! A verdict pattern comes from the score, which may come from anyone: compiled without a bound,
//! a pattern like `\w{1000}{1000}` takes gigabytes. The regex engine matches in linear time, so
//! what is left to bound is the text: a verdict is the last word of an answer, so only the last
//! [`VERDICT_TAIL_BYTES`] are searched, which keeps every decision on the driver loop quick
//! however long the output is.

use regex::{Regex, RegexBuilder};

/// The largest compiled verdict pattern, in bytes (the same bound the score's validation uses).
pub const VERDICT_SIZE_LIMIT: usize = 1 << 20;
/// How much of the end of an output a verdict pattern is matched against.
pub const VERDICT_TAIL_BYTES: usize = 64 << 10;

/// Compiles `pattern` within [`VERDICT_SIZE_LIMIT`]; `None` when it is invalid or too big (the
/// score's validation has said why).
pub(crate) fn compile(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern).size_limit(VERDICT_SIZE_LIMIT).dfa_size_limit(VERDICT_SIZE_LIMIT).build().ok()
}

/// Whether `pattern` matches the last [`VERDICT_TAIL_BYTES`] of `output`.
pub(crate) fn matches(pattern: &Regex, output: &str) -> bool {
    pattern.is_match(tail(output))
}

/// The last [`VERDICT_TAIL_BYTES`] of `text`, starting at a character boundary.
fn tail(text: &str) -> &str {
    let mut start = text.len().saturating_sub(VERDICT_TAIL_BYTES);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::{VERDICT_TAIL_BYTES, compile, matches, tail};

    #[test]
    fn a_pattern_too_big_to_compile_is_refused_not_built() {
        assert!(compile(r"\w{1000}{1000}").is_none(), "a pattern of gigabytes is refused");
        assert!(compile("(?m)^VERDICT: APPROVED").is_some());
        assert!(compile("(").is_none());
    }

    #[test]
    fn only_the_end_of_a_long_output_is_searched() {
        let verdict = compile("(?m)^VERDICT: APPROVED").expect("valid");
        let long = format!("VERDICT: APPROVED\n{}", "é".repeat(VERDICT_TAIL_BYTES));
        assert!(!matches(&verdict, &long), "a verdict far from the end is not the answer's verdict");
        assert!(matches(&verdict, &format!("{long}\nVERDICT: APPROVED")));
        assert!(tail(&long).len() <= VERDICT_TAIL_BYTES, "the tail starts at a character boundary within the bound");
    }
}
