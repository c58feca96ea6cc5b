//! Running a performance.

use std::path::PathBuf;

use ensemble_score::Score;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::UnboundedReceiver;
use ts_rs::TS;

use crate::{Control, Event, Journal};

/// How a performance ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Outcome {
    Succeeded,
    Failed,
    CutOff,
    BudgetExceeded,
}

/// How to conduct.
#[derive(Debug, Clone)]
pub struct Options {
    /// The performance id (a ULID); a new one when absent.
    pub performance: Option<String>,
    /// The folder of the score file: the workspace and attached files are relative to it.
    pub base_dir: PathBuf,
    /// Seed for rehearsal instruments.
    pub seed: u64,
    /// Swap every instrument for rehearsal.
    pub offline: bool,
    /// Events of an interrupted performance to resume from (empty for a new performance).
    pub prior: Vec<Event>,
}

/// A performance being conducted.
pub struct Conductor {
    _private: (),
}

impl Conductor {
    /// Prepares a performance of `score`; events go to `journal` first, then to subscribers.
    pub fn new(score: Score, options: Options, journal: Box<dyn Journal>) -> Conductor {
        let _ = (score, options, journal);
        todo!("Conductor::new")
    }

    /// A new subscriber that receives every event from now on.
    pub fn subscribe(&mut self) -> UnboundedReceiver<Event> {
        todo!("subscribe")
    }

    /// The handle to pause, step, cut off, answer, approve and edit.
    pub fn control(&self) -> Control {
        todo!("control")
    }

    /// Conducts the performance to its end.
    pub async fn run(self) -> Outcome {
        todo!("run")
    }
}
