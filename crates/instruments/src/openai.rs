//! The openai instrument: any OpenAI-compatible chat-completions endpoint, streamed.
//!
//! One request per attempt, read as server-sent events: each `delta.content` goes to the token
//! channel as it arrives. Servers differ in small ways, all accepted here: llama.cpp opens with a
//! `null` content beside the role and adds `timings` at the end; OpenAI and llama.cpp send a
//! usage chunk with no choices before `[DONE]` when asked; some servers send no usage at all, and
//! then usage is estimated from the text.
//!
//! An attempt has finished once the server sent `[DONE]` or a `finish_reason`; a stream that ends
//! before either is a dropped stream (transient, with the partial output). A chunk that is not
//! the JSON we expect is fatal: it means the URL does not speak this protocol, or the server is
//! broken in a way another attempt will not mend. So is an answer past the per-attempt output
//! limit, or an event that never ends (see [`crate::limits`]).

use ensemble_score::OpenaiSettings;
use serde::Deserialize;
use tokio::sync::mpsc::UnboundedSender;

use crate::http::{self, Next};
use crate::limits::{Limits, Output};
use crate::{PlayError, Played, Prompt, Stage, Usage, describe_key, resolve_key};

pub async fn play(settings: &OpenaiSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let endpoint = settings.base_url.trim_end_matches('/');
    let key = key(settings, endpoint)?;
    let url = format!("{endpoint}/chat/completions");
    let mut request = http::client().post(&url).json(&request_body(settings, prompt));
    if let Some(key) = &key {
        http::check_key_transport(&url, endpoint)?;
        request = request.bearer_auth(key);
    }
    let limits = &stage.limits;
    let response = http::send(request, endpoint, limits, &stage.cancel).await?;
    let response = http::check_status(response, endpoint, key.as_deref(), limits, &stage.cancel).await?;

    let input = prompt.system_text() + &prompt.user_text();
    let mut stream = std::pin::pin!(http::events(response, limits));
    let mut reading = Reading::new(endpoint, key.as_deref(), limits);
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
                let usage = reading.reported.unwrap_or_else(|| Usage::estimate(&input, reading.output.as_str()));
                return Err(error.with_partial(reading.output.into_string(), usage));
            }
        }
    }
    let output = reading.output.into_string();
    let usage = reading.reported.unwrap_or_else(|| Usage::estimate(&input, &output));
    let cost_usd = crate::openai_price(settings).cost(&usage);
    Ok(Played { output, usage, cost_usd })
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
    pub reported: Option<Usage>,
    pub finished: bool,
}

impl<'a> Reading<'a> {
    pub fn new(endpoint: &'a str, key: Option<&'a str>, limits: &Limits) -> Reading<'a> {
        Reading { endpoint, key, output: Output::new(limits), reported: None, finished: false }
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
            if let Some(text) = choice.delta.as_ref().and_then(|d| d.content.as_deref())
                && let Err(full) = self.output.push(text, tokens)
            {
                return Step::Fail(full.error(endpoint));
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

fn request_body(settings: &OpenaiSettings, prompt: &Prompt) -> serde_json::Value {
    let mut body = serde_json::json!({
        "model": settings.model,
        "messages": [
            { "role": "system", "content": prompt.system_text() },
            { "role": "user", "content": prompt.user_text() },
        ],
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
}

#[derive(Deserialize)]
struct ChunkUsage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
}
