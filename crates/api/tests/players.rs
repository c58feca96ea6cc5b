//! Each player's part, read from the conductor's replay of a log written by hand: the figures
//! are worked out from the events below, so a second reading that drifted would show here.

use ensemble_api::players::{PlayerOutcome, replayed};
use ensemble_conductor::{Event, EventKind, Handoff};
use ensemble_instruments::Usage;

const SCORE: &str = r#"
format = 1
title = "Four"

[intent]
goal = "Pass a note on."

[[players]]
id = "a"
name = "A"
zone = "integrator"
part = "Start."
instrument = { kind = "rehearsal" }

[[players]]
id = "b"
name = "B"
zone = "integrator"
part = "Go on."
instrument = { kind = "rehearsal" }

[[players]]
id = "c"
name = "C"
zone = "integrator"
part = "Check."
instrument = { kind = "rehearsal" }

[[players]]
id = "d"
name = "D"
zone = "integrator"
part = "End."
instrument = { kind = "rehearsal" }
"#;

fn usage(input_tokens: u64, output_tokens: u64) -> Usage {
    Usage { input_tokens, output_tokens }
}

fn cued(player: &str, chorus: u32, instrument: &str) -> EventKind {
    EventKind::PlayerCued { player: player.into(), chorus, context_version: format!("sha256:{chorus}"), instrument: instrument.into(), rehearsal: false, handoffs: Vec::<Handoff>::new() }
}

fn finished(player: &str, chorus: u32, output: &str, spent: Usage, cost_usd: f64, elapsed_ms: u64) -> EventKind {
    EventKind::PlayerFinished { player: player.into(), chorus, output: output.into(), usage: spent, cost_usd, elapsed_ms }
}

#[test]
fn runs_sum_every_attempt_and_hand_on_what_was_handed_on_last() {
    let score = ensemble_score::parse(SCORE, None).expect("the test score is valid");
    let kinds = vec![
        EventKind::PerformanceStarted { performance: "p".into(), title: "Four".into(), context_version: "sha256:1".into(), players: ["a", "b", "c", "d"].map(String::from).to_vec(), offline: false, resumed: false, tempo: None },
        // a: carried over, then edited by a person.
        EventKind::PlayerCarried { player: "a".into(), from_performance: "o".into(), chorus: 2, output: "carried".into(), failed: false },
        EventKind::OutputEdited { player: "a".into(), output: "carried, edited".into() },
        // b: a retried attempt (3 + 4 tokens, $0.25) with a tool call, then a failure (5 + 6, $0.5),
        // then a second chorus that finishes (1 + 1, $0.125) with two tool calls.
        cued("b", 1, "openai m"),
        EventKind::ToolCalled { player: "b".into(), call: "1.1.1".into(), tool: "files.read".into(), arguments: serde_json::json!({}), rehearsal: false },
        EventKind::PlayerRetrying { player: "b".into(), attempt: 2, delay_ms: 0, reason: "dropped".into(), usage: usage(3, 4), cost_usd: 0.25 },
        EventKind::PlayerFailed { player: "b".into(), chorus: 1, error: "boom".into(), partial_output: "half".into(), usage: usage(5, 6), cost_usd: 0.5, elapsed_ms: 70 },
        cued("b", 2, "openai n"),
        EventKind::ToolCalled { player: "b".into(), call: "2.1.1".into(), tool: "files.read".into(), arguments: serde_json::json!({}), rehearsal: false },
        EventKind::ToolCalled { player: "b".into(), call: "2.1.2".into(), tool: "files.list".into(), arguments: serde_json::json!({}), rehearsal: false },
        finished("b", 2, "whole", usage(1, 1), 0.125, 30),
        // c: finished once, then cued again and still playing.
        cued("c", 1, "rehearsal"),
        finished("c", 1, "checked", usage(2, 2), 0.0, 5),
        cued("c", 2, "rehearsal"),
        // d: skipped.
        EventKind::PlayerSkipped { player: "d".into(), reason: "its cue did not fire".into() },
    ];
    let events: Vec<Event> = kinds.into_iter().enumerate().map(|(i, kind)| Event { seq: i as u64 + 1, at_ms: 1_000 + i as u64, kind }).collect();
    let runs = replayed(&score, &events);

    assert_eq!(runs.iter().map(|r| r.player.as_str()).collect::<Vec<_>>(), ["a", "b", "c", "d"], "score order, as the start lists them");
    let [a, b, c, d] = [&runs[0], &runs[1], &runs[2], &runs[3]];

    assert_eq!((a.outcome, a.output.as_str(), a.edited, a.choruses), (PlayerOutcome::Carried, "carried, edited", true, 2));
    assert_eq!((a.tokens(), a.cost_usd, a.instrument.as_deref()), (0, 0.0, None), "a carried player played nothing here");

    assert_eq!((b.outcome, b.output.as_str(), b.error.as_deref(), b.edited), (PlayerOutcome::Finished, "whole", None, false));
    assert_eq!((b.input_tokens, b.output_tokens), (3 + 5 + 1, 4 + 6 + 1), "the retried and the failed attempts count");
    assert_eq!(b.cost_usd, 0.25 + 0.5 + 0.125);
    assert_eq!((b.choruses, b.elapsed_ms, b.tool_calls), (2, 70 + 30, 1 + 2));
    assert_eq!((b.instrument.as_deref(), b.context_version.as_deref()), (Some("openai n"), Some("sha256:2")), "from its latest cue");

    assert_eq!((c.outcome, c.output.as_str(), c.choruses), (PlayerOutcome::Playing, "checked", 1), "playing again, handing on its first output");
    assert_eq!(d.outcome, PlayerOutcome::Skipped);
}
