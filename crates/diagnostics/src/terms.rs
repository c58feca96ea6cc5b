//! Key terms of a text and how much of one text another addresses: the cheap, documented
//! textual measure behind "uptake" (did the receiver use what it was handed?) and "off key"
//! (does an output address the intent?).
//!
//! A key term is a word of at least four letters, lower-cased, with a light suffix stripped
//! (`-ing`, `-ed`, `-es`, `-s`) so that "tests", "tested" and "testing" are one term, unless the
//! word or its stem is a common English function word. Coverage of A by B is the share of A's distinct key
//! terms that also occur in B. No model, no dictionary beyond the stop list below: the point is
//! a number a reader can recount by hand.

use std::collections::BTreeSet;

/// Words too common to say anything about content; sorted, for binary search.
const STOP: &[&str] = &[
    "about", "above", "after", "again", "against", "also", "because", "been", "before", "being", "below", "between", "both",
    "but", "can", "cannot", "could", "does", "doing", "down", "during", "each", "every", "from", "further", "have",
    "having", "here", "into", "itself", "just", "like", "made", "make", "many", "more", "most", "much", "must", "need",
    "needs", "only", "other", "ought", "over", "same", "shall", "should", "some", "such", "than", "that", "their", "theirs",
    "them", "themselves", "then", "there", "these", "they", "thing", "things", "this", "those", "through", "under", "until",
    "upon", "very", "want", "well", "were", "what", "when", "where", "which", "while", "whom", "will", "with", "within",
    "without", "would", "your", "yours", "yourself",
];

/// Words shorter than this are not key terms.
pub const MIN_LEN: usize = 4;

/// The distinct key terms of `text`.
pub fn key_terms(text: &str) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    each_word(text, |word, term| {
        if !is_stop(word, term) && !terms.contains(term) {
            terms.insert(term.to_string());
        }
    });
    terms
}

/// A word is left out when it or its stem is a stop word ("others" stems to "other").
fn is_stop(word: &str, term: &str) -> bool {
    STOP.binary_search(&word).is_ok() || STOP.binary_search(&term).is_ok()
}

/// Calls `f` with every long-enough word of `text`, lower-cased, and its stem, in order
/// (repeats included), reusing one buffer. Stop words are the caller's to leave out.
fn each_word(text: &str, mut f: impl FnMut(&str, &str)) {
    let mut lower = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        // Byte length bounds the character count from above: most short words stop here.
        if word.len() < MIN_LEN || (!word.is_ascii() && word.chars().count() < MIN_LEN) || word.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        lower.clear();
        if word.is_ascii() {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        f(&lower, stem(&lower));
    }
}

/// Strips one common suffix, keeping at least [`MIN_LEN`] characters.
pub fn stem(word: &str) -> &str {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(base) = word.strip_suffix(suffix)
            && (if base.is_ascii() { base.len() } else { base.chars().count() }) >= MIN_LEN
        {
            return base;
        }
    }
    word
}

/// The share of `wanted` that occurs in `text`; `None` when nothing is wanted. The same as
/// `coverage(wanted, &key_terms(text))`, without building the set.
pub fn coverage_in(wanted: &BTreeSet<String>, text: &str) -> Option<f64> {
    if wanted.is_empty() {
        return None;
    }
    let mut found: BTreeSet<&str> = BTreeSet::new();
    each_word(text, |word, term| {
        // The stop list is consulted only for the few words that are wanted at all.
        if let Some(t) = wanted.get(term)
            && !is_stop(word, term)
        {
            found.insert(t.as_str());
        }
    });
    Some(found.len() as f64 / wanted.len() as f64)
}

/// The share of `wanted` found in `found`; `None` when nothing is wanted.
pub fn coverage(wanted: &BTreeSet<String>, found: &BTreeSet<String>) -> Option<f64> {
    if wanted.is_empty() {
        return None;
    }
    Some(wanted.iter().filter(|t| found.contains(*t)).count() as f64 / wanted.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stop_list_is_sorted() {
        assert!(STOP.windows(2).all(|w| w[0] < w[1]), "binary search needs STOP sorted and without repeats");
    }

    #[test]
    fn terms_are_stemmed_content_words() {
        let terms = key_terms("Testing the tests: we tested kites, a Kite and the API.");
        let expected: BTreeSet<String> = ["test", "kite"].iter().map(|s| s.to_string()).collect();
        assert_eq!(terms, expected, "short words, stop words and suffixes go; 'API' is under four letters");
    }

    #[test]
    fn a_stop_word_stays_out_after_stemming_too() {
        assert!(key_terms("others").is_empty(), "'others' stems to the stop word 'other'");
        let wanted = key_terms("makes kites");
        assert_eq!(wanted, BTreeSet::from(["kite".to_string()]), "'makes' stems to the stop word 'make'");
        assert_eq!(coverage_in(&wanted, "make others kites"), Some(1.0));
        assert_eq!(coverage_in(&wanted, "make others kites"), coverage(&wanted, &key_terms("make others kites")), "both paths agree");
    }

    #[test]
    fn coverage_counts_shared_terms() {
        let wanted = key_terms("ship kites quickly");
        let found = key_terms("we ship boats quickly");
        // wanted = {ship, kite, quickly}; found has ship and quickly: 2 of 3.
        assert_eq!(coverage(&wanted, &found), Some(2.0 / 3.0));
        assert_eq!(coverage(&BTreeSet::new(), &found), None, "nothing wanted has no coverage");
        assert_eq!(coverage_in(&wanted, "we ship boats quickly"), Some(2.0 / 3.0), "the fast path agrees");
    }
}
