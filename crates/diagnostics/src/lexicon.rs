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

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

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

/// Counts the lexicon's matches in `text`, naming the words that matched and leaving out the
/// words in `skip` (lower case; the players' own ids and names: "hand it to the reviewer" does
/// not review anything).
pub fn wording(text: &str, skip: &BTreeSet<String>) -> Wording {
    let mut matches = BTreeMap::new();
    let (counts, total) = scan_skipping(text, skip, |word, zone| {
        matches.entry(word.to_lowercase()).or_insert(zone);
    });
    Wording { scores: counts.normalized(), matches, total }
}

/// Counts the lexicon's matches in `text` as shares per zone, and how many there were, leaving
/// out the words in `skip` (lower case): the fast path for reading many outputs, where the
/// players' own names ("the reviewer said...") must not count as the work they name.
pub fn counts(text: &str, skip: &BTreeSet<String>) -> (ZoneScores, usize) {
    let (counts, total) = scan_skipping(text, skip, |_, _| {});
    (counts.normalized(), total)
}

/// One stem, split into its words, under the zone it points to.
struct Stem {
    zone: Zone,
    first: &'static str,
    second: Option<&'static str>,
}

/// The stems by their first letter, so a word is compared only with stems that can match it.
fn by_letter() -> &'static [Vec<Stem>; 26] {
    static INDEX: OnceLock<[Vec<Stem>; 26]> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: [Vec<Stem>; 26] = std::array::from_fn(|_| Vec::new());
        for (zone, stems) in LEXICON {
            for stem in stems {
                let (first, second) = match stem.split_once(' ') {
                    Some((a, b)) => (a, Some(b)),
                    None => (*stem, None),
                };
                index[usize::from(first.as_bytes()[0] - b'a')].push(Stem { zone, first, second });
            }
        }
        index
    })
}

/// Walks the words of `text` (letters only), calling `hit` for each that matches a stem (the
/// first zone in [`LEXICON`] order wins). Stems are lower-case ASCII, so matching ignores
/// ASCII case and allocates nothing per word.
fn scan_skipping(text: &str, skip: &BTreeSet<String>, mut hit: impl FnMut(&str, Zone)) -> (ZoneScores, usize) {
    let index = by_letter();
    let words: Vec<&str> = text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).collect();
    let starts = |word: &str, stem: &str| word.len() >= stem.len() && word.as_bytes()[..stem.len()].eq_ignore_ascii_case(stem.as_bytes());
    let mut counts = ZoneScores::default();
    let mut total = 0;
    for (i, word) in words.iter().enumerate() {
        let letter = word.as_bytes()[0].to_ascii_lowercase();
        if !letter.is_ascii_lowercase() || EXCEPTIONS.iter().any(|e| e.eq_ignore_ascii_case(word)) {
            continue;
        }
        let zone = index[usize::from(letter - b'a')]
            .iter()
            .filter(|stem| match stem.second {
                Some(second) => stem.first.eq_ignore_ascii_case(word) && words.get(i + 1).is_some_and(|next| starts(next, second)),
                None => starts(word, stem.first),
            })
            .map(|stem| stem.zone)
            .min();
        if let Some(zone) = zone {
            if !skip.is_empty() && skip.contains(&word.to_lowercase()) {
                continue;
            }
            counts.add(zone, 1.0);
            total += 1;
            hit(word, zone);
        }
    }
    (counts, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_point_to_their_zones() {
        let w = wording("Review the draft, verify every claim, then hand off to the editor.", &BTreeSet::new());
        // review, verify -> Improver (2); "hand off" -> Integrator (1).
        assert_eq!(w.total, 3, "three matches: {:?}", w.matches);
        assert!((w.scores.improver - 2.0 / 3.0).abs() < 1e-9);
        assert!((w.scores.integrator - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn stems_are_lower_case_ascii() {
        for (_, stems) in LEXICON {
            for stem in stems {
                assert!(stem.bytes().all(|b| b.is_ascii_lowercase() || b == b' '), "{stem} must be lower-case ASCII for the index");
            }
        }
    }

    #[test]
    fn exceptions_do_not_match() {
        assert_eq!(wording("a routine runtime", &BTreeSet::new()).total, 0, "routine and runtime are not routing or running work");
        let names: BTreeSet<String> = ["reviewer".to_string()].into();
        assert_eq!(wording("hand the code to the Reviewer", &names).total, 1, "only 'code': a player's name is not its work");
    }
}
