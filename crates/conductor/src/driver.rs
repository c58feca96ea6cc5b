//! The driver: the one loop that decides, records and publishes.
//!
//! Players play in their own tasks and report back over a channel; commands arrive over another.
//! Only this loop writes events, so the log has no gaps and every decision is taken against the
//! state folded from everything recorded before it.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ensemble_instruments::{Limits, Prompt, Stage, Usage};
use ensemble_score::{Instrument, TempoMode};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::AbortHandle;
use tokio_util::sync::CancellationToken;

use crate::attempt::{self, Chorus, Report};
use crate::budget::{Budget, Exceeded, Streaming};
use crate::graph::Graph;
use crate::state::{Decision, Ending, State};
use crate::{Command, Event, EventKind, Handoff, Outcome};

/// How long cut-off players get to stop before their tasks are aborted.
const CUT_OFF_GRACE: Duration = Duration::from_secs(10);

/// Why a performance stops before it has played out.
pub(crate) enum Stop {
    CutOff,
    Budget(String),
    /// The journal failed, or the shared context could not be rendered.
    Failed(String),
}

pub(crate) struct Driver {
    pub(crate) graph: Graph,
    pub(crate) state: State,
    /// The journal, committing on a thread of its own (see `recording`).
    pub(crate) journal: crate::recording::Committer,
    pub(crate) journal_error: Option<String>,
    pub(crate) subscribers: Vec<UnboundedSender<Event>>,
    pub(crate) commands: UnboundedReceiver<Command>,
    pub(crate) commands_open: bool,
    pub(crate) reports: UnboundedReceiver<Report>,
    pub(crate) reporter: UnboundedSender<Report>,
    /// Cancelled on cut-off: every attempt's token is a child of it.
    pub(crate) root: CancellationToken,
    pub(crate) title: String,
    pub(crate) context: std::sync::Arc<str>,
    pub(crate) context_version: String,
    pub(crate) workspace: PathBuf,
    pub(crate) seed: u64,
    pub(crate) offline: bool,
    pub(crate) mode: TempoMode,
    pub(crate) budget: Budget,
    /// The bounds every attempt plays within (silence, output size).
    pub(crate) limits: Limits,
    pub(crate) streaming: Streaming,
    /// When this stretch of the performance started.
    pub(crate) started: Instant,
    /// Time spent in earlier stretches, before the performance was interrupted and resumed.
    pub(crate) earlier: Duration,
    /// Players whose readiness may have changed, each at most once.
    pub(crate) dirty: VecDeque<usize>,
    pub(crate) is_dirty: Vec<bool>,
    /// Ready players held back by pause or step tempo, in the order they became ready.
    pub(crate) queued: VecDeque<usize>,
    pub(crate) is_queued: Vec<bool>,
    pub(crate) recue: Vec<bool>,
    /// Steps sent before a player was waiting for one; each releases the next to wait.
    pub(crate) steps: u32,
    /// Running tasks, to abort any that ignore a cut-off.
    pub(crate) tasks: Vec<Option<AbortHandle>>,
    pub(crate) running: usize,
    /// When each person was asked.
    pub(crate) asked_at: Vec<Option<Instant>>,
    /// When each person's time to answer runs out, for human players with a timeout.
    pub(crate) answer_by: Vec<Option<tokio::time::Instant>>,
    pub(crate) asking: usize,
    pub(crate) checkpoints: usize,
    /// The recorded outputs a forked performance starts from (empty otherwise).
    pub(crate) carry: crate::carry::Carry,
    /// Emitted and folded into the state, not yet committed nor published (see `recording`).
    pub(crate) pending: Vec<Event>,
    /// When the pending batch is committed at the latest.
    pub(crate) flush_by: Option<tokio::time::Instant>,
    pub(crate) stop: Option<Stop>,
    /// Every player's tool servers and the calls waiting for a person.
    pub(crate) tools: crate::tools::PlayerTools,
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or_default()
}

/// Most reports of players taken in one turn of the conductor's loop.
const REPORTS_PER_TURN: usize = 64;

pub(crate) fn reports() -> (UnboundedSender<Report>, UnboundedReceiver<Report>) {
    unbounded_channel()
}

