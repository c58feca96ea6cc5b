//! What the HTTP instruments share: one connection pool, the mapping of HTTP trouble to
//! [`PlayError`], and reading a server-sent event stream that stops when the attempt is cut off.
//!
//! The mapping is the contract with the conductor: 408, 425, 429 and every 5xx (including
//! Anthropic's 529) are transient, as are connection failures and dropped streams; any other
//! status is fatal, because the same request will fail the same way. Server messages are passed
//! on (they say what to fix), with the key removed should a server echo it.
//!
//! Everything a server sends is bounded (see [`crate::limits`]): connecting, the wait for an
//! answer and every silence within it are timed; an error body is read only up to
//! [`MAX_ERROR_BODY_BYTES`]; a stream event may not grow past [`MAX_EVENT_BYTES`]. A key never
//! leaves for another host: redirects are followed only within the origin first asked, and a key
//! travels over plain `http://` only to this computer.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use eventsource_stream::{Event, EventStreamError, Eventsource};
use futures::{Stream, StreamExt};
use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{RequestBuilder, Response, StatusCode, redirect};
use tokio_util::sync::CancellationToken;

use crate::PlayError;
use crate::limits::{CONNECT_TIMEOUT, Limits, MAX_ERROR_BODY_BYTES, MAX_EVENT_BYTES, size_words};
pub use crate::retry_after::retry_after;

/// Longest server error message passed on; the rest is cut.
const MAX_SERVER_MESSAGE: usize = 600;
/// Most redirects followed within one origin.
const MAX_REDIRECTS: usize = 5;

/// One pool for every attempt, so a performance reuses connections to the same server.
pub fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .user_agent(concat!("ensemble-studio/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(same_origin_redirects())
            .build()
            .expect("a client with a user agent, a connect timeout, a redirect policy and the compiled-in TLS backend always builds")
    })
}

/// Follows a redirect only while it stays on the origin (scheme, host and port) first asked:
/// requests carry keys (`Authorization`, Anthropic's `x-api-key`), and a header a redirect
/// carries to another host is a key handed to a stranger. A redirect elsewhere is not followed:
/// the 3xx answer comes back and [`check_status`] says where it pointed.
fn same_origin_redirects() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(|url| url.origin());
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else if first.is_some_and(|origin| origin == attempt.url().origin()) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Refuses to send a key to `url` over plain `http://` unless the host is this computer
/// (`localhost`, `127.0.0.0/8`, `::1`): anywhere else the key would cross a network unencrypted.
/// Called before any connection is made. A URL that does not parse is left to the request,
/// which reports it as unusable.
pub fn check_key_transport(url: &str, endpoint: &str) -> Result<(), PlayError> {
    let Ok(parsed) = reqwest::Url::parse(url) else { return Ok(()) };
    if parsed.scheme() != "http" || parsed.host_str().is_some_and(is_loopback) {
        return Ok(());
    }
    Err(PlayError::fatal(format!(
        "refused to send the key for {endpoint} over plain http: a key travels unencrypted only to this computer \
         (localhost, 127.0.0.1, ::1); use an https:// base URL"
    )))
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Sends `request`, giving up when `cancel` fires or no answer starts within the read timeout.
/// `endpoint` names the server in messages.
pub async fn send(request: RequestBuilder, endpoint: &str, limits: &Limits, cancel: &CancellationToken) -> Result<Response, PlayError> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(PlayError::cut_off()),
        sent = tokio::time::timeout(limits.read_timeout, request.send()) => match sent {
            Ok(sent) => sent.map_err(|e| unreachable(endpoint, &e)),
            Err(_) => Err(PlayError::transient(format!(
                "{endpoint} did not start answering within {} (the read timeout)",
                duration_words(limits.read_timeout)
            ))),
        },
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
    } else if error.is_redirect() {
        PlayError::fatal(format!("{endpoint} redirected too often: {}", error_chain(error)))
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

/// `120 s`, or `250 ms` below a second.
pub(crate) fn duration_words(duration: Duration) -> String {
    if duration >= Duration::from_secs(1) { format!("{} s", duration.as_secs()) } else { format!("{} ms", duration.as_millis()) }
}

/// Passes a successful response through; otherwise reads the start of the body for the
/// server's message.
///
/// `server` names the service in the message; `key` is removed from anything the server says.
pub async fn check_status(
    response: Response,
    server: &str,
    key: Option<&str>,
    limits: &Limits,
    cancel: &CancellationToken,
) -> Result<Response, PlayError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = retry_after(response.headers());
    let redirected_to = status.is_redirection().then(|| location_host(response.headers())).flatten();
    let body = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Err(PlayError::cut_off()),
        body = read_body(response, MAX_ERROR_BODY_BYTES, limits) => body.map(|b| b.bytes).unwrap_or_default(),
    };
    let body = String::from_utf8_lossy(&body);
    let mut message = format!("{server} answered HTTP {}", status_words(status));
    if let Some(said) = server_message(&body) {
        message.push_str(": ");
        message.push_str(&said);
    }
    if status.is_redirection() {
        let place = redirected_to.map(|host| format!("to {host}")).unwrap_or_else(|| "elsewhere".into());
        message.push_str(&format!(
            " (it redirects {place}; a redirect to another host is not followed, so that a key never goes where it was not sent: \
             set the base URL to the address it points to)"
        ));
    } else if let Some(hint) = hint(status) {
        message.push_str(hint);
    }
    let message = redact(&message, key);
    let mut error = if is_transient(status) { PlayError::transient(message) } else { PlayError::fatal(message) };
    error.retry_after = retry_after;
    Err(error)
}

