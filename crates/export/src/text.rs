//! Text from a score made safe to put in a picture or a chart.
//!
//! A score is untrusted input: a name may hold markup, quotes, line breaks or control characters.
//! Everything a score says passes through here on its way into an export, so escaping and
//! shortening are decided once.

/// One line of display text: control characters and line breaks become spaces, runs of
/// whitespace collapse, and the ends are trimmed.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if c.is_control() || c.is_whitespace() { ' ' } else { c };
        // Noncharacters U+FFFE and U+FFFF are not allowed in XML.
        if c == '\u{FFFE}' || c == '\u{FFFF}' {
            continue;
        }
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out
}

/// At most `max` characters: longer text is cut at a character boundary and ends with `…`.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// Text escaped for XML character data and attribute values. Characters XML 1.0 does not allow
/// (controls other than tab and line breaks) are dropped.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_removes_breaks_and_controls() {
        assert_eq!(one_line("  a\n\tb\u{0}c\u{7}  "), "a b c");
    }

    #[test]
    fn shorten_keeps_short_text_and_marks_cut_text() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("ééééé", 3).chars().count(), 3, "counted in characters, not bytes");
    }

    #[test]
    fn xml_escapes_markup_and_drops_controls() {
        assert_eq!(xml("<a href=\"x\">'&'\u{1b}</a>"), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
    }
}