impl Driver {
    pub(crate) async fn run(mut self) -> Outcome {
        if let Some(outcome) = self.state.finished {
            return outcome;
        }
        let resumed = self.state.seq > 0;
        let performance = self.state.performance.clone().unwrap_or_else(|| ulid::Ulid::new().to_string());
        self.emit(EventKind::PerformanceStarted {
            performance,
            title: self.title.clone(),
            context_version: self.context_version.clone(),
            players: self.graph.players.iter().map(|p| p.id.clone()).collect(),
            offline: self.offline,
            resumed,
            tempo: Some(self.mode),
        });
        self.carry_over();
        if resumed {
            // A performance resumed with its time already used up plays nothing more.
            if self.budget.max_wall.is_some_and(|wall| self.earlier >= wall) {
                let exceeded = self.budget.time_exceeded(self.elapsed());
                self.exceed(exceeded);
            } else {
                self.pick_up();
            }
        }
        // Commands sent before the start (a pause, say) take effect before anyone plays.
        while let Ok(command) = self.commands.try_recv() {
            self.on_command(command);
        }
        for p in 0..self.graph.players.len() {
            self.mark(p);
        }
        let deadline = self.budget.max_wall.map(|d| tokio::time::Instant::from_std(self.started) + d.saturating_sub(self.earlier));
        // Timers made once and moved when their moment changes, not made again on every turn of
        // the loop: a fast performance turns it for every report.
        let over_time = sleep_until(deadline);
        tokio::pin!(over_time);
        let flush = tokio::time::sleep(Duration::ZERO);
        tokio::pin!(flush);
        let mut flush_at = None;

        while self.stop.is_none() {
            self.launch_ready();
            if self.stop.is_some() {
                break;
            }
            let waiting_for_person = !self.queued.is_empty() || self.asking > 0 || self.checkpoints > 0;
            if self.running == 0 && !waiting_for_person {
                break;
            }
            if self.running == 0 {
                // Nothing plays until a person acts: everything decided so far is shown now.
                self.flush();
                if self.stop.is_some() {
                    break;
                }
            }
            if self.running == 0 && !self.commands_open {
                self.stop = Some(Stop::Failed("the performance waits for a person, but nobody holds its controls".into()));
                break;
            }
            let answer_due = self.answer_due();
            if self.flush_by != flush_at {
                flush_at = self.flush_by;
                if let Some(at) = flush_at {
                    flush.as_mut().reset(at);
                }
            }
            tokio::select! {
                Some(report) = self.reports.recv() => {
                    self.on_report(report);
                    // What else was reported meanwhile is taken in the same turn, a bounded
                    // number, so a command or a due moment never waits behind a long stream.
                    for _ in 1..REPORTS_PER_TURN {
                        if self.stop.is_some() {
                            break;
                        }
                        let Ok(report) = self.reports.try_recv() else { break };
                        self.on_report(report);
                    }
                }
                _ = sleep_until(answer_due.map(|(_, at)| at)) => {
                    if let Some((p, _)) = answer_due {
                        self.no_answer(p);
                    }
                }
                command = self.commands.recv(), if self.commands_open => match command {
                    Some(command) => self.on_command(command),
                    None => {
                        self.commands_open = false;
                        self.tools.reject_waiting();
                    }
                },
                _ = &mut over_time => {
                    let exceeded = self.budget.time_exceeded(self.elapsed());
                    self.exceed(exceeded);
                }
                _ = &mut flush, if flush_at.is_some() => self.flush(),
                back = self.journal.back(), if self.journal.busy() => self.on_committed(back),
            }
        }
        if self.stop.is_some() {
            self.wind_down().await;
        }
        // Every attempt has ended: no call is in flight, and the servers go with the performance.
        self.tools.close().await;
        self.finish().await
    }

    /// How long the performance has been conducted, its earlier stretches included.
    fn elapsed(&self) -> Duration {
        self.earlier + self.started.elapsed()
    }

