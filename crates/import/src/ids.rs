//! Player ids made from names in the source: lower-case letters, digits, `_` and `-`, unique.

use std::collections::HashSet;

/// Hands out ids, each unique among those already given.
#[derive(Default)]
pub(crate) struct Ids(HashSet<String>);

impl Ids {
    /// An id for `name`: its letters and digits, other runs of characters as one `_`, and a
    /// number added when the id is taken (`writer`, `writer_2`, ...).
    pub fn make(&mut self, name: &str) -> String {
        let mut base = String::new();
        for c in name.trim().chars() {
            if c.is_alphanumeric() || c == '-' {
                base.extend(c.to_lowercase());
            } else if !base.ends_with('_') {
                base.push('_');
            }
        }
        let base = base.trim_matches('_').chars().take(64).collect::<String>();
        let base = if base.is_empty() {
            "player".to_string()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 2;
        while self.0.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.0.insert(id.clone());
        id
    }
}

/// A readable name from a key like `reporting_analyst`: `Reporting analyst`.
pub(crate) fn title_case(key: &str) -> String {
    let words = key
        .split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.make("Senior Researcher"), "senior_researcher");
        assert_eq!(
            ids.make("senior researcher!"),
            "senior_researcher_2",
            "a taken id gets a number, not a clash"
        );
        assert_eq!(
            ids.make("  ***  "),
            "player",
            "a name without letters still gets an id"
        );
        assert_eq!(title_case("reporting_analyst"), "Reporting analyst");
    }
}
