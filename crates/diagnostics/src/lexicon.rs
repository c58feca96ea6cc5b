//! The wording lexicon: which words in a player's part point to which zone, and why.
//!
//! A part is a role prompt; the verbs it uses say what the player is asked to do. The four
//! zones ask for four kinds of work, and each has a recognisable vocabulary:
//!
//! | zone | the work | stems (a word matches a stem it starts with) |
//! |---|---|---|
//! | Innovator | explore and propose: new options, ideas, directions | explor, propos, idea, imagin, brainstorm, invent, discover, vision, alternativ, option, hypothes, prototyp, sketch, research, novel, creativ, generat, ideat |
//! | Integrator | coordinate and route: connect the work of others across the band | coordinat, rout, integrat, combin, merg, synthes, align, orchestrat, bridg, connect, delegat, prioriti, sequenc, consolidat, summari, translat, hand off, handoff, dispatch, assign |
//! | Improver | check and verify: judge and raise the quality of others' work | check, verif, review, test, validat, critiq, audit, inspect, approv, reject, assess, grade, proofread, lint, correct, refin, improv, feedback, verdict |
//! | Stabilizer | build and ship: make it, run it, keep it running | build, ship, implement, deploy, releas, maintain, operat, execut, deliver, automat, packag, monitor, schedul, install, configur, code, write code, run, fix |
//!
//! Matching is on lower-cased words (letters only), by prefix, so "verifies", "verified" and
//! "verification" all match `verif`. Two-word stems ("hand off", "write code") match two
//! consecutive words. Why prefixes rather than a model: the result must be recountable by hand
//! and identical on every machine. The lexicon is small on purpose: it is a signal blended with
//! others, not a verdict on its own.

use std::collections::BTreeMap;

use ensemble_score::Zone;

use crate::report::ZoneScores;

/// The stems of each zone, in [`Zone::ALL`] order. Documented in the module table above.
pub const LEXICON: [(Zone, &[&str]); 4] = [
    (
        Zone::Innovator,
        &[
            "explor", "propos", "idea", "imagin", "brainstorm", "invent", "discover", "vision", "alternativ", "option", "hypothes",
            "prototyp", "sketch", "research", "novel", "creativ", "generat", "ideat",
        ],
    ),
    (
        Zone::Integrator,
        &[
            "coordinat", "rout", "integrat", "combin", "merg", "synthes", "align", "orchestrat", "bridg", "connect", "delegat",
            "prioriti", "sequenc", "consolidat", "summari", "translat", "hand off", "handoff", "dispatch", "assign",
        ],
    ),
    (
        Zone::Improver,
        &[
            "check", "verif", "review", "test", "validat", "critiq", "audit", "inspect", "approv", "reject", "assess", "grade",
            "proofread", "lint", "correct", "refin", "improv", "feedback", "verdict",
        ],
    ),
    (
        Zone::Stabilizer,
        &[
            "build", "ship", "implement", "deploy", "releas", "maintain", "operat", "execut", "deliver", "automat", "packag",
            "monitor", "schedul", "install", "configur", "code", "write code", "run", "fix",
        ],
    ),
];

/// Words that start with a stem but mean something else ("routine" is not routing, "runtime"
/// is not running anything, "optional" proposes no option); they never count.
const EXCEPTIONS: &[&str] = &["routine", "routines", "runtime", "runtimes", "optional", "optionally", "codex", "testament"];

/// What a text's wording says about zones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wording {
    /// Matches per zone, normalised to sum to 1 (all zero when nothing matched).
    pub scores: ZoneScores,
    /// The words that matched, with their zone, sorted; for the evidence.
    pub matches: BTreeMap<String, Zone>,
    pub total: usize,
}

/// Counts the lexicon's matches in `text`.
pub fn wording(text: &str) -> Wording {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut counts = ZoneScores::default();
    let mut matches = BTreeMap::new();
    let mut total = 0;
    for (i, word) in words.iter().enumerate() {
        if EXCEPTIONS.contains(&word.as_str()) {
            continue;
        }
        for (zone, stems) in LEXICON {
            let hit = stems.iter().any(|stem| match stem.split_once(' ') {
                Some((first, second)) => word == first && words.get(i + 1).is_some_and(|next| next.starts_with(second)),
                None => word.starts_with(stem),
            });
            if hit {
                counts.add(zone, 1.0);
                total += 1;
                matches.entry(word.clone()).or_insert(zone);
                break;
            }
        }
    }
    Wording { scores: counts.normalized(), matches, total }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_point_to_their_zones() {
        let w = wording("Review the draft, verify every claim, then hand off to the editor.");
        // review, verify -> Improver (2); "hand off" -> Integrator (1).
        assert_eq!(w.total, 3, "three matches: {:?}", w.matches);
        assert!((w.scores.improver - 2.0 / 3.0).abs() < 1e-9);
        assert!((w.scores.integrator - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn exceptions_do_not_match() {
        assert_eq!(wording("a routine runtime").total, 0, "routine and runtime are not routing or running work");
    }
}
