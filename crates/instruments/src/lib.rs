//! Instruments: what plays a part.
//!
//! Each instrument turns one [`Prompt`] into an output, streaming tokens as they come, and
//! reports usage. An instrument makes exactly one attempt: retries, backoff, budgets and
//! timeouts belong to the conductor, which learns from [`PlayError::retry_after`] and
//! [`PlayError::transient`] whether and when another attempt makes sense.
//!
//! The human instrument is not here: a person answers through the conductor's control handle.

mod prompt;
mod secret;
mod http;
mod limits;
mod retry_after;
mod process_group;
#[cfg(target_os = "linux")]
mod parent_death;
#[cfg(target_os = "linux")]
mod huge_pages;
mod connection;
mod prices;
pub mod rehearsal;
pub mod command;
pub mod openai;
pub mod anthropic;
pub mod tools;
mod tool_loop;
#[doc(hidden)]
pub mod fuzzing;

use std::path::PathBuf;
use std::time::Duration;

use ensemble_score::Instrument;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

pub use prompt::Prompt;
pub use connection::test_connection;
pub use prices::{Price, anthropic_price, cost_of, listed_price, openai_price, price_of, price_source};
pub use limits::{CONNECT_TIMEOUT, DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_READ_TIMEOUT, Limits, MAX_ERROR_BODY_BYTES, MAX_EVENT_BYTES, MAX_RETRY_AFTER};
pub use secret::{KEYCHAIN_SERVICE, SecretError, delete_key, describe_key, key_is_set, keychain_status, resolve_key, store_key};

/// Token usage of one attempt.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

impl Usage {
    /// A rough count for instruments that report none: about four characters per token.
    pub fn estimate(input: &str, output: &str) -> Usage {
        Usage { input_tokens: estimate_tokens(input), output_tokens: estimate_tokens(output) }
    }

    /// Cost in US dollars at the given prices per million tokens (a missing price costs nothing).
    pub fn cost_usd(&self, usd_per_mtok_in: Option<f64>, usd_per_mtok_out: Option<f64>) -> f64 {
        let part = |tokens: u64, price: Option<f64>| tokens as f64 * price.unwrap_or(0.0) / 1_000_000.0;
        finite_cost(part(self.input_tokens, usd_per_mtok_in) + part(self.output_tokens, usd_per_mtok_out))
    }
}

/// A cost that adds up: NaN (a NaN price) counts as nothing and infinity as the largest finite
/// amount, so a budget check against it still means something.
pub fn finite_cost(usd: f64) -> f64 {
    if usd.is_nan() { 0.0 } else { usd.clamp(f64::MIN, f64::MAX) }
}

fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

/// What one successful attempt produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    pub output: String,
    pub usage: Usage,
    /// Cost in US dollars, from the instrument's prices (0 when it has none).
    pub cost_usd: f64,
}

/// Why an attempt failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct PlayError {
    /// Says what went wrong in words a person can act on. Never contains a secret.
    pub message: String,
    /// Whether another attempt may succeed (network trouble, 429, 5xx, a rehearsal failure).
    pub transient: bool,
    /// How long the server asked us to wait before trying again (HTTP `Retry-After`).
    pub retry_after: Option<Duration>,
    /// Whatever output arrived before the failure (a dropped stream, a failed program's stdout).
    pub partial_output: String,
    /// Usage spent on the failed attempt, when known.
    pub usage: Usage,
}

impl PlayError {
    pub fn fatal(message: impl Into<String>) -> Self {
        PlayError { message: message.into(), transient: false, retry_after: None, partial_output: String::new(), usage: Usage::default() }
    }

    pub fn transient(message: impl Into<String>) -> Self {
        PlayError { transient: true, ..PlayError::fatal(message) }
    }

    /// The attempt was stopped through [`Stage::cancel`]; the conductor knows why.
    pub fn cut_off() -> Self {
        PlayError::fatal("cut off before the part was finished")
    }

    /// Attaches what the failed attempt produced and spent.
    pub fn with_partial(self, partial_output: impl Into<String>, usage: Usage) -> Self {
        PlayError { partial_output: partial_output.into(), usage, ..self }
    }
}

/// Everything an attempt needs besides the prompt.
#[derive(Debug, Clone)]
pub struct Stage {
    /// The workspace folder: command instruments run inside it.
    pub workspace: PathBuf,
    /// Seed for rehearsal; combined with the player id and attempt so each is repeatable.
    pub seed: u64,
    /// Stable id of the player, for seeding and for messages.
    pub player: String,
    /// 1-based count of times this player has been cued in the performance (loops re-cue).
    pub chorus: u32,
    /// 1-based attempt number within this cue.
    pub attempt: u32,
    /// Cancelled when the performance is cut off or the attempt times out.
    pub cancel: CancellationToken,
    /// How long a server may stay silent and how much output the attempt may produce.
    pub limits: Limits,
    /// The player's tools, when it has any: model instruments offer them to the model, and
    /// rehearsal plays a call to each.
    pub tools: Option<tools::ToolDesk>,
}

/// Plays one attempt of `prompt` on `instrument`, sending each streamed piece of output to `tokens`.
///
/// Panics if called with a human instrument: the conductor handles people itself.
pub async fn play(
    instrument: &Instrument,
    prompt: &Prompt,
    stage: &Stage,
    tokens: &UnboundedSender<String>,
) -> Result<Played, PlayError> {
    match instrument {
        Instrument::Rehearsal(s) => rehearsal::play(s, prompt, stage, tokens).await,
        Instrument::Command(s) => command::play(s, prompt, stage, tokens).await,
        Instrument::Openai(s) => openai::play(s, prompt, stage, tokens).await,
        Instrument::Anthropic(s) => anthropic::play(s, prompt, stage, tokens).await,
        Instrument::Human(_) => panic!("a human part is answered through the conductor, never played by an instrument"),
    }
}

/// A short label for events and displays, e.g. `rehearsal`, `openai llama3.2`, `command ./check.sh`.
pub fn label(instrument: &Instrument) -> String {
    match instrument {
        Instrument::Rehearsal(_) => "rehearsal".into(),
        Instrument::Command(s) => format!("command {}", s.program),
        Instrument::Openai(s) => format!("openai {}", s.model),
        Instrument::Anthropic(s) => format!("anthropic {}", s.model),
        Instrument::Human(s) => match &s.who {
            Some(who) => format!("human ({who})"),
            None => "human".into(),
        },
    }
}
