//! The rehearsal instrument: an offline stand-in for dry runs.
//!
//! It lets a composer try the shape of an ensemble (order, parallelism, loops, failures, budgets)
//! without a model or a network. Its output is built from the part and the hand-offs, so the flow
//! of material through the score stays visible, and it always begins with a `[rehearsal]` label so
//! nobody mistakes it for a model's answer. Everything random is drawn from a ChaCha stream seeded
//! by (seed, player, chorus, attempt): the same performance rehearses the same way every time.

use std::time::Duration;

use ensemble_score::RehearsalSettings;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio::sync::mpsc::UnboundedSender;

use crate::{PlayError, Played, Prompt, Stage, Usage};

/// How many pieces the output is streamed in.
const CHUNKS: usize = 4;

/// Most pieces one attempt streams at a set rate, whatever the rate and the latency say.
const MAX_PIECES: u64 = 1_000_000;

/// About one token of text: the usual four characters.
const TOKEN_CHARS: usize = 4;

/// The longest excerpt of a part or hand-off quoted in the output, in characters.
const EXCERPT: usize = 80;

pub async fn play(settings: &RehearsalSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed_for(stage));
    // Drawn first and always, so the failure decision does not depend on the output's length.
    let fails = rng.random::<f64>() < settings.failure_rate;
    // A player with tools calls them first, as a model would (made-up results, see tools::rehearse).
    let called = crate::tools::rehearse::calls(stage).await;

    let composed = crate::tools::rehearse::after_label(compose(settings, prompt, stage), &called);
    let input_tokens = estimate_tokens(prompt.context.len() + prompt.part.len() + prompt.handoffs.iter().map(|(from, out)| from.len() + out.len()).sum::<usize>());
    let (output, pieces, pause) = match settings.tokens_per_sec.filter(|r| *r > 0) {
        Some(rate) => {
            let count = (settings.latency_ms.saturating_mul(u64::from(rate)) / 1000).clamp(1, MAX_PIECES) as usize;
            let output = repeated(&composed, count * TOKEN_CHARS);
            (output, count, Duration::from_secs(1) / rate)
        }
        None => {
            let count = split(&composed, CHUNKS).len();
            (composed, count, Duration::from_millis(settings.latency_ms) / count.max(1) as u32)
        }
    };
    let size = if settings.tokens_per_sec.is_some() { TOKEN_CHARS } else { output.len().div_ceil(CHUNKS).max(1) };
    let pieces = split_by(&output, size, pieces);
    // A failing attempt stops halfway, like a dropped stream.
    let streamed = if fails { pieces.len() / 2 } else { pieces.len() };
    // Each piece is due at its own moment from the start, so a fast stream keeps its rate.
    let start = tokio::time::Instant::now();

    let mut sent = String::new();
    for (i, piece) in pieces[..streamed].iter().enumerate() {
        if settings.latency_ms > 0 {
            tokio::select! {
                _ = stage.cancel.cancelled() => return Err(cancelled(sent, input_tokens)),
                _ = tokio::time::sleep_until(start + pause * (i as u32 + 1)) => {}
            }
        } else if stage.cancel.is_cancelled() {
            return Err(cancelled(sent, input_tokens));
        }
        sent.push_str(piece);
        // A closed receiver only means nobody listens to the stream; the output is still returned.
        let _ = tokens.send((*piece).to_string());
    }

    if fails {
        let usage = Usage { input_tokens, output_tokens: estimate_tokens(sent.len()) };
        return Err(PlayError { partial_output: sent, usage, ..PlayError::transient("rehearsal: simulated failure") });
    }
    let usage = Usage { input_tokens, output_tokens: estimate_tokens(output.len()) };
    Ok(Played { output, usage, cost_usd: 0.0 })
}

