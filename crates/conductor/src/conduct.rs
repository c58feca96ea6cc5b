//! Running a performance: the public face of the conductor.
//!
//! [`Conductor::new`] indexes the score and folds any prior events; [`Conductor::run`] hands
//! over to the driver, which conducts until every player has played out, or the performance is
//! cut off, runs out of budget, or cannot be recorded.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Instant;

use ensemble_instruments::Limits;
use ensemble_score::Score;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::budget::{self, Budget, Streaming};
use crate::context;
use crate::driver::{self, Driver, Stop};
use crate::graph::Graph;
use crate::state::State;
use crate::{Command, Control, Event, Journal};

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
    driver: Driver,
    /// Kept until [`Conductor::run`] so handles can be given out; dropped then, so the driver
    /// learns when nobody holds the controls any more.
    commands: UnboundedSender<Command>,
}

impl Conductor {
    /// Prepares a performance of `score`; events go to `journal` first, then to subscribers.
    ///
    /// With `options.prior`, the recorded events of an interrupted performance are folded in
    /// first, and the performance continues after them.
    pub fn new(score: Score, options: Options, journal: Box<dyn Journal>) -> Conductor {
        let graph = Graph::new(&score, options.offline);
        let mut state = State::new(&graph);
        for event in &options.prior {
            state.apply(&graph, event);
        }
        if let Some(id) = options.performance.filter(|_| state.performance.is_none()) {
            state.performance = Some(id);
        }
        let (context, context_version, mut stop) = match context::render(&score, &options.base_dir) {
            Ok(c) => (c.text, c.version, None),
            Err(reason) => (String::new(), String::new(), Some(Stop::Failed(reason))),
        };
        if let Some(p) = graph.unbounded_cycle {
            let name = &graph.players[p].name;
            stop.get_or_insert(Stop::Failed(format!("{name} is on a cycle of cues without a repeat limit: give one cue of the cycle `max_repeats`")));
        }
        let workspace = options.base_dir.join(score.context.workspace.as_deref().unwrap_or("."));
        let (commands, command_rx) = unbounded_channel();
        let (reporter, reports) = driver::reports();
        let n = graph.players.len();
        // A tempo the person set in an earlier stretch holds after a resume.
        let mode = state.tempo.unwrap_or(score.tempo.mode);
        let driver = Driver {
            state,
            journal: crate::recording::Committer::new(journal),
            journal_error: None,
            subscribers: Vec::new(),
            commands: command_rx,
            commands_open: true,
            reports,
            reporter,
            root: CancellationToken::new(),
            title: score.title.clone(),
            context: context.into(),
            context_version,
            workspace,
            seed: options.seed,
            offline: options.offline,
            mode,
            budget: Budget::new(&score.tempo),
            limits: Limits::default(),
            streaming: Streaming::new(n),
            started: Instant::now(),
            earlier: budget::time_spent(&options.prior),
            dirty: VecDeque::with_capacity(n),
            is_dirty: vec![false; n],
            queued: VecDeque::new(),
            is_queued: vec![false; n],
            recue: vec![false; n],
            steps: 0,
            tasks: (0..n).map(|_| None).collect(),
            running: 0,
            asked_at: vec![None; n],
            answer_by: vec![None; n],
            asking: 0,
            checkpoints: 0,
            carry: crate::carry::Carry::default(),
            pending: Vec::new(),
            flush_by: None,
            stop,
            tools: crate::tools::PlayerTools::new(&score.players),
            graph,
        };
        Conductor { driver, commands }
    }

    /// Plays every attempt within `limits` instead of the defaults ([`Limits::default`]): how
    /// long a server may stay silent, how much output one attempt may produce.
    pub fn with_limits(mut self, limits: Limits) -> Conductor {
        self.driver.limits = limits;
        self
    }

    /// Starts from the recorded outputs of another performance: each of `carried` is taken as
    /// given (recorded as carried over, not played), and conducting goes on from there. How a
    /// fork re-runs a performance from a chosen player (see [`crate::carried_outputs`]).
    pub fn carrying(mut self, from_performance: String, carried: Vec<crate::Carried>) -> Conductor {
        self.driver.carry = crate::carry::Carry { from_performance, outputs: carried };
        self
    }

    /// A new subscriber that receives every event from now on.
    pub fn subscribe(&mut self) -> UnboundedReceiver<Event> {
        let (tx, rx) = unbounded_channel();
        self.driver.subscribers.push(tx);
        rx
    }

    /// The handle to pause, step, cut off, answer, approve and edit.
    pub fn control(&self) -> Control {
        Control { tx: self.commands.clone() }
    }

    /// Conducts the performance to its end.
    pub async fn run(self) -> Outcome {
        let Conductor { mut driver, commands } = self;
        drop(commands);
        driver.started = Instant::now();
        driver.run().await
    }
}
