//! What the HTTP instruments share: one connection pool, the mapping of HTTP trouble to
//! [`PlayError`], and reading a server-sent event stream that stops when the attempt is cut off.
//!
//! The mapping is the contract with the conductor: 408, 425, 429 and every 5xx (including
//! Anthropic's 529) are transient, as are connection failures and dropped streams; any other
//! status is fatal, because the same request will fail the same way. Server messages are passed
//! on (they say what to fix), with the key removed should a server echo it.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use eventsource_stream::{Event, EventStreamError, Eventsource};
use futures::{Stream, StreamExt};
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, Response, StatusCode};
use tokio_util::sync::CancellationToken;

use crate::PlayError;

/// Longest server error message passed on; the rest is cut.
const MAX_SERVER_MESSAGE: usize = 600;

/// One pool for every attempt, so a performance reuses connections to the same server.
pub fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .user_agent(concat!("ensemble-studio/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("a client with only a user agent and the compiled-in TLS backend always builds")
    })
}

/// Sends `request`, giving up when `cancel` fires. `endpoint` names the server in messages.
pub async fn send(request: RequestBuilder, endpoint: &str, cancel: &CancellationToken) -> Result<Response, PlayError> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(PlayError::cut_off()),
        sent = request.send() => sent.map_err(|e| unreachable(endpoint, &e)),
    }
}

/// Turns a failure to get any response into a message that says what to check.
pub fn unreachable(endpoint: &str, error: &reqwest::Error) -> PlayError {
    if error.is_connect() {
        PlayError::transient(format!("could not reach {endpoint} (is the server running?)"))
    } else if error.is_timeout() {
        PlayError::transient(format!("{endpoint} did not answer in time"))
    } else if error.is_builder() {
        PlayError::fatal(format!("{endpoint} is not a usable URL"))
    } else {
        PlayError::transient(format!("request to {endpoint} failed: {}", error_chain(error)))
    }
}

/// The error with its causes, which is where reqwest keeps the useful part.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Passes a successful response through; otherwise reads the body for the server's message.
///
/// `server` names the service in the message; `key` is removed from anything the server says.
pub async fn check_status(
    response: Response,
    server: &str,
    key: Option<&str>,
    cancel: &CancellationToken,
) -> Result<Response, PlayError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = retry_after(response.headers());
    let body = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Err(PlayError::cut_off()),
        body = response.text() => body.unwrap_or_default(),
    };
    let mut message = format!("{server} answered HTTP {}", status_words(status));
    if let Some(said) = server_message(&body) {
        message.push_str(": ");
        message.push_str(&said);
    }
    if let Some(hint) = hint(status) {
        message.push_str(hint);
    }
    let message = redact(&message, key);
    let mut error = if is_transient(status) { PlayError::transient(message) } else { PlayError::fatal(message) };
    error.retry_after = retry_after;
    Err(error)
}

fn status_words(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

fn hint(status: StatusCode) -> Option<&'static str> {
    match status.as_u16() {
        401 | 403 => Some(" (check the key)"),
        404 => Some(" (check the base URL and the model name)"),
        _ => None,
    }
}

pub fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 425 | 429) || status.is_server_error()
}

/// The human part of an error body: OpenAI's and Anthropic's `{"error": {"message"}}`, a bare
/// `{"error": "..."}` or `{"message": "..."}`, or else the text itself.
fn server_message(body: &str) -> Option<String> {
    let body = body.trim();
    if body.is_empty() {
        return None;
    }
    let said = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(json) => json_message(&json).unwrap_or_else(|| body.to_string()),
        Err(_) => body.to_string(),
    };
    Some(shorten(&said))
}

/// Finds the message in an error object as OpenAI-compatible servers and Anthropic send it.
pub fn json_message(json: &serde_json::Value) -> Option<String> {
    let error = json.get("error").unwrap_or(json);
    if let Some(text) = error.as_str() {
        return Some(text.to_string());
    }
    error.get("message").and_then(|m| m.as_str()).map(str::to_string)
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_SERVER_MESSAGE {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_SERVER_MESSAGE).collect();
    format!("{cut}…")
}

/// Removes `key` from `text`, in case a server quotes the key it was sent.
pub fn redact(text: &str, key: Option<&str>) -> String {
    match key {
        Some(key) if !key.is_empty() => text.replace(key, "[key removed]"),
        _ => text.to_string(),
    }
}

/// How long the server asked us to wait: `retry-after-ms` (OpenAI), else `Retry-After` in
/// seconds or as an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    let value = header("retry-after")?;
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// A server-sent event stream over a response body.
pub fn events(response: Response) -> impl Stream<Item = Result<Event, EventStreamError<reqwest::Error>>> {
    response.bytes_stream().eventsource()
}

/// What reading the next event gave.
pub enum Next {
    Event(Event),
    /// The body ended.
    End,
    /// The connection broke or the bytes were not an event stream.
    Broken(String),
    Cancelled,
}

/// The next event of `stream`, or why there is none.
pub async fn next_event<S>(stream: &mut S, cancel: &CancellationToken) -> Next
where
    S: Stream<Item = Result<Event, EventStreamError<reqwest::Error>>> + Unpin,
{
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Next::Cancelled,
        next = stream.next() => match next {
            None => Next::End,
            Some(Ok(event)) => Next::Event(event),
            Some(Err(EventStreamError::Transport(e))) => Next::Broken(error_chain(&e)),
            Some(Err(e)) => Next::Broken(e.to_string()),
        },
    }
}
