//! The bounds every attempt plays within, so that no server or program can make an attempt wait
//! forever or fill memory: how long a stream may stay silent, how much output one attempt may
//! produce, and the fixed bounds on connecting, error bodies, stream events and server-requested
//! waits.
//!
//! An attempt that reaches a bound fails with a message naming the bound, and keeps what it had
//! produced up to it as its partial output.

use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use crate::PlayError;

/// How long connecting to a server may take (TCP and TLS), for every HTTP instrument.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default of [`Limits::read_timeout`].
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(120);
/// The default of [`Limits::max_output_bytes`]: 16 MiB.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 16 << 20;
/// How much of an error response's body is read for its message; the rest is never read.
pub const MAX_ERROR_BODY_BYTES: usize = 64 << 10;
/// The longest single server-sent event (or line) accepted: a chunk of a model's answer is a
/// few hundred bytes, so anything near this is a server that never ends its event.
pub const MAX_EVENT_BYTES: usize = 1 << 20;
/// The longest wait a server may ask for between attempts (`Retry-After`); longer requests are
/// cut to this, so one header cannot park a performance for days.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The bounds of one attempt that a caller may set; [`Limits::default`] is what the studio and the
/// `ensemble` command use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest silence from a server: waiting for its answer to start, or between two pieces
    /// of a streamed answer. Silence this long fails the attempt as a dropped stream (transient).
    pub read_timeout: Duration,
    /// The most output (UTF-8 bytes) one attempt may produce: a program's stdout or a model's
    /// streamed text. Reaching it fails the attempt (fatal: another attempt would run away the
    /// same way), with the output up to the limit kept.
    pub max_output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { read_timeout: DEFAULT_READ_TIMEOUT, max_output_bytes: DEFAULT_MAX_OUTPUT_BYTES }
    }
}

/// A size for messages: `16 MiB`, `64 KiB`, `300 bytes`.
pub(crate) fn size_words(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// The output of one attempt, collected up to [`Limits::max_output_bytes`] and streamed to the
/// token channel as it grows.
#[derive(Debug)]
pub(crate) struct Output {
    text: String,
    cap: usize,
}

/// The output reached its limit: what fit was kept and sent on, the rest dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Full {
    pub cap: usize,
}

impl Full {
    /// The failure of an attempt whose `source` (a program, a server) said too much.
    pub fn error(self, source: &str) -> PlayError {
        PlayError::fatal(format!(
            "{source} produced more than {} of output in one attempt; it was cut off there (the per-attempt output limit)",
            size_words(self.cap)
        ))
    }
}

impl Output {
    pub fn new(limits: &Limits) -> Output {
        Output { text: String::new(), cap: limits.max_output_bytes }
    }

    /// Appends `piece` and sends it to `tokens`; when it does not fit, appends and sends the part
    /// that does (cut at a character boundary) and says the output is full.
    pub fn push(&mut self, piece: &str, tokens: &UnboundedSender<String>) -> Result<(), Full> {
        let room = self.cap.saturating_sub(self.text.len());
        let fits = if piece.len() <= room { piece } else { &piece[..floor_char_boundary(piece, room)] };
        if !fits.is_empty() {
            self.text.push_str(fits);
            // The receiver may have gone (a closed display); the output is still collected.
            let _ = tokens.send(fits.to_string());
        }
        if fits.len() < piece.len() { Err(Full { cap: self.cap }) } else { Ok(()) }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

/// The largest index `<= at` that is a character boundary of `text`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_keeps_what_fits_and_cuts_at_a_character_boundary() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut output = Output::new(&Limits { max_output_bytes: 5, ..Limits::default() });
        assert_eq!(output.push("abc", &tx), Ok(()));
        // "é" is two bytes: "dé" would make 6, so only "d" fits.
        assert_eq!(output.push("dé", &tx), Err(Full { cap: 5 }));
        assert_eq!(output.as_str(), "abcd", "the partial output is kept up to the limit, whole characters only");
        assert_eq!(output.push("xy", &tx), Err(Full { cap: 5 }), "the last byte of room takes the last character that fits");
        assert_eq!(output.as_str(), "abcdx");
        let sent: Vec<String> = std::iter::from_fn(|| rx.try_recv().ok()).collect();
        assert_eq!(sent, ["abc", "d", "x"], "only what was kept is streamed");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_words(16 << 20), "16 MiB");
        assert_eq!(size_words(64 << 10), "64 KiB");
        assert_eq!(size_words(300), "300 bytes");
    }
}
