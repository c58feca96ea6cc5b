//! Each player's part in a recorded performance, read from its events: how it ended, what it
//! handed on, what it used and cost (failed and retried attempts included), and which version
//! of the shared context it played from. What `show` and compare put side by side.

use ensemble_conductor::{Event, EventKind};
use serde::Serialize;
use ts_rs::TS;

/// How a player's part in a performance ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlayerOutcome {
    Finished,
    Failed,
    /// Its cues did not fire, or the performance ended before it was cued.
    Skipped,
    /// A fork took its recorded output as given.
    Carried,
    /// Cued and not ended: the performance is still going, or was interrupted.
    Playing,
    /// Nothing about it was recorded.
    NotCued,
}

/// One player's part in one performance.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlayerRun {
    pub player: String,
    pub outcome: PlayerOutcome,
    /// What it handed on last: its latest output (as edited), the output a failure left, or
    /// the output a fork carried over.
    pub output: String,
    /// Why its latest chorus failed, if it did.
    pub error: Option<String>,
    /// Choruses played to an end (or the chorus carried over).
    pub choruses: u32,
    /// Time spent playing, all choruses together.
    pub elapsed_ms: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// What all its attempts cost, failed and retried ones included.
    pub cost_usd: f64,
    /// The shared-context version its latest chorus was cued with.
    pub context_version: Option<String>,
    /// The instrument that played its latest chorus, e.g. `rehearsal` or `openai gpt-4o`.
    pub instrument: Option<String>,
    /// Its output was edited by a person before it was handed on.
    pub edited: bool,
}

impl PlayerRun {
    fn new(player: &str) -> PlayerRun {
        PlayerRun {
            player: player.to_string(),
            outcome: PlayerOutcome::NotCued,
            output: String::new(),
            error: None,
            choruses: 0,
            elapsed_ms: 0,
            input_tokens: 0,
            output_tokens: 0,
            cost_usd: 0.0,
            context_version: None,
            instrument: None,
            edited: false,
        }
    }

    pub fn tokens(&self) -> u64 {
        self.input_tokens.saturating_add(self.output_tokens)
    }

    fn spent(&mut self, usage: &ensemble_instruments::Usage, cost_usd: f64) {
        self.input_tokens = self.input_tokens.saturating_add(usage.input_tokens);
        self.output_tokens = self.output_tokens.saturating_add(usage.output_tokens);
        self.cost_usd = ensemble_instruments::finite_cost(self.cost_usd + ensemble_instruments::finite_cost(cost_usd));
    }
}

/// Every player's part, in the order the performance's latest start lists them (players the
/// events name that it does not list come after, in the order they appear).
pub fn player_runs(events: &[Event]) -> Vec<PlayerRun> {
    let mut runs: Vec<PlayerRun> = Vec::new();
    let index = |runs: &mut Vec<PlayerRun>, player: &str| match runs.iter().position(|r| r.player == player) {
        Some(i) => i,
        None => {
            runs.push(PlayerRun::new(player));
            runs.len() - 1
        }
    };
    for event in events {
        match &event.kind {
            EventKind::PerformanceStarted { players, .. } => {
                for player in players {
                    index(&mut runs, player);
                }
            }
            EventKind::PlayerCued { player, context_version, instrument, .. } => {
                let i = index(&mut runs, player);
                let run = &mut runs[i];
                run.outcome = PlayerOutcome::Playing;
                run.context_version = Some(context_version.clone());
                run.instrument = Some(instrument.clone());
            }
            EventKind::PlayerRetrying { player, usage, cost_usd, .. } => {
                let i = index(&mut runs, player);
                runs[i].spent(usage, *cost_usd);
            }
            EventKind::PlayerFinished { player, chorus, output, usage, cost_usd, elapsed_ms } => {
                let i = index(&mut runs, player);
                let run = &mut runs[i];
                run.spent(usage, *cost_usd);
                run.outcome = PlayerOutcome::Finished;
                run.output.clone_from(output);
                run.error = None;
                run.edited = false;
                run.choruses = run.choruses.max(*chorus);
                run.elapsed_ms = run.elapsed_ms.saturating_add(*elapsed_ms);
            }
            EventKind::PlayerFailed { player, chorus, error, partial_output, usage, cost_usd, elapsed_ms } => {
                let i = index(&mut runs, player);
                let run = &mut runs[i];
                run.spent(usage, *cost_usd);
                run.outcome = PlayerOutcome::Failed;
                run.output.clone_from(partial_output);
                run.error = Some(error.clone());
                run.edited = false;
                run.choruses = run.choruses.max(*chorus);
                run.elapsed_ms = run.elapsed_ms.saturating_add(*elapsed_ms);
            }
            EventKind::PlayerSkipped { player, .. } => {
                let i = index(&mut runs, player);
                let run = &mut runs[i];
                if run.outcome == PlayerOutcome::NotCued {
                    run.outcome = PlayerOutcome::Skipped;
                }
            }
            EventKind::PlayerCarried { player, chorus, output, .. } => {
                let i = index(&mut runs, player);
                let run = &mut runs[i];
                run.outcome = PlayerOutcome::Carried;
                run.output.clone_from(output);
                run.choruses = *chorus;
            }
            EventKind::OutputEdited { player, output } => {
                let i = index(&mut runs, player);
                let run = &mut runs[i];
                run.output.clone_from(output);
                run.edited = true;
            }
            _ => {}
        }
    }
    runs
}