/// The scheme, host and port a redirect points to (never its path or query, which may carry tokens).
fn location_host(headers: &HeaderMap) -> Option<String> {
    let location = reqwest::Url::parse(headers.get(LOCATION)?.to_str().ok()?).ok()?;
    Some(location.origin().ascii_serialization())
}

/// The start of a body, read piece by piece so no more than `limit` bytes are ever held.
pub struct Body {
    pub bytes: Vec<u8>,
    /// The body went on past `limit`; the rest was not read.
    pub cut: bool,
}

/// Reads up to `limit` bytes of `response`'s body, each piece within the read timeout.
pub async fn read_body(mut response: Response, limit: usize, limits: &Limits) -> Result<Body, String> {
    let mut bytes = Vec::new();
    loop {
        let chunk = match tokio::time::timeout(limits.read_timeout, response.chunk()).await {
            Err(_) => return Err(format!("nothing arrived for {} (the read timeout)", duration_words(limits.read_timeout))),
            Ok(Err(e)) => return Err(error_chain(&e)),
            Ok(Ok(None)) => return Ok(Body { bytes, cut: false }),
            Ok(Ok(Some(chunk))) => chunk,
        };
        let room = limit - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            return Ok(Body { bytes, cut: true });
        }
        bytes.extend_from_slice(&chunk);
    }
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

/// Why a response body stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("{0}")]
    Transport(String),
    #[error("nothing arrived for {} (the read timeout)", duration_words(*.0))]
    Silent(Duration),
    #[error("an event went on past {} without ending", size_words(*.0))]
    EventTooLong(usize),
}

/// The event stream's error type.
pub type StreamError = EventStreamError<BodyError>;

/// A server-sent event stream over a response body, bounded in silence and in event size.
pub fn events(response: Response, limits: &Limits) -> impl Stream<Item = Result<Event, StreamError>> + use<> {
    bounded(Box::pin(response.bytes_stream()), limits.read_timeout).eventsource()
}

