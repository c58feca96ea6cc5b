//! The anthropic instrument: Anthropic's Messages API, streamed.
//!
//! The stream is a sequence of typed events: `message_start` carries the input token count,
//! `content_block_delta` with a `text_delta` carries text, `message_delta` the running output
//! token count, and `message_stop` ends the answer; `ping` keeps the connection alive. An
//! `error` event mid-stream is transient when it says the service is overloaded, rate limited or
//! failing, fatal otherwise. A stream that ends before `message_stop` is a dropped stream
//! (transient). A malformed event is fatal, as for the openai instrument, and so is an answer
//! past the per-attempt output limit (see [`crate::limits`]).

use ensemble_score::AnthropicSettings;
use serde::Deserialize;
use tokio::sync::mpsc::UnboundedSender;

use crate::http::{self, Next};
use crate::limits::{Limits, Output};
use crate::openai::Step;
use crate::{PlayError, Played, Prompt, Stage, Usage, describe_key, resolve_key};

pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
pub const API_VERSION: &str = "2023-06-01";
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

pub async fn play(settings: &AnthropicSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let endpoint = endpoint(settings);
    let key = key(settings, &endpoint)?;
    let url = format!("{endpoint}/v1/messages");
    http::check_key_transport(&url, &endpoint)?;
    let request = http::client()
        .post(&url)
        .header("x-api-key", &key)
        .header("anthropic-version", API_VERSION)
        .json(&request_body(settings, prompt));
    let limits = &stage.limits;
    let response = http::send(request, &endpoint, limits, &stage.cancel).await?;
    let response = http::check_status(response, &endpoint, Some(&key), limits, &stage.cancel).await?;

    let input = prompt.system_text() + &prompt.user_text();
    let mut stream = std::pin::pin!(http::events(response, limits));
    let mut reading = Reading::new(&endpoint, &key, limits);
    loop {
        let step = match http::next_event(&mut stream, &stage.cancel).await {
            Next::Event(event) => reading.event(&event.data, tokens),
            Next::Cancelled => Step::Fail(PlayError::cut_off()),
            Next::End => Step::Fail(dropped(&endpoint, "the server closed it")),
            Next::Broken(why) => Step::Fail(dropped(&endpoint, &why)),
            Next::TooLong(why) => Step::Fail(PlayError::fatal(format!("{endpoint} sent a malformed stream: {why}"))),
        };
        match step {
            Step::More => {}
            Step::Done => break,
            Step::Fail(error) => {
                let usage = reading.usage(&input);
                return Err(error.with_partial(reading.output.into_string(), usage));
            }
        }
    }
    let usage = reading.usage(&input);
    let output = reading.output.into_string();
    let cost_usd = crate::anthropic_price(settings).cost(&usage);
    Ok(Played { output, usage, cost_usd })
}

/// One streamed answer being read, event by event: the output so far (bounded) and the token
/// counts the server reported.
pub(crate) struct Reading<'a> {
    endpoint: &'a str,
    key: &'a str,
    pub output: Output,
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
}