/// The rehearsed output: a label, an excerpt of the part, what was received, and the verdict.
fn compose(settings: &RehearsalSettings, prompt: &Prompt, stage: &Stage) -> String {
    let mut out = format!("[rehearsal] {} (chorus {})\n", stage.player, stage.chorus);
    out.push_str("Part: ");
    out.push_str(excerpt(prompt.part.trim()));
    out.push('\n');
    if prompt.handoffs.is_empty() {
        out.push_str("Received: nothing, began the part.\n");
    }
    for (from, output) in &prompt.handoffs {
        out.push_str("Received from ");
        out.push_str(from);
        out.push_str(": ");
        out.push_str(excerpt(output.lines().next().unwrap_or("").trim()));
        out.push('\n');
    }
    if !settings.verdicts.is_empty() {
        let index = (stage.chorus.max(1) as usize - 1).min(settings.verdicts.len() - 1);
        out.push_str("VERDICT: ");
        out.push_str(&settings.verdicts[index]);
        out.push('\n');
    }
    out
}

/// At most [`EXCERPT`] characters of `text`, cut on a character boundary.
fn excerpt(text: &str) -> &str {
    match text.char_indices().nth(EXCERPT) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// `text` repeated (or cut, on a character boundary) to about `len` bytes.
fn repeated(text: &str, len: usize) -> String {
    let mut out = String::with_capacity(len + text.len());
    while out.len() < len && !text.is_empty() {
        out.push_str(text);
    }
    let mut end = len.min(out.len());
    while !out.is_char_boundary(end) {
        end += 1;
    }
    out.truncate(end);
    out
}

/// `text` in at most `n` pieces of similar length, cut on character boundaries.
fn split(text: &str, n: usize) -> Vec<&str> {
    split_by(text, text.len().div_ceil(n).max(1), n)
}

/// `text` in pieces of about `size` bytes (at most `n` of them), cut on character boundaries.
fn split_by(text: &str, size: usize, n: usize) -> Vec<&str> {
    let size = size.max(1);
    let mut pieces = Vec::with_capacity(n);
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + size).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        pieces.push(&text[start..end]);
        start = end;
    }
    pieces
}

fn cancelled(partial_output: String, input_tokens: u64) -> PlayError {
    let usage = Usage { input_tokens, output_tokens: estimate_tokens(partial_output.len()) };
    PlayError { partial_output, usage, ..PlayError::transient("rehearsal: cancelled") }
}

/// The usual rough estimate: four characters a token.
fn estimate_tokens(chars: usize) -> u64 {
    chars.div_ceil(4) as u64
}