    /// Folds `kind` into the state and adds it to the batch being recorded; subscribers see it
    /// once its batch is committed. Once the journal has failed nothing more is recorded, so
    /// nothing unrecorded is published.
    ///
    /// A streamed piece that follows a piece of the same player still pending is joined to it:
    /// the log then holds a stream at the grain of its batches (a frame or so), not of the
    /// instrument's chunks, and a fast stream costs a row per batch instead of one per chunk.
    /// Nobody has seen the pending piece, so joining changes no event anyone was shown.
    pub(crate) fn emit(&mut self, kind: EventKind) {
        if self.journal_error.is_some() {
            return;
        }
        if let EventKind::Token { player, text } = &kind
            && let Some(Event { kind: EventKind::Token { player: last, text: so_far }, .. }) = self.pending.last_mut()
            && last == player
        {
            so_far.push_str(text);
            return;
        }
        let event = Event { seq: self.state.seq + 1, at_ms: now_ms(), kind };
        self.state.apply(&self.graph, &event);
        self.record(event);
    }

    pub(crate) fn publish(&mut self, event: Event) {
        // A dropped receiver is a subscriber that left.
        self.subscribers.retain(|s| s.send(event.clone()).is_ok());
    }

    pub(crate) fn mark(&mut self, p: usize) {
        if !self.is_dirty[p] {
            self.is_dirty[p] = true;
            self.dirty.push_back(p);
        }
    }

    /// Continues an interrupted performance: asks again for checkpoints that were waiting and
    /// decides the cues of players that ended just before the interruption.
    fn pick_up(&mut self) {
        for c in 0..self.graph.cues.len() {
            let edge = &self.graph.cues[c];
            let cue = &self.state.cues[c];
            if cue.waiting {
                let (from, to) = (self.graph.players[edge.from].id.clone(), self.graph.players[edge.to].id.clone());
                self.checkpoints += 1;
                self.emit(EventKind::CheckpointWaiting { from, to });
            } else if cue.decided_ending < self.state.players[edge.from].endings {
                self.decide(c);
            }
        }
    }

    /// Plays (or queues, when paused or stepping) every marked player that is ready.
    fn launch_ready(&mut self) {
        while let Some(p) = self.dirty.pop_front() {
            self.is_dirty[p] = false;
            if self.stop.is_some() {
                return;
            }
            if !self.is_ready(p) {
                continue;
            }
            if self.state.paused || self.mode == TempoMode::Step {
                self.is_queued[p] = true;
                self.queued.push_back(p);
            } else {
                self.cue(p);
            }
        }
        self.release_step();
    }

    /// Whether `p` should play now: not playing, and its cues fired anew since it was last cued
    /// (`join = all`: every cue outside loops has fired; `any`: one has). An entry player plays
    /// first at the start.
    pub(crate) fn is_ready(&self, p: usize) -> bool {
        let state = &self.state.players[p];
        if state.playing.is_some() || state.asking || self.is_queued[p] {
            return false;
        }
        if self.recue[p] {
            return true;
        }
        let node = &self.graph.players[p];
        let (mut outside_loops, mut fired_outside_loops, mut fresh) = (0, 0, false);
        for &c in &node.incoming {
            let cue = &self.state.cues[c];
            let fired = cue.decision == Decision::Fired;
            if !self.graph.cues[c].is_loop() {
                outside_loops += 1;
                fired_outside_loops += usize::from(fired);
            }
            fresh |= fired && cue.fired_tick > state.settled_tick;
        }
        if node.entry {
            return state.endings == 0 || fresh;
        }
        let satisfied = match node.join {
            ensemble_score::Join::All => fired_outside_loops == outside_loops,
            ensemble_score::Join::Any => fired_outside_loops > 0,
        };
        satisfied && fresh
    }

