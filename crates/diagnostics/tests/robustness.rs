//! Odd input never panics, output is deterministic, and renderers escape what the score says.

mod common;

use common::*;
use ensemble_conductor::{Event, EventKind, Outcome};
use ensemble_diagnostics::{Input, Performance, diagnose, render_html, render_text};
use ensemble_instruments::Usage;
use ensemble_score::{Intent, Score, SharedContext, Tempo};

fn empty_score() -> Score {
    Score {
        format: 1,
        title: String::new(),
        intent: Intent::default(),
        context: SharedContext::default(),
        tempo: Tempo::default(),
        sections: Vec::new(),
        players: Vec::new(),
        cues: Vec::new(),
    }
}

#[test]
fn an_empty_score_with_no_performances() {
    let report = diagnose(&Input::new(empty_score()));
    assert!(report.alignment.players.is_empty());
    assert_eq!(report.composition.imbalance.value, None, "no players, no shares");
    assert_eq!(report.composition.gap_count.value, None, "an empty score has no gaps to fill yet");
    for d in &report.attunement {
        for m in &d.metrics {
            assert!(m.value.is_none(), "{} has nothing to be computed from", m.id);
            assert!(!m.flagged && m.advice.is_empty(), "{} cannot be flagged without a value", m.id);
        }
    }
    assert_eq!(report.created_ms, 0, "no events and no time given: 0, not the clock");
    assert!(render_text(&report).contains("no players"));
    assert!(render_html(&report, None).ends_with("</html>\n"));
}

fn ev(seq: u64, at_ms: u64, kind: EventKind) -> Event {
    Event { seq, at_ms, kind }
}

