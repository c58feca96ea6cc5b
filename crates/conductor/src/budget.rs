//! The budgets of a performance: wall time, tokens and cost, from the score's tempo.

use std::time::Duration;

use ensemble_score::Tempo;

use crate::state::State;
use crate::{Event, EventKind};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    pub max_wall: Option<Duration>,
    max_tokens: Option<u64>,
    max_cost_usd: Option<f64>,
}

/// A budget that ran out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Exceeded {
    /// `time`, `tokens` or `cost`, as in [`crate::EventKind::BudgetExceeded`].
    pub budget: &'static str,
    pub limit: f64,
    pub used: f64,
}

impl Exceeded {
    /// Says which budget ran out and by how much, for the performance's finishing reason.
    pub fn reason(&self) -> String {
        match self.budget {
            "time" => format!("the time budget of {} s ran out", self.limit),
            "tokens" => format!("the token budget of {} was exceeded: {} tokens used", self.limit, self.used),
            _ => format!("the cost budget of ${:.4} was exceeded: ${:.4} spent", self.limit, self.used),
        }
    }
}

impl Budget {
    pub fn new(tempo: &Tempo) -> Budget {
        Budget { max_wall: tempo.max_wall_secs.map(Duration::from_secs), max_tokens: tempo.max_tokens, max_cost_usd: tempo.max_cost_usd }
    }

    /// The usage budget gone past, if any: the recorded usage plus `streaming`, the estimated
    /// output of attempts still under way.
    pub fn usage_exceeded(&self, state: &State, streaming: u64) -> Option<Exceeded> {
        if let Some(exceeded) = self.tokens_exceeded(state.total_tokens().saturating_add(streaming)) {
            return Some(exceeded);
        }
        if let Some(limit) = self.max_cost_usd
            && state.cost_usd > limit
        {
            return Some(Exceeded { budget: "cost", limit, used: state.cost_usd });
        }
        None
    }

    /// The token budget, if `used` tokens go past it. Cheap enough to ask after every token.
    pub fn tokens_exceeded(&self, used: u64) -> Option<Exceeded> {
        let limit = self.max_tokens?;
        (used > limit).then_some(Exceeded { budget: "tokens", limit: limit as f64, used: used as f64 })
    }

    pub fn time_exceeded(&self, elapsed: Duration) -> Exceeded {
        let limit = self.max_wall.unwrap_or_default();
        Exceeded { budget: "time", limit: limit.as_secs_f64(), used: elapsed.as_secs_f64() }
    }
}

/// The time a performance already spent before it was interrupted, from its recorded events:
/// each stretch runs from its `PerformanceStarted` to the last event before the next one (the
/// time between stretches, while nothing was conducted, does not count).
pub(crate) fn time_spent(events: &[Event]) -> Duration {
    let mut spent = 0u64;
    let mut stretch: Option<(u64, u64)> = None;
    for event in events {
        if matches!(event.kind, EventKind::PerformanceStarted { .. })
            && let Some((start, last)) = stretch.replace((event.at_ms, event.at_ms))
        {
            spent += last.saturating_sub(start);
        } else if let Some((_, last)) = &mut stretch {
            // A clock set back must not shorten the stretch.
            *last = (*last).max(event.at_ms);
        }
    }
    if let Some((start, last)) = stretch {
        spent += last.saturating_sub(start);
    }
    Duration::from_millis(spent)
}

/// The output streamed by attempts still under way, estimated at four characters a token.
///
/// Real usage is only known when an attempt ends; until then a stream counts toward the token
/// budget by this estimate, so one runaway stream cannot run far past the budget. An attempt's
/// estimate is dropped once its real usage is recorded.
#[derive(Debug)]
pub(crate) struct Streaming {
    /// Characters streamed by each player's current attempt.
    chars: Vec<u64>,
    /// The sum of every player's estimate, kept up to date so a check costs nothing.
    tokens: u64,
}

impl Streaming {
    pub fn new(players: usize) -> Streaming {
        Streaming { chars: vec![0; players], tokens: 0 }
    }

    /// Counts a piece streamed by player `p`.
    pub fn add(&mut self, p: usize, piece: &str) {
        let before = self.chars[p].div_ceil(4);
        self.chars[p] = self.chars[p].saturating_add(piece.chars().count() as u64);
        self.tokens = self.tokens.saturating_add(self.chars[p].div_ceil(4) - before);
    }

    /// Drops the estimate of player `p`'s attempt, whose real usage is now recorded.
    pub fn settle(&mut self, p: usize) {
        self.tokens = self.tokens.saturating_sub(self.chars[p].div_ceil(4));
        self.chars[p] = 0;
    }

    /// The estimated tokens of every attempt under way.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Streaming, time_spent};
    use crate::{Event, EventKind};

    fn at(at_ms: u64, kind: EventKind) -> Event {
        Event { seq: 0, at_ms, kind }
    }

    fn started(at_ms: u64) -> Event {
        let kind = EventKind::PerformanceStarted { performance: "p".into(), title: "t".into(), context_version: "v".into(), players: vec![], offline: false, resumed: false, tempo: None };
        at(at_ms, kind)
    }

    #[test]
    fn time_spent_adds_up_the_stretches_and_not_the_gaps_between_them() {
        assert_eq!(time_spent(&[]), Duration::ZERO);
        let events = [
            started(1_000),
            at(1_500, EventKind::Paused),
            at(4_000, EventKind::Resumed),
            // Interrupted here; picked up a minute later.
            started(64_000),
            at(64_250, EventKind::Paused),
            started(100_000),
            at(99_000, EventKind::Resumed),
        ];
        assert_eq!(time_spent(&events), Duration::from_millis(3_000 + 250));
    }

    #[test]
    fn streaming_estimates_each_attempt_and_forgets_it_when_settled() {
        let mut streaming = Streaming::new(2);
        streaming.add(0, "kite");
        streaming.add(0, "é");
        streaming.add(1, "red tail");
        // 5 characters are 2 tokens, 8 are 2.
        assert_eq!(streaming.tokens(), 4);
        streaming.settle(0);
        assert_eq!(streaming.tokens(), 2);
        streaming.add(0, "ab");
        assert_eq!(streaming.tokens(), 3);
        streaming.settle(1);
        streaming.settle(0);
        assert_eq!(streaming.tokens(), 0);
    }
}