    /// Cues `p` now: records what it is handed, then asks the person or starts its task.
    pub(crate) fn cue(&mut self, p: usize) {
        self.recue[p] = false;
        let chorus = self.state.players[p].chorus + 1;
        let node = &self.graph.players[p];
        let mut handoffs = Vec::new();
        let mut handed = Vec::new();
        for &c in &node.incoming {
            if self.state.cues[c].decision == Decision::Fired {
                let from = &self.graph.players[self.graph.cues[c].from];
                let output = &self.state.players[self.graph.cues[c].from].output;
                handoffs.push(Handoff { from: from.id.clone(), output: output.clone() });
                handed.push((from.name.clone(), output.clone()));
            }
        }
        let prompt = Prompt { context: self.context.clone(), part: node.part.clone(), handoffs: handed };
        let instrument = node.instrument.clone();
        let kind = EventKind::PlayerCued {
            player: node.id.clone(),
            chorus,
            context_version: self.context_version.clone(),
            instrument: node.label.clone(),
            rehearsal: matches!(*instrument, Instrument::Rehearsal(_)),
            handoffs,
        };
        let (player, timeout, retries, retry_any) = (node.id.clone(), node.timeout_secs.map(Duration::from_secs), node.retries, node.retry_any);
        self.emit(kind);
        if self.journal_error.is_some() {
            return;
        }
        if matches!(*instrument, Instrument::Human(_)) {
            self.ask(p, prompt.full_text(), timeout);
            return;
        }
        let stage = Stage { workspace: self.workspace.clone(), seed: self.seed, player, chorus, attempt: 1, cancel: self.root.child_token(), limits: self.limits, tools: None };
        let tools = self.tools.for_chorus(p, matches!(*instrument, Instrument::Rehearsal(_)));
        let chorus = Chorus { player: p, instrument, prompt, stage, timeout, retries, retry_any, tools };
        // Boxed: the chorus's future is large (an attempt, its instrument, its tools), and a task
        // moves its future more than once while it is spawned; a box moves as one pointer.
        let task = tokio::spawn(Box::pin(attempt::run(chorus, self.reporter.clone())));
        self.tasks[p] = Some(task.abort_handle());
        self.running += 1;
    }

    fn on_report(&mut self, report: Report) {
        match report {
            Report::Token { player: p, text } => {
                self.streaming.add(p, &text);
                let player = self.graph.players[p].id.clone();
                self.emit(EventKind::Token { player, text });
                if self.stop.is_none()
                    && let Some(exceeded) = self.budget.tokens_exceeded(self.state.total_tokens().saturating_add(self.streaming.tokens()))
                {
                    self.exceed(exceeded);
                }
            }
            Report::Retrying { player: p, attempt, delay, reason, usage } => {
                // The failed attempt's real usage replaces the estimate of its stream.
                self.streaming.settle(p);
                let player = self.graph.players[p].id.clone();
                let cost_usd = ensemble_instruments::cost_of(&self.graph.players[p].instrument, &usage);
                self.emit(EventKind::PlayerRetrying { player, attempt, delay_ms: delay.as_millis() as u64, reason, usage, cost_usd });
                if self.stop.is_none()
                    && let Some(exceeded) = self.budget.usage_exceeded(&self.state, self.streaming.tokens())
                {
                    self.exceed(exceeded);
                }
            }
            Report::Ended { player, chorus, result, elapsed_ms } => {
                self.running -= 1;
                self.tasks[player] = None;
                self.streaming.settle(player);
                let id = self.graph.players[player].id.clone();
                match result {
                    Ok(played) => self.emit(EventKind::PlayerFinished {
                        player: id,
                        chorus,
                        output: played.output,
                        usage: played.usage,
                        cost_usd: played.cost_usd,
                        elapsed_ms,
                    }),
                    Err(e) => {
                        let error = if self.stop.is_some() { format!("cut off ({})", e.message) } else { e.message };
                        let cost_usd = ensemble_instruments::cost_of(&self.graph.players[player].instrument, &e.usage);
                        self.emit(EventKind::PlayerFailed { player: id, chorus, error, partial_output: e.partial_output, usage: e.usage, cost_usd, elapsed_ms });
                    }
                }
                self.ended(player);
            }
            Report::Tool { player, note } => self.on_tool_note(player, note),
        }
    }

    /// After a chorus ended: enforce the budgets, then decide the player's cues.
    pub(crate) fn ended(&mut self, p: usize) {
        if self.stop.is_some() {
            return;
        }
        if let Some(exceeded) = self.budget.usage_exceeded(&self.state, self.streaming.tokens()) {
            self.exceed(exceeded);
            return;
        }
        for i in 0..self.graph.players[p].outgoing.len() {
            let c = self.graph.players[p].outgoing[i];
            self.decide(c);
        }
        self.mark(p);
    }

    fn exceed(&mut self, exceeded: Exceeded) {
        let reason = exceeded.reason();
        self.emit(EventKind::BudgetExceeded { budget: exceeded.budget.into(), limit: exceeded.limit, used: exceeded.used });
        self.stop.get_or_insert(Stop::Budget(reason));
    }

