//! The openai instrument: any OpenAI-compatible chat-completions endpoint, streamed.
//!
//! One request per attempt, read as server-sent events: each `delta.content` goes to the token
//! channel as it arrives. Servers differ in small ways, all accepted here: llama.cpp opens with a
//! `null` content beside the role and adds `timings` at the end; OpenAI and llama.cpp send a
//! usage chunk with no choices before `[DONE]` when asked; some servers send no usage at all, and
//! then usage is estimated from the text.
//!
//! An attempt has finished once the server sent `[DONE]` or a `finish_reason`; a stream that ends
//! before either is a dropped stream (transient, with the partial output).
//!
//! A player with tools offers them as `tools`; a streamed answer may then carry
//! `delta.tool_calls`, pieces of each call (id and name first, the arguments as JSON text in
//! pieces) keyed by `index`. Once that answer ends, each call goes through the tool desk and its
//! answer is sent back as a `tool` message in the next request, until the model answers without
//! calling (see [`crate::tool_loop`]). The output is all the text the model streamed, over every
//! round; usage adds up over the rounds. A chunk that is not
//! the JSON we expect is fatal: it means the URL does not speak this protocol, or the server is
//! broken in a way another attempt will not mend. So is an answer past the per-attempt output
//! limit, or an event that never ends (see [`crate::limits`]).

use ensemble_score::OpenaiSettings;
use serde::Deserialize;
use tokio::sync::mpsc::UnboundedSender;

use crate::http::{self, Next};
use crate::limits::{Limits, Output};
use crate::tool_loop::{MAX_TOOL_ARGUMENT_BYTES, Rounds};
use crate::{PlayError, Played, Prompt, Stage, Usage, describe_key, resolve_key};

pub async fn play(settings: &OpenaiSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let endpoint = settings.base_url.trim_end_matches('/');
    let key = key(settings, endpoint)?;
    let url = format!("{endpoint}/chat/completions");
    if key.is_some() {
        http::check_key_transport(&url, endpoint)?;
    }
    let mut messages = vec![
        serde_json::json!({ "role": "system", "content": prompt.system_text() }),
        serde_json::json!({ "role": "user", "content": prompt.user_text() }),
    ];
    let mut rounds = Rounds::new(stage);
    let mut output = Output::new(&stage.limits);
    let mut usage = Usage::default();
    loop {
        let mut body = request_body(settings, &messages);
        if let Some(desk) = rounds.offer() {
            body["tools"] = desk
                .tools
                .iter()
                .map(|t| serde_json::json!({ "type": "function", "function": { "name": t.name, "description": t.description, "parameters": t.input_schema } }))
                .collect();
            if rounds.spent() {
                body["tool_choice"] = "none".into();
            }
        }
        let input = message_text(&messages);
        let reading = match one_round(endpoint, &url, key.as_deref(), body, stage, tokens, output).await {
            Ok(reading) => reading,
            Err((error, partial, round_usage)) => {
                let spent = add(usage, round_usage.unwrap_or_else(|| Usage::estimate(&input, "")));
                return Err(error.with_partial(partial.into_string(), spent));
            }
        };
        usage = add(usage, reading.reported.unwrap_or_else(|| Usage::estimate(&input, &reading.round_text)));
        output = reading.output;
        if reading.calls.is_empty() {
            break;
        }
        let desk = match rounds.next_round(endpoint) {
            Ok(desk) => desk,
            Err(error) => return Err(error.with_partial(output.into_string(), usage)),
        };
        let calls: Vec<Called> = reading.calls.into_iter().enumerate().map(|(i, c)| c.finish(i)).collect();
        let text = reading.round_text;
        messages.push(serde_json::json!({
            "role": "assistant",
            "content": if text.is_empty() { serde_json::Value::Null } else { text.into() },
            "tool_calls": calls
                .iter()
                .map(|c| serde_json::json!({ "id": c.id, "type": "function", "function": { "name": c.name, "arguments": c.arguments } }))
                .collect::<Vec<_>>(),
        }));
        for call in calls {
            let answer = rounds.call(desk, &call.name, &call.arguments).await;
            messages.push(serde_json::json!({ "role": "tool", "tool_call_id": call.id, "content": answer.text }));
        }
        if stage.cancel.is_cancelled() {
            return Err(PlayError::cut_off().with_partial(output.into_string(), usage));
        }
    }
    let output = output.into_string();
    let cost_usd = crate::openai_price(settings).cost(&usage);
    Ok(Played { output, usage, cost_usd })
}

