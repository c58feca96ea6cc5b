//! The budgets of a performance: wall time, tokens and cost, from the score's tempo.

use std::time::Duration;

use ensemble_score::Tempo;

use crate::state::State;

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

    /// The usage budget the recorded usage has gone past, if any.
    pub fn usage_exceeded(&self, state: &State) -> Option<Exceeded> {
        if let Some(limit) = self.max_tokens {
            let used = state.total_tokens();
            if used > limit {
                return Some(Exceeded { budget: "tokens", limit: limit as f64, used: used as f64 });
            }
        }
        if let Some(limit) = self.max_cost_usd
            && state.cost_usd > limit
        {
            return Some(Exceeded { budget: "cost", limit, used: state.cost_usd });
        }
        None
    }

    pub fn time_exceeded(&self, elapsed: Duration) -> Exceeded {
        let limit = self.max_wall.unwrap_or_default();
        Exceeded { budget: "time", limit: limit.as_secs_f64(), used: elapsed.as_secs_f64() }
    }
}
