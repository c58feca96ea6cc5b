//! The anthropic instrument: Anthropic's Messages API, streamed.
//!
//! The stream is a sequence of typed events: `message_start` carries the input token count,
//! `content_block_delta` with a `text_delta` carries text, `message_delta` the running output
//! token count, and `message_stop` ends the answer; `ping` keeps the connection alive. An
//! `error` event mid-stream is transient when it says the service is overloaded, rate limited or
//! failing, fatal otherwise. A stream that ends before `message_stop` is a dropped stream
//! (transient). A malformed event is fatal, as for the openai instrument, and so is an answer
//! past the per-attempt output limit (see [`crate::limits`]).
//!
//! A player with tools offers them as `tools`. A `tool_use` content block then opens with the
//! call's id and name, its input follows as `input_json_delta` pieces of JSON text, and the
//! message stops with `stop_reason` `tool_use`. Each call goes through the tool desk, and the
//! answers go back as `tool_result` blocks of the next user message, until the model answers
//! without calling (see [`crate::tool_loop`]).

use ensemble_score::AnthropicSettings;
use serde::Deserialize;
use tokio::sync::mpsc::UnboundedSender;

use crate::http::{self, Next};
use crate::limits::{Limits, Output};
use crate::openai::{Step, add};
use crate::tool_loop::{MAX_TOOL_ARGUMENT_BYTES, Rounds};
use crate::{PlayError, Played, Prompt, Stage, Usage, describe_key, resolve_key};

pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
pub const API_VERSION: &str = "2023-06-01";
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

pub async fn play(settings: &AnthropicSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let endpoint = endpoint(settings);
    let key = key(settings, &endpoint)?;
    let url = format!("{endpoint}/v1/messages");
    http::check_key_transport(&url, &endpoint)?;
    let mut messages = vec![serde_json::json!({ "role": "user", "content": prompt.user_text() })];
    let mut rounds = Rounds::new(stage);
    let mut output = Output::new(&stage.limits);
    let mut usage = Usage::default();
    loop {
        let mut body = request_body(settings, &prompt.system_text(), &messages);
        if let Some(desk) = rounds.offer() {
            body["tools"] = desk
                .tools
                .iter()
                .map(|t| serde_json::json!({ "name": t.name, "description": t.description, "input_schema": t.input_schema }))
                .collect();
            if rounds.spent() {
                body["tool_choice"] = serde_json::json!({ "type": "none" });
            }
        }
        let input = prompt.system_text() + &message_text(&messages);
        let reading = match one_round(&endpoint, &url, &key, body, stage, tokens, output, &input).await {
            Ok(reading) => reading,
            Err((error, partial, round_usage)) => return Err(error.with_partial(partial.into_string(), add(usage, round_usage))),
        };
        usage = add(usage, reading.usage(&input));
        let (round_output, blocks) = (reading.output, reading.blocks);
        output = round_output;
        if !blocks.iter().any(|b| matches!(b, Block::ToolUse { .. })) {
            break;
        }
        let desk = match rounds.next_round(&endpoint) {
            Ok(desk) => desk,
            Err(error) => return Err(error.with_partial(output.into_string(), usage)),
        };
        let mut content = Vec::new();
        let mut calls = Vec::new();
        for block in blocks {
            match block {
                Block::Text(text) if !text.is_empty() => content.push(serde_json::json!({ "type": "text", "text": text })),
                Block::Text(_) => {}
                Block::ToolUse { id, name, input } => {
                    // The input goes back as the model sent it when it is an object; else as an
                    // empty one, and the desk tells the model what was wrong with it.
                    let parsed = serde_json::from_str::<serde_json::Value>(&input).ok().filter(|v| v.is_object());
                    let echoed = parsed.unwrap_or_else(|| serde_json::json!({}));
                    content.push(serde_json::json!({ "type": "tool_use", "id": id, "name": name, "input": echoed }));
                    calls.push((id, name, input));
                }
            }
        }
        messages.push(serde_json::json!({ "role": "assistant", "content": content }));
        let mut results = Vec::new();
        for (id, name, input) in calls {
            let answer = rounds.call(desk, &name, &input).await;
            results.push(serde_json::json!({ "type": "tool_result", "tool_use_id": id, "content": answer.text, "is_error": answer.is_error }));
        }
        messages.push(serde_json::json!({ "role": "user", "content": results }));
        if stage.cancel.is_cancelled() {
            return Err(PlayError::cut_off().with_partial(output.into_string(), usage));
        }
    }
    let output = output.into_string();
    let cost_usd = crate::anthropic_price(settings).cost(&usage);
    Ok(Played { output, usage, cost_usd })
}