/// One request and its streamed answer. On failure: the error, the output so far, and the
/// usage the server reported for this round, if any.
async fn one_round<'a>(
    endpoint: &'a str,
    url: &str,
    key: Option<&'a str>,
    body: serde_json::Value,
    stage: &Stage,
    tokens: &UnboundedSender<String>,
    output: Output,
) -> Result<Reading<'a>, (PlayError, Output, Option<Usage>)> {
    let mut request = http::client().post(url).json(&body);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let limits = &stage.limits;
    let sent = match http::send(request, endpoint, limits, &stage.cancel).await {
        Ok(response) => http::check_status(response, endpoint, key, limits, &stage.cancel).await,
        Err(e) => Err(e),
    };
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Err((e, output, None)),
    };
    let mut stream = std::pin::pin!(http::events(response, limits));
    let mut reading = Reading::with_output(endpoint, key, output);
    loop {
        let step = match http::next_event(&mut stream, &stage.cancel).await {
            Next::Event(event) => reading.event(&event.data, tokens),
            Next::Cancelled => Step::Fail(PlayError::cut_off()),
            Next::End if reading.finished => Step::Done,
            Next::Broken(_) if reading.finished => Step::Done,
            Next::End => Step::Fail(dropped(endpoint, "the server closed it")),
            Next::Broken(why) => Step::Fail(dropped(endpoint, &why)),
            Next::TooLong(why) => Step::Fail(PlayError::fatal(format!("{endpoint} sent a malformed stream: {why}"))),
        };
        match step {
            Step::More => {}
            Step::Done => break,
            Step::Fail(error) => {
                let estimate = Usage::estimate("", &reading.round_text);
                return Err((error, reading.output, Some(reading.reported.unwrap_or(estimate))));
            }
        }
    }
    Ok(reading)
}

/// The text of the messages sent, to estimate input tokens when the server reports none: every
/// content and every tool call's arguments.
fn message_text(messages: &[serde_json::Value]) -> String {
    let mut text = String::new();
    for message in messages {
        if let Some(content) = message["content"].as_str() {
            text.push_str(content);
        }
        for call in message["tool_calls"].as_array().into_iter().flatten() {
            text.push_str(call["function"]["arguments"].as_str().unwrap_or_default());
        }
    }
    text
}

/// Usage of two rounds together, without overflow.
pub(crate) fn add(a: Usage, b: Usage) -> Usage {
    Usage { input_tokens: a.input_tokens.saturating_add(b.input_tokens), output_tokens: a.output_tokens.saturating_add(b.output_tokens) }
}

/// What to do after an event.
pub(crate) enum Step {
    More,
    Done,
    Fail(PlayError),
}

/// One streamed answer being read, event by event: the output so far (bounded), the usage the
/// server reported, and whether it said the answer is finished.
pub(crate) struct Reading<'a> {
    endpoint: &'a str,
    key: Option<&'a str>,
    pub output: Output,
    /// The text of this answer alone (the output holds every round's).
    pub round_text: String,
    pub reported: Option<Usage>,
    pub finished: bool,
    /// Tool calls being streamed, by their `index`.
    pub calls: Vec<Streaming>,
}

impl<'a> Reading<'a> {
    pub fn new(endpoint: &'a str, key: Option<&'a str>, limits: &Limits) -> Reading<'a> {
        Reading::with_output(endpoint, key, Output::new(limits))
    }

    /// Reading a later round, whose text goes on after `output`.
    pub fn with_output(endpoint: &'a str, key: Option<&'a str>, output: Output) -> Reading<'a> {
        Reading { endpoint, key, output, round_text: String::new(), reported: None, finished: false, calls: Vec::new() }
    }

    /// Takes in one event's data, sending its text to `tokens`.
    pub fn event(&mut self, data: &str, tokens: &UnboundedSender<String>) -> Step {
        let endpoint = self.endpoint;
        let data = data.trim();
        if data == "[DONE]" {
            return Step::Done;
        }
        let chunk: Chunk = match serde_json::from_str(data) {
            Ok(chunk) => chunk,
            Err(e) => return Step::Fail(PlayError::fatal(format!("{endpoint} sent a malformed chunk ({e}): {}", excerpt(data)))),
        };
        if let Some(error) = &chunk.error {
            return Step::Fail(stream_error(endpoint, error, self.key));
        }
        for choice in &chunk.choices {
            if let Some(text) = choice.delta.as_ref().and_then(|d| d.content.as_deref()) {
                if let Err(full) = self.output.push(text, tokens) {
                    return Step::Fail(full.error(endpoint));
                }
                self.round_text.push_str(text);
            }
            for (position, piece) in choice.delta.iter().flat_map(|d| d.tool_calls.iter()).enumerate() {
                let index = piece.index.unwrap_or(position);
                if index >= MAX_CALLS_PER_ANSWER {
                    return Step::Fail(PlayError::fatal(format!(
                        "{endpoint} sent a malformed tool call: index {index}, where at most {MAX_CALLS_PER_ANSWER} calls are read from one answer"
                    )));
                }
                if self.calls.len() <= index {
                    self.calls.resize_with(index + 1, Streaming::default);
                }
                if let Err(why) = self.calls[index].take(piece) {
                    return Step::Fail(PlayError::fatal(format!("{endpoint} sent a malformed tool call: {why}")));
                }
            }
            self.finished |= choice.finish_reason.is_some();
        }
        if let Some(usage) = chunk.usage {
            self.reported = Some(Usage { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens });
        }
        Step::More
    }
}

