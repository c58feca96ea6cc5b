//! How a performance ended, in words that do not overstate it.
//!
//! A performance whose players all played out and whose failures were all handled succeeded.
//! One in which some players were never cued (their cues were held, or it stopped first) did not
//! fail, but it did not do everything its score asks either: it says so, with how many.

use crate::Outcome;

impl Outcome {
    /// One word (or two) for the outcome: `succeeded`, `failed`, `cut off`, `over budget`.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::CutOff => "cut off",
            Outcome::BudgetExceeded => "over budget",
        }
    }

    /// The outcome with what it leaves out: `finished, 2 of 4 players never cued` rather than a
    /// bare `succeeded`; a fork adds how many players it carried over.
    pub fn summary(self, players: u32, never_cued: u32, carried: u32) -> String {
        let mut text = match self {
            Outcome::Succeeded if never_cued > 0 => "finished".to_string(),
            _ => self.word().to_string(),
        };
        if never_cued > 0 {
            let noun = if players == 1 { "player" } else { "players" };
            text.push_str(&format!(", {never_cued} of {players} {noun} never cued"));
        }
        if carried > 0 {
            text.push_str(&format!(", {carried} carried over"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use crate::Outcome;

    #[test]
    fn a_success_with_players_never_cued_says_so() {
        assert_eq!(Outcome::Succeeded.summary(4, 0, 0), "succeeded");
        assert_eq!(Outcome::Succeeded.summary(4, 2, 0), "finished, 2 of 4 players never cued");
        assert_eq!(Outcome::Failed.summary(3, 1, 0), "failed, 1 of 3 players never cued");
        assert_eq!(Outcome::CutOff.summary(1, 1, 0), "cut off, 1 of 1 player never cued");
        assert_eq!(Outcome::Succeeded.summary(4, 0, 2), "succeeded, 2 carried over");
    }
}