    /// Cancels everything still playing or asking and records how each ended.
    async fn wind_down(&mut self) {
        self.root.cancel();
        for p in 0..self.graph.players.len() {
            if self.state.players[p].asking {
                let chorus = self.state.players[p].playing.map(|(c, _)| c).unwrap_or(1);
                let elapsed_ms = self.stop_asking(p);
                let player = self.graph.players[p].id.clone();
                self.emit(EventKind::PlayerFailed { player, chorus, error: "cut off before the person answered".into(), partial_output: String::new(), usage: Usage::default(), cost_usd: 0.0, elapsed_ms });
            }
        }
        let grace = tokio::time::sleep(CUT_OFF_GRACE);
        tokio::pin!(grace);
        while self.running > 0 {
            tokio::select! {
                Some(report) = self.reports.recv() => self.on_report(report),
                _ = sleep_until(self.flush_by) => self.flush(),
                back = self.journal.back(), if self.journal.busy() => self.on_committed(back),
                _ = &mut grace => break,
            }
        }
        // Players that ignored the cut-off: stop their tasks and record them as failed.
        for p in 0..self.graph.players.len() {
            if let Some(task) = self.tasks[p].take() {
                task.abort();
                self.running -= 1;
                self.streaming.settle(p);
                let chorus = self.state.players[p].playing.map(|(c, _)| c).unwrap_or(1);
                let player = self.graph.players[p].id.clone();
                let error = format!("cut off: did not stop within {} s", CUT_OFF_GRACE.as_secs());
                self.emit(EventKind::PlayerFailed { player, chorus, error, partial_output: String::new(), usage: Usage::default(), cost_usd: 0.0, elapsed_ms: 0 });
            }
        }
    }

    /// Reports players that never played as skipped, then records how the performance ended.
    async fn finish(mut self) -> Outcome {
        for p in 0..self.graph.players.len() {
            let state = &self.state.players[p];
            if state.endings == 0 && !state.skipped && state.playing.is_none() {
                let reason = match self.stop {
                    Some(_) => "the performance ended before it was cued".to_string(),
                    None => self.why_not_cued(p),
                };
                let player = self.graph.players[p].id.clone();
                self.emit(EventKind::PlayerSkipped { player, reason });
            }
        }
        // Everything before the end is committed first: a batch that cannot be is the reason
        // the performance failed.
        self.flush();
        self.settle().await;
        let (outcome, reason) = match self.stop.take() {
            Some(Stop::CutOff) => (Outcome::CutOff, Some("cut off by the conductor".to_string())),
            Some(Stop::Budget(reason)) => (Outcome::BudgetExceeded, Some(reason)),
            Some(Stop::Failed(reason)) => (Outcome::Failed, Some(reason)),
            None => match self.unhandled_failure() {
                Some(p) => (Outcome::Failed, Some(format!("{} failed and no cue handled it", self.graph.players[p].name))),
                None => (Outcome::Succeeded, None),
            },
        };
        let event = Event {
            seq: self.state.seq + 1,
            at_ms: now_ms(),
            kind: EventKind::PerformanceFinished {
                outcome,
                reason,
                usage: self.state.usage,
                cost_usd: self.state.cost_usd,
                elapsed_ms: self.elapsed().as_millis() as u64,
                players: count(self.state.players.len()),
                never_cued: count(self.state.players.iter().filter(|p| !p.cued && !p.carried).count()),
                carried: count(self.state.players.iter().filter(|p| p.carried).count()),
            },
        };
        // After a journal failure the last event still goes out, so every subscriber learns why.
        self.state.apply(&self.graph, &event);
        self.record_end(event).await;
        outcome
    }

    fn unhandled_failure(&self) -> Option<usize> {
        self.state.players.iter().position(|p| p.ending == Some(Ending::Failed { handled: false }))
    }

    fn why_not_cued(&self, p: usize) -> String {
        let node = &self.graph.players[p];
        for &c in &node.incoming {
            let edge = &self.graph.cues[c];
            if self.state.cues[c].decision != Decision::Fired && !edge.is_loop() {
                return format!("its cue from {} did not fire", self.graph.players[edge.from].name);
            }
        }
        "its cues did not fire".to_string()
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
