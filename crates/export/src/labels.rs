//! How zones, instruments and cues are named and coloured in every export.
//!
//! The picture, the Mermaid chart and the program notes describe the same things, and a reader
//! who sees "verdict: APPROVED" in one must see it in the others. The zone colours are the
//! studio's (light theme, chosen to stay distinct for common colour-vision deficiencies).

use ensemble_score::{Cue, Instrument, When, Zone};

use crate::text::{one_line, shorten};

/// Longest verdict pattern shown in a cue label, in characters.
const VERDICT_CHARS: usize = 24;

/// A zone's colour, as the studio's light theme draws it.
pub fn zone_colour(zone: Option<Zone>) -> &'static str {
    match zone {
        Some(Zone::Innovator) => "#e69f00",
        Some(Zone::Integrator) => "#0072b2",
        Some(Zone::Improver) => "#009e73",
        Some(Zone::Stabilizer) => "#cc79a7",
        None => "#8a8f98",
    }
}

/// A zone's name, capitalised.
pub fn zone_title(zone: Option<Zone>) -> &'static str {
    match zone {
        Some(Zone::Innovator) => "Innovator",
        Some(Zone::Integrator) => "Integrator",
        Some(Zone::Improver) => "Improver",
        Some(Zone::Stabilizer) => "Stabilizer",
        None => "no zone",
    }
}

/// What a zone does in the band, in a few words.
pub fn zone_role(zone: Zone) -> &'static str {
    match zone {
        Zone::Innovator => "soloist · vision, discovery",
        Zone::Integrator => "keys · bridges analysis and build",
        Zone::Improver => "bass · quality, reliability",
        Zone::Stabilizer => "drums · grounded, efficient",
    }
}

/// The kind of instrument, as a person reads it. Rehearsal is always labelled as offline.
pub fn instrument_title(instrument: &Instrument) -> &'static str {
    match instrument {
        Instrument::Rehearsal(_) => "Rehearsal (offline)",
        Instrument::Command(_) => "Command",
        Instrument::Openai(_) => "OpenAI-compatible",
        Instrument::Anthropic(_) => "Anthropic",
        Instrument::Human(_) => "Human",
    }
}

/// What exactly plays: the model, the program, or who is asked. Empty for rehearsal.
pub fn instrument_detail(instrument: &Instrument) -> String {
    let text = match instrument {
        Instrument::Rehearsal(_) => String::new(),
        Instrument::Command(c) => c.program.clone(),
        Instrument::Openai(o) => o.model.clone(),
        Instrument::Anthropic(a) => a.model.clone(),
        Instrument::Human(h) => h.who.clone().unwrap_or_default(),
    };
    one_line(&text)
}

/// The words a verdict pattern looks for, without the regex machinery around them (inline flags,
/// anchors, a leading `VERDICT:`, escapes): `(?m)^VERDICT: CHANGES REQUESTED` reads as
/// `CHANGES REQUESTED`. The studio's canvas shortens verdicts the same way.
pub fn verdict_words(pattern: &str) -> String {
    let mut text = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // An inline flag group such as `(?m)` or `(?i)`.
            '(' if chars.peek() == Some(&'?') => {
                let rest: String = chars.clone().skip(1).take_while(|c| *c != ')').collect();
                if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphabetic()) {
                    for _ in 0..rest.chars().count() + 2 {
                        chars.next();
                    }
                } else {
                    text.push(c);
                }
            }
            '\\' => match chars.next() {
                Some('A' | 'z' | 'Z' | 'b' | 'B') | None => {}
                Some(escaped) => text.push(escaped),
            },
            '^' | '$' => {}
            c => text.push(c),
        }
    }
    let words = one_line(&text);
    let words = match words.get(..7) {
        Some(head) if head.eq_ignore_ascii_case("verdict") && words[7..].trim_start().starts_with(':') => {
            words[7..].trim_start()[1..].trim().to_string()
        }
        _ => words,
    };
    shorten(&words, VERDICT_CHARS)
}

/// A short label for a cue: its condition, its repeat limit and its checkpoint, e.g.
/// `verdict: CHANGES REQUESTED · loop, at most 3 · checkpoint`. Empty for a plain cue that
/// always fires.
pub fn cue_label(cue: &Cue) -> String {
    let mut parts: Vec<String> = Vec::new();
    match cue.when {
        When::Always => {}
        When::Success => parts.push("on success".into()),
        When::Failure => parts.push("on failure".into()),
        When::Verdict => {
            let words = cue.verdict.as_deref().map(verdict_words).unwrap_or_default();
            parts.push(if words.is_empty() { "verdict".into() } else { format!("verdict: {words}") });
        }
    }
    if let Some(n) = cue.max_repeats {
        parts.push(format!("loop, at most {n}"));
    }
    if cue.checkpoint {
        parts.push("checkpoint".into());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_words_drop_the_regex_machinery() {
        assert_eq!(verdict_words("(?m)^VERDICT: CHANGES REQUESTED"), "CHANGES REQUESTED");
        assert_eq!(verdict_words(r"\bAPPROVED\b$"), "APPROVED");
        assert_eq!(verdict_words("(a|b)"), "(a|b)", "groups that are not flags stay");
        assert_eq!(verdict_words("x".repeat(40).as_str()).chars().count(), VERDICT_CHARS);
    }
}
