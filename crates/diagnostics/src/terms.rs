//! Key terms of a text and how much of one text another addresses: the cheap, documented
//! textual measure behind "uptake" (did the receiver use what it was handed?) and "off key"
//! (does an output address the intent?).
//!
//! A key term is a word of at least four letters, lower-cased, that is not a common English
//! function word, with a light suffix stripped (`-ing`, `-ed`, `-es`, `-s`) so that "tests",
//! "tested" and "testing" are one term. Coverage of A by B is the share of A's distinct key
//! terms that also occur in B. No model, no dictionary beyond the stop list below: the point is
//! a number a reader can recount by hand.

use std::collections::BTreeSet;

/// Words too common to say anything about content.
const STOP: &[&str] = &[
    "about", "above", "after", "again", "against", "also", "because", "been", "before", "being", "below", "between", "both",
    "but", "can", "cannot", "could", "does", "doing", "down", "during", "each", "every", "from", "further", "have", "having",
    "here", "into", "itself", "just", "like", "made", "make", "many", "more", "most", "much", "must", "only", "other", "ought",
    "over", "same", "shall", "should", "some", "such", "than", "that", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "under", "until", "upon", "very", "want", "well", "were", "what", "when",
    "where", "which", "while", "whom", "will", "with", "within", "without", "would", "your", "yours", "yourself", "thing",
    "things", "need", "needs",
];

/// Words shorter than this are not key terms.
pub const MIN_LEN: usize = 4;

/// The distinct key terms of `text`.
pub fn key_terms(text: &str) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.chars().count() < MIN_LEN || word.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let lower = word.to_lowercase();
        if STOP.contains(&lower.as_str()) {
            continue;
        }
        terms.insert(stem(&lower));
    }
    terms
}

/// Strips one common suffix, keeping at least [`MIN_LEN`] characters.
pub fn stem(word: &str) -> String {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(base) = word.strip_suffix(suffix)
            && base.chars().count() >= MIN_LEN
        {
            return base.to_string();
        }
    }
    word.to_string()
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
    fn terms_are_stemmed_content_words() {
        let terms = key_terms("Testing the tests: we tested kites, a Kite and the API.");
        let expected: BTreeSet<String> = ["test", "kite"].iter().map(|s| s.to_string()).collect();
        assert_eq!(terms, expected, "short words, stop words and suffixes go; 'API' is under four letters");
    }

    #[test]
    fn coverage_counts_shared_terms() {
        let wanted = key_terms("ship kites quickly");
        let found = key_terms("we ship boats quickly");
        // wanted = {ship, kite, quickly}; found has ship and quickly: 2 of 3.
        assert_eq!(coverage(&wanted, &found), Some(2.0 / 3.0));
        assert_eq!(coverage(&BTreeSet::new(), &found), None, "nothing wanted has no coverage");
    }
}