/// One request and its streamed answer. On failure: the error, the output so far, and the
/// usage of this round.
#[allow(clippy::too_many_arguments)]
async fn one_round<'a>(
    endpoint: &'a str,
    url: &str,
    key: &'a str,
    body: serde_json::Value,
    stage: &Stage,
    tokens: &UnboundedSender<String>,
    output: Output,
    input: &str,
) -> Result<Reading<'a>, (PlayError, Output, Usage)> {
    let request = http::client().post(url).header("x-api-key", key).header("anthropic-version", API_VERSION).json(&body);
    let limits = &stage.limits;
    let sent = match http::send(request, endpoint, limits, &stage.cancel).await {
        Ok(response) => http::check_status(response, endpoint, Some(key), limits, &stage.cancel).await,
        Err(e) => Err(e),
    };
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Err((e, output, Usage::default())),
    };
    let mut stream = std::pin::pin!(http::events(response, limits));
    let mut reading = Reading::with_output(endpoint, key, output);
    loop {
        let step = match http::next_event(&mut stream, &stage.cancel).await {
            Next::Event(event) => reading.event(&event.data, tokens),
            Next::Cancelled => Step::Fail(PlayError::cut_off()),
            Next::End => Step::Fail(dropped(endpoint, "the server closed it")),
            Next::Broken(why) => Step::Fail(dropped(endpoint, &why)),
            Next::TooLong(why) => Step::Fail(PlayError::fatal(format!("{endpoint} sent a malformed stream: {why}"))),
        };
        match step {
            Step::More => {}
            Step::Done => break,
            Step::Fail(error) => {
                let usage = reading.usage(input);
                return Err((error, reading.output, usage));
            }
        }
    }
    Ok(reading)
}

/// One streamed answer being read, event by event: the output so far (bounded) and the token
/// counts the server reported.
pub(crate) struct Reading<'a> {
    endpoint: &'a str,
    key: &'a str,
    pub output: Output,
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
    /// This answer's content blocks, by index: its text and its tool calls.
    pub blocks: Vec<Block>,
}

/// A content block of the answer being read.
#[derive(Debug)]
pub(crate) enum Block {
    Text(String),
    /// A tool call; `input` is the JSON text streamed so far.
    ToolUse { id: String, name: String, input: String },
}

/// Most content blocks read from one answer; an index past it is a broken stream.
const MAX_BLOCKS: usize = 256;