/// The key to send, if the instrument names one. A named key that cannot be found is fatal.
pub(crate) fn key(settings: &OpenaiSettings, endpoint: &str) -> Result<Option<String>, PlayError> {
    match &settings.key {
        None => Ok(None),
        Some(key) => resolve_key(key)
            .map(Some)
            .map_err(|e| PlayError::fatal(format!("no key for {endpoint} ({}): {e}", describe_key(key)))),
    }
}

fn request_body(settings: &OpenaiSettings, messages: &[serde_json::Value]) -> serde_json::Value {
    let mut body = serde_json::json!({
        "model": settings.model,
        "messages": messages,
        "stream": true,
        "stream_options": { "include_usage": true },
    });
    if let Some(temperature) = settings.temperature {
        body["temperature"] = temperature.into();
    }
    if let Some(max_tokens) = settings.max_tokens {
        body["max_tokens"] = max_tokens.into();
    }
    body
}

fn dropped(endpoint: &str, why: &str) -> PlayError {
    PlayError::transient(format!("stream dropped: {endpoint} stopped before the answer was finished ({why})"))
}

/// An error the server reported inside the stream; transient when its code says overload.
fn stream_error(endpoint: &str, error: &serde_json::Value, key: Option<&str>) -> PlayError {
    let said = http::json_message(&serde_json::json!({ "error": error })).unwrap_or_else(|| error.to_string());
    let message = http::redact(&format!("{endpoint} reported an error mid-stream: {said}"), key);
    let code = error.get("code").and_then(|c| c.as_u64().or_else(|| c.as_str()?.parse().ok()));
    match code {
        Some(code) if code == 429 || code >= 500 => PlayError::transient(message),
        _ => PlayError::fatal(message),
    }
}

/// The start of a bad chunk, enough to recognise it.
fn excerpt(data: &str) -> String {
    let cut: String = data.chars().take(120).collect();
    if cut.len() < data.len() { format!("{cut}…") } else { cut }
}

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<ChunkUsage>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    delta: Option<Delta>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Delta {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    tool_calls: Vec<CallPiece>,
}

/// A piece of a streamed tool call: the first usually carries its id and name, the rest pieces
/// of its arguments (JSON text).
#[derive(Deserialize)]
struct CallPiece {
    #[serde(default)]
    index: Option<usize>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    function: Option<FunctionPiece>,
}

#[derive(Deserialize)]
struct FunctionPiece {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arguments: Option<String>,
}

/// Most tool calls read from one answer; an index past it is a broken stream.
const MAX_CALLS_PER_ANSWER: usize = 128;

/// A tool call as it streams in.
#[derive(Debug, Default)]
pub(crate) struct Streaming {
    id: Option<String>,
    name: String,
    arguments: String,
}

impl Streaming {
    fn take(&mut self, piece: &CallPiece) -> Result<(), String> {
        if let Some(id) = &piece.id {
            self.id = Some(id.clone());
        }
        if let Some(function) = &piece.function {
            if let Some(name) = &function.name {
                self.name.push_str(name);
            }
            if let Some(arguments) = &function.arguments {
                self.arguments.push_str(arguments);
            }
        }
        if self.arguments.len() + self.name.len() > MAX_TOOL_ARGUMENT_BYTES {
            return Err(format!("its name and arguments went on past {MAX_TOOL_ARGUMENT_BYTES} bytes"));
        }
        Ok(())
    }

    /// The call as sent back to the server; one without an id gets one of its own.
    fn finish(self, position: usize) -> Called {
        Called { id: self.id.unwrap_or_else(|| format!("call_{position}")), name: self.name, arguments: self.arguments }
    }
}

/// A streamed tool call, whole.
struct Called {
    id: String,
    name: String,
    arguments: String,
}

#[derive(Deserialize)]
struct ChunkUsage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
}