#[test]
fn strange_events_are_taken_in_stride() {
    let mut t = header("Ship the kite", "The kite flies");
    t += &loose("solo", "stabilizer", "Build it.");
    // A log that starts mid-way (no start, an end without a cue), names unknown players, has a
    // resumed stretch, a clock that goes backwards, and never finishes.
    let events = vec![
        ev(1, 500, EventKind::PlayerFinished { player: "solo".into(), chorus: 3, output: "done".into(), usage: Usage::default(), cost_usd: 0.0, elapsed_ms: 0 }),
        ev(2, 400, EventKind::CueFired { from: "nobody".into(), to: "solo".into(), count: 9 }),
        ev(3, 0, EventKind::PlayerFailed { player: "ghost".into(), chorus: 1, error: "x".into(), partial_output: String::new(), usage: Usage::default(), cost_usd: 0.0, elapsed_ms: 5 }),
        ev(4, 600, EventKind::PerformanceStarted { performance: "p".into(), title: "t".into(), context_version: "v".into(), players: vec!["solo".into(), "ghost".into()], offline: true, resumed: true, tempo: None }),
        ev(5, 600, EventKind::PlayerCued { player: "solo".into(), chorus: 4, context_version: "w".into(), instrument: "r".into(), rehearsal: true, handoffs: vec![] }),
        ev(6, 601, EventKind::CheckpointResolved { from: "solo".into(), to: "ghost".into(), approved: false, note: None }),
        ev(7, 602, EventKind::OutputEdited { player: "ghost".into(), output: String::new() }),
    ];
    let mut l = Log::new("q");
    l.start(0, "v", &["solo"]);
    l.finish(0, Outcome::CutOff, 0);
    let report = diagnose(&input(score(&t), vec![Performance { id: "p".into(), events }, l.done(), Performance { id: "empty".into(), events: vec![] }]));
    assert!(report.notes.iter().any(|n| n.contains("ghost") && n.contains("nobody")), "unknown players are noted: {:?}", report.notes);
    assert!(report.notes.iter().any(|n| n.contains("p never finished")));
    assert_eq!(report.step_forward.len(), 3, "p stalled, q was cut off, empty never started: {:#?}", report.step_forward);
    let json = serde_json::to_string(&report).expect("the report serialises");
    let value: serde_json::Value = serde_json::from_str(&json).expect("the report parses back");
    assert!(no_null_values(&value["attunement"]), "every value is a finite number or absent on purpose, never NaN turned null: {json}");
    render_text(&report);
    render_html(&report, Some("<svg/>"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let mut t = header("Ship the kite", "The kite flies");
    for (s, z) in [("x", "innovator"), ("y", "improver")] {
        t += &section(s, z);
    }
    for i in 0..6 {
        t += &player(&format!("p{i}"), if i % 2 == 0 { "x" } else { "y" }, "Explore, review and ship.");
    }
    for i in 0..5 {
        t += &cue(&format!("p{i}"), &format!("p{}", i + 1));
    }
    let make = || {
        let mut l = Log::new("r");
        l.start(0, "v", &[]);
        for i in 0..6 {
            let p = format!("p{i}");
            l.cued(i * 10, &p, 1, "v", &[]);
            l.finished(i * 10 + 5, &p, 1, "reviewed and shipped the kite", 5);
        }
        l.finish(60, Outcome::Succeeded, 60);
        input(score(&t), vec![l.done()])
    };
    let report = diagnose(&make());
    let json = serde_json::to_string(&report).expect("serialises");
    let back: ensemble_diagnostics::Report = serde_json::from_str(&json).expect("a report parses back from its JSON");
    // serde_json may read a float back one unit in the last place off; everything else is exact.
    assert_eq!((&back.advice, &back.record.advice, &back.notes), (&report.advice, &report.record.advice, &report.notes));
    for (a, b) in back.record.dimensions.iter().zip(&report.record.dimensions) {
        assert_eq!(a.id, b.id);
        assert!(a.value.zip(b.value).is_none_or(|(x, y)| (x - y).abs() < 1e-12) && a.value.is_some() == b.value.is_some(), "{} survives JSON", a.id);
    }
    let a = serde_json::to_string(&diagnose(&make())).expect("serialises");
    let b = serde_json::to_string(&diagnose(&make())).expect("serialises");
    assert_eq!(a, b, "diagnosis is deterministic");
    assert_eq!(render_html(&diagnose(&make()), None), render_html(&diagnose(&make()), None));
}

#[test]
fn renderers_escape_the_score() {
    let mut t = header("Ship the kite", "The kite flies");
    t = t.replace("title = \"Test\"", "title = \"<script>alert(1)</script> \\u001b[31mred\"");
    t += "[[players]]\nid = \"x\"\nname = \"<img src=x onerror=alert(2)>\"\nzone = \"innovator\"\npart = \"Explore.\"\n[players.instrument]\nkind = \"rehearsal\"\n\n";
    let report = diagnose(&Input::new(score(&t)));
    let html = render_html(&report, Some("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(3)</script></svg>"));
    assert!(!html.contains("<script"), "no script from the score or the picture reaches the page");
    assert!(!html.contains("<img src=x"), "markup in a name is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the title is shown, escaped");
    assert!(html.contains("data:image/svg+xml;base64,"), "the picture is embedded as an image");
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing is fetched from the network");
    assert!(html.contains("@media print"), "printable");
    let text = render_text(&report);
    assert!(!text.contains('\u{1b}'), "no escape sequence reaches the terminal");
    assert!(text.contains("Ensemble diagnosis: <script>"), "the terminal shows the title as written");
}

/// Whether every `value` of a metric is a number or an explicit null for "no value"; a NaN would
/// come out as null too, so check the metric's own flag agrees (flagged needs a value).
fn no_null_values(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Object(map) => {
            if let (Some(value), Some(flagged)) = (map.get("value"), map.get("flagged"))
                && value.is_null()
                && flagged == &serde_json::Value::Bool(true)
            {
                return false;
            }
            map.values().all(no_null_values)
        }
        serde_json::Value::Array(items) => items.iter().all(no_null_values),
        serde_json::Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
        _ => true,
    }
}