/// `body` with every silence bounded by `read_timeout` and every event and line by
/// [`MAX_EVENT_BYTES`]: the event parser holds an unfinished event in memory, so a server that
/// never ends one would otherwise grow it without end. The stream ends after its first error.
pub fn bounded<S, B, E>(body: S, read_timeout: Duration) -> impl Stream<Item = Result<B, BodyError>>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::error::Error + 'static,
{
    let state = (body, EventLength::new(MAX_EVENT_BYTES), false);
    futures::stream::unfold(state, move |(mut body, mut length, ended)| async move {
        if ended {
            return None;
        }
        let item = match tokio::time::timeout(read_timeout, body.next()).await {
            Err(_) => Err(BodyError::Silent(read_timeout)),
            Ok(None) => return None,
            Ok(Some(Err(e))) => Err(BodyError::Transport(error_chain(&e))),
            Ok(Some(Ok(bytes))) if !length.feed(bytes.as_ref()) => Err(BodyError::EventTooLong(MAX_EVENT_BYTES)),
            Ok(Some(Ok(bytes))) => Ok(bytes),
        };
        let ended = item.is_err();
        Some((item, (body, length, ended)))
    })
}

/// The length of the event being received: bytes since the last blank line, which ends an event
/// (`\n`, `\r` and `\r\n` all end a line, as the event-stream format allows).
#[derive(Debug, Clone)]
pub struct EventLength {
    /// Bytes of the event so far, line ends included.
    event: usize,
    /// Bytes of the current line so far.
    line: usize,
    /// The last byte was `\r`, so a `\n` right after it belongs to the same line end.
    after_cr: bool,
    max: usize,
}

impl EventLength {
    pub fn new(max: usize) -> EventLength {
        EventLength { event: 0, line: 0, after_cr: false, max }
    }

    /// Takes in the next bytes; false once the current event is longer than the maximum.
    pub fn feed(&mut self, bytes: &[u8]) -> bool {
        for &byte in bytes {
            match byte {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    if self.line == 0 {
                        self.event = 0;
                    } else {
                        self.event += 1;
                    }
                    self.line = 0;
                    self.after_cr = byte == b'\r';
                }
                _ => {
                    self.line += 1;
                    self.event += 1;
                    self.after_cr = false;
                }
            }
            if self.event > self.max {
                return false;
            }
        }
        true
    }
}

/// What reading the next event gave.
pub enum Next {
    Event(Event),
    /// The body ended.
    End,
    /// The connection broke, went silent, or the bytes were not an event stream.
    Broken(String),
    /// One event went on past [`MAX_EVENT_BYTES`].
    TooLong(String),
    Cancelled,
}

/// The next event of `stream`, or why there is none.
pub async fn next_event<S>(stream: &mut S, cancel: &CancellationToken) -> Next
where
    S: Stream<Item = Result<Event, StreamError>> + Unpin,
{
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Next::Cancelled,
        next = stream.next() => match next {
            None => Next::End,
            Some(Ok(event)) => Next::Event(event),
            Some(Err(EventStreamError::Transport(e @ BodyError::EventTooLong(_)))) => Next::TooLong(e.to_string()),
            Some(Err(EventStreamError::Transport(e))) => Next::Broken(e.to_string()),
            Some(Err(e)) => Next::Broken(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{EventLength, check_key_transport, is_loopback};

    #[test]
    fn event_length_resets_at_blank_lines_in_every_line_ending() {
        for end in ["\n", "\r", "\r\n"] {
            let mut length = EventLength::new(12);
            let event = format!("data: 12{end}{end}");
            for _ in 0..100 {
                assert!(length.feed(event.as_bytes()), "a stream of short events never reaches the bound ({end:?})");
            }
            assert!(!length.feed(b"data: 1234567890"), "one event longer than the bound is refused");
        }
    }

    #[test]
    fn keys_go_over_plain_http_only_to_this_computer() {
        for host in ["localhost", "127.0.0.1", "127.8.9.10", "[::1]", "LOCALHOST"] {
            assert!(is_loopback(host), "{host} is this computer");
        }
        for url in ["http://127.0.0.1:8080/v1", "http://localhost/v1", "https://api.example.com", "http://[::1]:1/v1"] {
            assert!(check_key_transport(url, url).is_ok(), "{url} is encrypted or local");
        }
        for url in ["http://192.0.2.1/v1", "http://example.com", "http://localhost.example.com", "http://[2001:db8::1]/"] {
            let refused = check_key_transport(url, url).expect_err("a key over http to another host is refused");
            assert!(refused.message.contains("https://"), "the refusal says what to do: {}", refused.message);
        }
    }
}