impl<'a> Reading<'a> {
    pub fn new(endpoint: &'a str, key: &'a str, limits: &Limits) -> Reading<'a> {
        Reading { endpoint, key, output: Output::new(limits), input_tokens: None, output_tokens: None }
    }

    /// The reported counts, each estimated from the text when the server did not send it.
    pub fn usage(&self, input: &str) -> Usage {
        let estimate = Usage::estimate(input, self.output.as_str());
        Usage {
            input_tokens: self.input_tokens.unwrap_or(estimate.input_tokens),
            output_tokens: self.output_tokens.unwrap_or(estimate.output_tokens),
        }
    }

    /// Takes in one event's data, sending its text to `tokens`.
    pub fn event(&mut self, data: &str, tokens: &UnboundedSender<String>) -> Step {
        let endpoint = self.endpoint;
        let data = data.trim();
        let parsed: Event = match serde_json::from_str(data) {
            Ok(parsed) => parsed,
            Err(e) => return Step::Fail(PlayError::fatal(format!("{endpoint} sent a malformed event ({e}): {}", excerpt(data)))),
        };
        match parsed {
            Event::MessageStart { message } => {
                if let Some(usage) = message.usage {
                    let counts = [usage.input_tokens, usage.cache_creation_input_tokens, usage.cache_read_input_tokens];
                    // Server-reported counts are added without overflow, however large.
                    self.input_tokens = Some(counts.iter().flatten().fold(0u64, |sum, n| sum.saturating_add(*n)));
                    self.output_tokens = usage.output_tokens.or(self.output_tokens);
                }
            }
            Event::ContentBlockDelta { delta: Delta::TextDelta { text } } => {
                if let Err(full) = self.output.push(&text, tokens) {
                    return Step::Fail(full.error(endpoint));
                }
            }
            Event::MessageDelta { usage } => {
                if let Some(count) = usage.and_then(|u| u.output_tokens) {
                    self.output_tokens = Some(count);
                }
            }
            Event::MessageStop => return Step::Done,
            Event::Error { error } => return Step::Fail(stream_error(endpoint, &error, self.key)),
            Event::ContentBlockDelta { delta: Delta::Other } | Event::Other => {}
        }
        Step::More
    }
}

/// The base URL without a trailing slash.
pub(crate) fn endpoint(settings: &AnthropicSettings) -> String {
    settings.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL).trim_end_matches('/').to_string()
}

/// The key; the Messages API always needs one, so a missing key is fatal.
pub(crate) fn key(settings: &AnthropicSettings, endpoint: &str) -> Result<String, PlayError> {
    resolve_key(&settings.key)
        .map_err(|e| PlayError::fatal(format!("no key for {endpoint} ({}): {e}", describe_key(&settings.key))))
}

fn request_body(settings: &AnthropicSettings, prompt: &Prompt) -> serde_json::Value {
    let mut body = serde_json::json!({
        "model": settings.model,
        "max_tokens": settings.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS),
        "system": prompt.system_text(),
        "messages": [{ "role": "user", "content": prompt.user_text() }],
        "stream": true,
    });
    if let Some(temperature) = settings.temperature {
        body["temperature"] = temperature.into();
    }
    body
}

fn dropped(endpoint: &str, why: &str) -> PlayError {
    PlayError::transient(format!("stream dropped: {endpoint} stopped before the answer was finished ({why})"))
}

fn stream_error(endpoint: &str, error: &ErrorBody, key: &str) -> PlayError {
    let message = http::redact(&format!("{endpoint} reported {}: {}", error.kind, error.message), Some(key));
    match error.kind.as_str() {
        "overloaded_error" | "api_error" | "rate_limit_error" | "timeout_error" => PlayError::transient(message),
        _ => PlayError::fatal(message),
    }
}

fn excerpt(data: &str) -> String {
    let cut: String = data.chars().take(120).collect();
    if cut.len() < data.len() { format!("{cut}…") } else { cut }
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Event {
    MessageStart { message: StartMessage },
    ContentBlockDelta { delta: Delta },
    MessageDelta { #[serde(default)] usage: Option<DeltaUsage> },
    MessageStop,
    Error { error: ErrorBody },
    /// `ping`, `content_block_start`, `content_block_stop`, and whatever a newer API adds.
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct StartMessage {
    #[serde(default)]
    usage: Option<StartUsage>,
}

#[derive(Deserialize)]
struct StartUsage {
    #[serde(default)]
    input_tokens: Option<u64>,
    #[serde(default)]
    cache_creation_input_tokens: Option<u64>,
    #[serde(default)]
    cache_read_input_tokens: Option<u64>,
    #[serde(default)]
    output_tokens: Option<u64>,
}

#[derive(Deserialize)]
struct DeltaUsage {
    #[serde(default)]
    output_tokens: Option<u64>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Delta {
    TextDelta { text: String },
    /// Tool input and thinking deltas: not part of the spoken output.
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    message: String,
}
