//! Playing one chorus of a player in its own task: attempts, timeouts, retries and backoff.
//!
//! The task never writes events itself: it reports to the driver over a channel, so the driver
//! stays the only writer of the log and sequence numbers have no gaps.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ensemble_instruments::{MAX_RETRY_AFTER, PlayError, Played, Prompt, Stage, Usage, play};
use ensemble_instruments::tools::ToolNote;
use ensemble_score::Instrument;

use crate::tools::ChorusTools;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

/// What a playing task tells the driver.
pub(crate) enum Report {
    Token { player: usize, text: String },
    /// An attempt failed and another follows; `usage` is what the failed one used.
    Retrying { player: usize, attempt: u32, delay: Duration, reason: String, usage: Usage },
    Ended { player: usize, chorus: u32, result: Result<Played, PlayError>, elapsed_ms: u64 },
    /// Something happened at the player's tool desk (a call, its result, a wait for a person).
    Tool { player: usize, note: ToolNote },
}

/// Everything one chorus needs, moved into its task.
pub(crate) struct Chorus {
    pub player: usize,
    pub instrument: Arc<Instrument>,
    pub prompt: Prompt,
    pub stage: Stage,
    pub timeout: Option<Duration>,
    pub retries: u32,
    /// The score set `retries` itself: every failure is tried again, not only transient ones
    /// (a program's non-zero exit is final to the instrument, but its composer knows it is flaky).
    pub retry_any: bool,
    /// The player's tools, when it has any.
    pub tools: Option<ChorusTools>,
}

/// The longest pause between attempts when the server did not say how long to wait.
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// Plays the chorus to its end and reports it; `stage.cancel` stops it at any await.
pub(crate) async fn run(mut chorus: Chorus, reports: UnboundedSender<Report>) {
    let started = Instant::now();
    let performance_cancel = chorus.stage.cancel.clone();
    let mut attempt = 1;
    let result = loop {
        chorus.stage.attempt = attempt;
        chorus.stage.cancel = performance_cancel.child_token();
        let result = one_attempt(&chorus, &reports).await;
        match result {
            Err(e) if (e.transient || chorus.retry_any) && attempt <= chorus.retries && !performance_cancel.is_cancelled() => {
                // A server's wait is capped by the instrument already; capped here too, so no
                // instrument can park a performance.
                let delay = e.retry_after.map(|wait| wait.min(MAX_RETRY_AFTER)).unwrap_or_else(|| backoff(attempt));
                let _ = reports.send(Report::Retrying { player: chorus.player, attempt: attempt + 1, delay, reason: e.message, usage: e.usage });
                tokio::select! {
                    _ = performance_cancel.cancelled() => break Err(PlayError::fatal("cut off")),
                    _ = tokio::time::sleep(delay) => {}
                }
                attempt += 1;
            }
            other => break other,
        }
    };
    let elapsed_ms = started.elapsed().as_millis() as u64;
    // The driver only goes away once it no longer needs reports.
    let _ = reports.send(Report::Ended { player: chorus.player, chorus: chorus.stage.chorus, result, elapsed_ms });
}

/// 0.5 s, 1 s, 2 s, ... up to [`MAX_BACKOFF`], before attempt `failed + 1`.
fn backoff(failed: u32) -> Duration {
    Duration::from_millis(500).saturating_mul(1 << (failed - 1).min(16)).min(MAX_BACKOFF)
}