/// Mixes the stage into one seed with FNV-1a, which (unlike the standard hasher) is stable
/// across builds, so a rehearsal repeats on every machine.
fn seed_for(stage: &Stage) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(&stage.seed.to_le_bytes());
    eat(stage.player.as_bytes());
    eat(&[0xff]);
    eat(&stage.chorus.to_le_bytes());
    eat(&stage.attempt.to_le_bytes());
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc::unbounded_channel;
    use tokio_util::sync::CancellationToken;

    fn stage(player: &str, chorus: u32, attempt: u32) -> Stage {
        Stage { workspace: ".".into(), seed: 7, player: player.into(), chorus, attempt, cancel: CancellationToken::new(), limits: crate::Limits::default(), tools: None }
    }

    fn prompt() -> Prompt {
        Prompt { context: "Build a kite.".into(), part: "Review the design.".into(), handoffs: vec![("Designer".into(), "A red kite\nwith a tail".into())] }
    }

    #[tokio::test]
    async fn a_set_rate_streams_one_token_a_piece_for_the_whole_latency() {
        let settings = RehearsalSettings { latency_ms: 50, tokens_per_sec: Some(1000), ..Default::default() };
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let played = play(&settings, &prompt(), &stage("coder", 1, 1), &tx).await.expect("a rehearsal without failures plays");
        let mut pieces = Vec::new();
        while let Ok(piece) = rx.try_recv() {
            pieces.push(piece);
        }
        // 50 ms at 1,000 a second: 50 pieces of four characters.
        assert_eq!(pieces.len(), 50, "one piece per 1/rate over the latency");
        assert!(pieces.iter().all(|p| p.len() == TOKEN_CHARS), "each piece is about a token: {pieces:?}");
        assert_eq!(pieces.concat(), played.output, "the pieces put together are the output");
        assert!(played.output.starts_with("[rehearsal] coder (chorus 1)"), "the output still begins with its label");
    }

    #[tokio::test]
    async fn output_is_labelled_streamed_and_ends_with_the_chorus_verdict() {
        let settings = RehearsalSettings { verdicts: vec!["CHANGES".into(), "APPROVED".into()], ..Default::default() };
        for (chorus, verdict) in [(1, "CHANGES"), (2, "APPROVED"), (5, "APPROVED")] {
            let (tx, mut rx) = unbounded_channel();
            let played = play(&settings, &prompt(), &stage("reviewer", chorus, 1), &tx).await.expect("failure_rate is 0");
            assert!(played.output.starts_with("[rehearsal] reviewer"), "{}", played.output);
            assert!(played.output.contains("Received from Designer: A red kite"), "{}", played.output);
            assert_eq!(played.output.trim_end().lines().last(), Some(format!("VERDICT: {verdict}").as_str()));
            drop(tx);
            let mut streamed = Vec::new();
            while let Some(piece) = rx.recv().await {
                streamed.push(piece);
            }
            assert!(streamed.len() > 1, "the output is streamed in pieces");
            assert_eq!(streamed.concat(), played.output);
            assert_eq!(played.usage.output_tokens, played.output.len().div_ceil(4) as u64);
            assert!(played.usage.input_tokens > 0);
        }
    }

    #[tokio::test]
    async fn failures_follow_the_rate_and_repeat_for_the_same_seed() {
        let settings = RehearsalSettings { failure_rate: 0.5, ..Default::default() };
        let (tx, _rx) = unbounded_channel();
        let mut first = Vec::new();
        for attempt in 1..=40 {
            first.push(play(&settings, &prompt(), &stage("coder", 1, attempt), &tx).await.is_err());
        }
        let mut second = Vec::new();
        for attempt in 1..=40 {
            second.push(play(&settings, &prompt(), &stage("coder", 1, attempt), &tx).await.is_err());
        }
        assert_eq!(first, second, "the same stage rehearses the same way");
        let failures = first.iter().filter(|f| **f).count();
        assert!((5..=35).contains(&failures), "{failures} failures of 40 at rate 0.5");

        let always = RehearsalSettings { failure_rate: 1.0, ..Default::default() };
        let err = play(&always, &prompt(), &stage("coder", 1, 1), &tx).await.expect_err("rate 1 always fails");
        assert!(err.transient);
        assert_eq!(err.message, "rehearsal: simulated failure");
        assert!(err.partial_output.starts_with("[rehearsal] coder"));
    }

    #[tokio::test]
    async fn cancelling_stops_a_slow_rehearsal() {
        let settings = RehearsalSettings { latency_ms: 60_000, ..Default::default() };
        let stage = stage("slow", 1, 1);
        let (tx, _rx) = unbounded_channel();
        let cancel = stage.cancel.clone();
        let playing = tokio::spawn(async move { play(&settings, &prompt(), &stage, &tx).await });
        cancel.cancel();
        let err = playing.await.expect("the rehearsal task does not panic").expect_err("a cancelled rehearsal fails");
        assert_eq!(err.message, "rehearsal: cancelled");
    }

    #[test]
    fn split_keeps_every_character() {
        let text = "é".repeat(9) + "abc";
        let pieces = split(&text, 4);
        assert_eq!(pieces.concat(), text);
        assert!(pieces.len() <= 5);
        assert!(split("", 4).is_empty());
    }
}
