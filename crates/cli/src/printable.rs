//! Text from a score, a model or a server, made safe to print at a terminal: every control or
//! direction-changing character is written as an escape (`\n`, `\u{1b}`, `\u{202e}`), so none can
//! move the cursor, clear the screen, pose as another line or reorder what a person reads.

/// `text` with its control and direction-changing characters escaped; the rest as it is.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi { c.escape_debug().to_string() } else { c.to_string() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn nothing_printed_can_move_the_cursor_or_reorder_a_line() {
        let shown = printable("evil\u{1b}[2J name\u{202e}txt.exe\nnext \"quoted\" é");
        assert_eq!(shown, "evil\\u{1b}[2J name\\u{202e}txt.exe\\nnext \"quoted\" é", "escapes read as what they are; quotes and letters stay");
        assert!(!shown.chars().any(|c| c.is_control() || c == '\u{202e}'));
    }
}