/// One attempt, forwarding streamed tokens as they come, cancelled when it outlives its timeout.
async fn one_attempt(chorus: &Chorus, reports: &UnboundedSender<Report>) -> Result<Played, PlayError> {
    let (tokens, mut streamed) = unbounded_channel();
    // Tool notes are forwarded in the same loop as tokens, so each is recorded before the attempt's end.
    let (notes, mut noted) = unbounded_channel();
    let mut stage = chorus.stage.clone();
    if let Some(tools) = &chorus.tools {
        let desk = tokio::select! {
            _ = stage.cancel.cancelled() => return Err(PlayError::cut_off()),
            desk = tools.desk(&stage.workspace, notes) => desk,
        };
        stage.tools = Some(desk.map_err(|e| PlayError::fatal(format!("the player's tools could not be used: {e}")))?);
    }
    let stage = stage;
    let playing = play(&chorus.instrument, &chorus.prompt, &stage, &tokens);
    tokio::pin!(playing);
    let mut deadline = Deadline::new(chorus.timeout);
    let mut timed_out = false;
    let result = loop {
        tokio::select! {
            biased;
            Some(text) = streamed.recv() => {
                let _ = reports.send(Report::Token { player: chorus.player, text });
            }
            Some(note) = noted.recv() => {
                deadline.note(&note);
                let _ = reports.send(Report::Tool { player: chorus.player, note });
            }
            result = &mut playing => break result,
            _ = sleep_until(deadline.due()), if !timed_out => {
                // Cancel and let the instrument clean up (a command kills its processes) before failing.
                timed_out = true;
                chorus.stage.cancel.cancel();
            }
        }
    };
    while let Ok(text) = streamed.try_recv() {
        let _ = reports.send(Report::Token { player: chorus.player, text });
    }
    while let Ok(note) = noted.try_recv() {
        let _ = reports.send(Report::Tool { player: chorus.player, note });
    }
    if timed_out {
        let secs = chorus.timeout.map(|t| t.as_secs()).unwrap_or_default();
        let (partial_output, usage) = match result {
            Ok(played) => (played.output, played.usage),
            Err(e) => (e.partial_output, e.usage),
        };
        return Err(PlayError { partial_output, usage, ..PlayError::transient(format!("timed out after {secs} s")) });
    }
    result
}

/// When an attempt times out. The timeout bounds the player's own time (the instrument and its
/// tool calls), not a person's: while a tool call waits for approval the deadline stands still,
/// and once the person has decided it moves on by the time they took.
struct Deadline {
    at: Option<tokio::time::Instant>,
    /// Calls waiting for a person (one at a time today: an attempt makes its calls in turn).
    waiting: u32,
    /// When the first of the waiting calls began to wait.
    since: tokio::time::Instant,
}

impl Deadline {
    fn new(timeout: Option<Duration>) -> Deadline {
        let now = tokio::time::Instant::now();
        Deadline { at: timeout.map(|t| now + t), waiting: 0, since: now }
    }

    /// The moment the attempt times out; none while a person decides on a call.
    fn due(&self) -> Option<tokio::time::Instant> {
        if self.waiting > 0 { None } else { self.at }
    }

    /// Stops the clock when a call starts to wait and restarts it, later by the wait, when the
    /// call is decided. A call cut off while waiting ends the attempt, so it needs no restart.
    fn note(&mut self, note: &ToolNote) {
        match note {
            ToolNote::Waiting { .. } => {
                if self.waiting == 0 {
                    self.since = tokio::time::Instant::now();
                }
                self.waiting += 1;
            }
            ToolNote::Resolved { .. } if self.waiting > 0 => {
                self.waiting -= 1;
                if self.waiting == 0
                    && let Some(at) = &mut self.at
                {
                    *at += self.since.elapsed();
                }
            }
            _ => {}
        }
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::{Deadline, backoff};
    use ensemble_instruments::tools::{Decision, ToolNote};
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn the_deadline_stands_still_while_a_person_decides() {
        let start = tokio::time::Instant::now();
        let mut deadline = Deadline::new(Some(Duration::from_secs(2)));
        tokio::time::advance(Duration::from_secs(1)).await;
        let (reply, _decided) = tokio::sync::oneshot::channel();
        deadline.note(&ToolNote::Waiting { call: "1.1.1".into(), tool: "files.write".into(), arguments: serde_json::json!({}), reply });
        assert_eq!(deadline.due(), None, "no timeout fires while the call waits for a person");
        tokio::time::advance(Duration::from_secs(5)).await;
        deadline.note(&ToolNote::Resolved { call: "1.1.1".into(), tool: "files.write".into(), decision: Decision::Approve });
        assert_eq!(deadline.due(), Some(start + Duration::from_secs(2 + 5)), "the 2 s timeout moves on by the 5 s the person took");
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_millis(500));
        assert_eq!(backoff(2), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(2));
        assert_eq!(backoff(30), Duration::from_secs(8));
    }
}
