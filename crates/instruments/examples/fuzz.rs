//! A fuzz driver that runs on stable Rust: the score loader and the two stream parsers fed
//! random and mutated inputs from a fixed seed, each input checked for panics; a hang shows as a
//! run that never ends (the test script bounds it with `timeout`).
//!
//!   cargo run --release -p ensemble-instruments --example fuzz -- [INPUTS_PER_TARGET] [SEED]
//!
//! Inputs start from real material (the example scores, recorded-style SSE streams) and are
//! mutated byte-wise (flips, insertions, deletions, splices, repeats, cuts at random places).

use std::path::Path;
use std::time::Instant;

use ensemble_instruments::fuzzing::{Protocol, stream};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn main() {
    let mut args = std::env::args().skip(1);
    let inputs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let scores: Vec<Vec<u8>> = std::fs::read_dir(root.join("assets/scores"))
        .expect("the example scores are in assets/scores")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".score.toml"))
        .map(|p| std::fs::read(p).expect("readable"))
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime");

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let started = Instant::now();
    for _ in 0..inputs {
        let pick = rng.random_range(0..scores.len());
        let input = mutate(&mut rng, &scores[pick]);
        let _ = ensemble_score::parse(&String::from_utf8_lossy(&input), None);
    }
    report("score loader", inputs, started);

    for (name, protocol, seeds) in [("openai stream", Protocol::Openai, openai_streams()), ("anthropic stream", Protocol::Anthropic, anthropic_streams())] {
        let started = Instant::now();
        for _ in 0..inputs {
            let pick = rng.random_range(0..seeds.len());
            let input = mutate(&mut rng, &seeds[pick]);
            let chunks = cut(&mut rng, input);
            runtime.block_on(stream(protocol, chunks));
        }
        report(name, inputs, started);
    }
}

fn report(target: &str, inputs: u64, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    println!("{target}: {inputs} inputs, no panic, {secs:.1} s ({:.0} inputs/s)", inputs as f64 / secs.max(1e-9));
}

/// A mutated copy of `base`: a few random edits, sometimes none, sometimes pure noise.
fn mutate(rng: &mut ChaCha8Rng, base: &[u8]) -> Vec<u8> {
    if rng.random_ratio(1, 50) {
        let len = rng.random_range(0..512);
        return (0..len).map(|_| rng.random()).collect();
    }
    let mut out = base.to_vec();
    for _ in 0..rng.random_range(0..8) {
        let at = if out.is_empty() { 0 } else { rng.random_range(0..out.len()) };
        match rng.random_range(0..6) {
            0 if !out.is_empty() => out[at] ^= 1 << rng.random_range(0..8),
            1 => out.insert(at, *b"\n\r\"{}[]:=#\\ \x00\xff".get(rng.random_range(0..14)).unwrap_or(&b'x')),
            2 if !out.is_empty() => {
                let end = (at + rng.random_range(1..64)).min(out.len());
                out.drain(at..end);
            }
            3 => {
                let from = rng.random_range(0..base.len().max(1));
                let end = (from + rng.random_range(1..128)).min(base.len());
                let piece = base.get(from..end).unwrap_or_default().to_vec();
                out.splice(at..at, piece);
            }
            4 if !out.is_empty() => {
                let end = (at + rng.random_range(1..16)).min(out.len());
                let piece = out[at..end].repeat(rng.random_range(2..64));
                out.splice(at..at, piece);
            }
            _ => out.truncate(at),
        }
    }
    out
}

/// `body` cut into pieces at random places, as a network delivers it.
fn cut(rng: &mut ChaCha8Rng, body: Vec<u8>) -> Vec<Vec<u8>> {
    let mut chunks = Vec::new();
    let mut rest = body.as_slice();
    while !rest.is_empty() {
        let n = rng.random_range(1..=rest.len().min(256));
        chunks.push(rest[..n].to_vec());
        rest = &rest[n..];
    }
    chunks
}

fn openai_streams() -> Vec<Vec<u8>> {
    let chunk = |content: &str, finish: &str| {
        format!(r#"data: {{"id":"c","object":"chat.completion.chunk","choices":[{{"index":0,"delta":{{"content":{content}}},"finish_reason":{finish}}}]}}"#) + "\n\n"
    };
    vec![
        [
            chunk("null", "null"),
            chunk("\"Hello\"", "null"),
            chunk("\", world\"", "null"),
            chunk("\"\"", "\"stop\""),
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3}}\n\n".into(),
            "data: [DONE]\n\n".into(),
        ]
        .concat()
        .into_bytes(),
        "data: {\"error\":{\"message\":\"overloaded\",\"code\":503}}\r\n\r\n".as_bytes().to_vec(),
        ": keep-alive\n\nevent: x\nid: 1\nretry: 10\ndata: {\"choices\":[{\"delta\":{\"content\":\"é\"}}]}\ndata: more\n\n".as_bytes().to_vec(),
    ]
}

fn anthropic_streams() -> Vec<Vec<u8>> {
    let event = |json: &str| {
        let kind = json.split("\"type\":\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("x");
        format!("event: {kind}\ndata: {json}\n\n")
    };
    vec![
        [
            event(r#"{"type":"message_start","message":{"usage":{"input_tokens":18446744073709551615,"cache_read_input_tokens":5,"output_tokens":1}}}"#),
            event(r#"{"type":"content_block_start","index":0}"#),
            event(r#"{"type":"ping"}"#),
            event(r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi there"}}"#),
            event(r#"{"type":"message_delta","usage":{"output_tokens":4}}"#),
            event(r#"{"type":"message_stop"}"#),
        ]
        .concat()
        .into_bytes(),
        event(r#"{"type":"error","error":{"type":"overloaded_error","message":"busy"}}"#).into_bytes(),
    ]
}