impl<'a> Reading<'a> {
    pub fn new(endpoint: &'a str, key: &'a str, limits: &Limits) -> Reading<'a> {
        Reading::with_output(endpoint, key, Output::new(limits))
    }

    /// Reading a later round, whose text goes on after `output`.
    pub fn with_output(endpoint: &'a str, key: &'a str, output: Output) -> Reading<'a> {
        Reading { endpoint, key, output, input_tokens: None, output_tokens: None, blocks: Vec::new() }
    }

    /// The block at `index`, made when first seen; `None` past [`MAX_BLOCKS`].
    fn block(&mut self, index: usize, fresh: impl FnOnce() -> Block) -> Option<&mut Block> {
        if index >= MAX_BLOCKS {
            return None;
        }
        if self.blocks.len() <= index {
            self.blocks.resize_with(index, || Block::Text(String::new()));
            self.blocks.push(fresh());
        }
        self.blocks.get_mut(index)
    }

    /// This round's text, for estimating its usage.
    fn round_text(&self) -> String {
        self.blocks.iter().map(|b| match b { Block::Text(t) => t.as_str(), Block::ToolUse { input, .. } => input.as_str() }).collect()
    }

    /// The reported counts, each estimated from the text when the server did not send it.
    pub fn usage(&self, input: &str) -> Usage {
        let estimate = Usage::estimate(input, &self.round_text());
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
            Event::ContentBlockStart { index, content_block } => {
                let fresh = match content_block {
                    StartBlock::ToolUse { id, name } => Block::ToolUse { id, name, input: String::new() },
                    StartBlock::Other => Block::Text(String::new()),
                };
                if self.block(index, || fresh).is_none() {
                    return Step::Fail(PlayError::fatal(format!("{endpoint} sent a malformed event: content block {index} of at most {MAX_BLOCKS}")));
                }
            }
            Event::ContentBlockDelta { index, delta: Delta::TextDelta { text } } => {
                if let Err(full) = self.output.push(&text, tokens) {
                    return Step::Fail(full.error(endpoint));
                }
                if let Some(Block::Text(kept)) = self.block(index, || Block::Text(String::new())) {
                    kept.push_str(&text);
                }
            }
            Event::ContentBlockDelta { index, delta: Delta::InputJsonDelta { partial_json } } => {
                match self.block(index, || Block::Text(String::new())) {
                    Some(Block::ToolUse { input, .. }) => {
                        input.push_str(&partial_json);
                        if input.len() > MAX_TOOL_ARGUMENT_BYTES {
                            return Step::Fail(PlayError::fatal(format!(
                                "{endpoint} sent a malformed tool call: its input went on past {MAX_TOOL_ARGUMENT_BYTES} bytes"
                            )));
                        }
                    }
                    _ => return Step::Fail(PlayError::fatal(format!("{endpoint} sent tool input for block {index}, which is not a tool call"))),
                }
            }
            Event::MessageDelta { usage } => {
                if let Some(count) = usage.and_then(|u| u.output_tokens) {
                    self.output_tokens = Some(count);
                }
            }
            Event::MessageStop => return Step::Done,
            Event::Error { error } => return Step::Fail(stream_error(endpoint, &error, self.key)),
            Event::ContentBlockDelta { delta: Delta::Other, .. } | Event::Other => {}
        }
        Step::More
    }
}

/// The text of the messages sent, to estimate input tokens when the server reports none.
fn message_text(messages: &[serde_json::Value]) -> String {
    let mut text = String::new();
    for message in messages {
        match &message["content"] {
            serde_json::Value::String(content) => text.push_str(content),
            serde_json::Value::Array(blocks) => {
                for block in blocks {
                    for key in ["text", "content"] {
                        text.push_str(block[key].as_str().unwrap_or_default());
                    }
                    if block["type"] == "tool_use" {
                        text.push_str(&block["input"].to_string());
                    }
                }
            }
            _ => {}
        }
    }
    text
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

fn request_body(settings: &AnthropicSettings, system: &str, messages: &[serde_json::Value]) -> serde_json::Value {
    let mut body = serde_json::json!({
        "model": settings.model,
        "max_tokens": settings.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS),
        "system": system,
        "messages": messages,
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
    ContentBlockStart {
        #[serde(default)]
        index: usize,
        content_block: StartBlock,
    },
    ContentBlockDelta {
        #[serde(default)]
        index: usize,
        delta: Delta,
    },
    MessageDelta { #[serde(default)] usage: Option<DeltaUsage> },
    MessageStop,
    Error { error: ErrorBody },
    /// `ping`, `content_block_stop`, and whatever a newer API adds.
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
// The variants are named as the API names its delta types (`text_delta`, `input_json_delta`).
#[allow(clippy::enum_variant_names)]
enum Delta {
    TextDelta { text: String },
    /// A piece of a tool call's input, as JSON text.
    InputJsonDelta { partial_json: String },
    /// Thinking deltas and whatever a newer API adds: not part of the spoken output.
    #[serde(other)]
    Other,
}

/// How a content block opens: a tool call says its id and name; text and anything newer start empty.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum StartBlock {
    ToolUse { id: String, name: String },
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
