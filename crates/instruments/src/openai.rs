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
//! broken in a way another attempt will not mend.

use ensemble_score::OpenaiSettings;
use serde::Deserialize;
use tokio::sync::mpsc::UnboundedSender;

use crate::http::{self, Next};
use crate::{PlayError, Played, Prompt, Stage, Usage, describe_key, resolve_key};

pub async fn play(settings: &OpenaiSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let endpoint = settings.base_url.trim_end_matches('/');
    let key = key(settings, endpoint)?;
    let mut request = http::client().post(format!("{endpoint}/chat/completions")).json(&request_body(settings, prompt));
    if let Some(key) = &key {
        request = request.bearer_auth(key);
    }
    let response = http::send(request, endpoint, &stage.cancel).await?;
    let response = http::check_status(response, endpoint, key.as_deref(), &stage.cancel).await?;

    let input = prompt.system_text() + &prompt.user_text();
    let mut stream = std::pin::pin!(http::events(response));
    let mut output = String::new();
    let mut reported: Option<Usage> = None;
    let mut finished = false;
    let fail = |error: PlayError, output: &str, reported: Option<Usage>| {
        let usage = reported.unwrap_or_else(|| Usage::estimate(&input, output));
        error.with_partial(output, usage)
    };
    loop {
        let event = match http::next_event(&mut stream, &stage.cancel).await {
            Next::Event(event) => event,
            Next::Cancelled => return Err(fail(PlayError::cut_off(), &output, reported)),
            Next::End if finished => break,
            Next::Broken(_) if finished => break,
            Next::End => return Err(fail(dropped(endpoint, "the server closed it"), &output, reported)),
            Next::Broken(why) => return Err(fail(dropped(endpoint, &why), &output, reported)),
        };
        let data = event.data.trim();
        if data == "[DONE]" {
            break;
        }
        let chunk: Chunk = match serde_json::from_str(data) {
            Ok(chunk) => chunk,
            Err(e) => {
                let error = PlayError::fatal(format!("{endpoint} sent a malformed chunk ({e}): {}", excerpt(data)));
                return Err(fail(error, &output, reported));
            }
        };
        if let Some(error) = &chunk.error {
            return Err(fail(stream_error(endpoint, error, key.as_deref()), &output, reported));
        }
        for choice in &chunk.choices {
            if let Some(text) = choice.delta.as_ref().and_then(|d| d.content.as_deref())
                && !text.is_empty()
            {
                output.push_str(text);
                // The receiver may have gone (a closed display); the output is still collected.
                let _ = tokens.send(text.to_string());
            }
            finished |= choice.finish_reason.is_some();
        }
        if let Some(usage) = chunk.usage {
            reported = Some(Usage { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens });
        }
    }
    let usage = reported.unwrap_or_else(|| Usage::estimate(&input, &output));
    let cost_usd = usage.cost_usd(settings.usd_per_mtok_in, settings.usd_per_mtok_out);
    Ok(Played { output, usage, cost_usd })
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
