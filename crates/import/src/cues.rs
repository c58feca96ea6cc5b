//! Building the cues of an imported score: one cue per pair of players, and every cue that would
//! close a cycle made a loop cue with a repeat limit, as the score requires of every cycle.
//!
//! A cycle in the final graph always contains the cue that closed it when it was added (the rest
//! of the cycle was there already), so limiting each closing cue is enough for every cycle.

use std::collections::HashMap;

use ensemble_score::{Cue, When};

#[derive(Default)]
pub(crate) struct Cues {
    pub list: Vec<Cue>,
    index: HashMap<(String, String), usize>,
}

/// What adding a cue did.
pub(crate) enum Added {
    New(usize),
    /// The pair already had a cue; the index of that one.
    Existing(usize),
    /// `from` and `to` are the same player: the score has no self-cues.
    SelfCue,
}

impl Cues {
    /// Adds `from -> to` unless the pair has a cue already; a cue closing a cycle gets
    /// `max_repeats = loop_limit`. `looped` is set when that happened.
    pub fn add(&mut self, from: &str, to: &str, loop_limit: u32, looped: &mut bool) -> Added {
        *looped = false;
        if from == to {
            return Added::SelfCue;
        }
        if let Some(&i) = self.index.get(&(from.to_string(), to.to_string())) {
            return Added::Existing(i);
        }
        let closes = self.reaches(to, from);
        *looped = closes;
        self.list.push(Cue {
            from: from.to_string(),
            to: to.to_string(),
            when: When::Always,
            verdict: None,
            max_repeats: closes.then_some(loop_limit),
            checkpoint: false,
        });
        let i = self.list.len() - 1;
        self.index.insert((from.to_string(), to.to_string()), i);
        Added::New(i)
    }

    /// Whether `start` reaches `goal` along the cues so far.
    fn reaches(&self, start: &str, goal: &str) -> bool {
        let mut seen = vec![start.to_string()];
        let mut todo = vec![start.to_string()];
        while let Some(at) = todo.pop() {
            if at == goal {
                return true;
            }
            for cue in self.list.iter().filter(|c| c.from == at) {
                if !seen.contains(&cue.to) {
                    seen.push(cue.to.clone());
                    todo.push(cue.to.clone());
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cue_closing_a_cycle_gets_the_limit() {
        let mut cues = Cues::default();
        let mut looped = false;
        cues.add("a", "b", 1, &mut looped);
        assert!(!looped);
        cues.add("b", "c", 1, &mut looped);
        assert!(
            matches!(cues.add("a", "b", 1, &mut looped), Added::Existing(0)),
            "a pair gets one cue"
        );
        cues.add("c", "a", 2, &mut looped);
        assert!(looped, "c -> a closes a -> b -> c -> a");
        assert_eq!(
            cues.list.iter().map(|c| c.max_repeats).collect::<Vec<_>>(),
            vec![None, None, Some(2)]
        );
        assert!(matches!(cues.add("a", "a", 1, &mut looped), Added::SelfCue));
    }
}
