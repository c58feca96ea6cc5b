//! The performance as OTLP/JSON traces, read back with OpenTelemetry's own protobuf types (their
//! JSON mapping): one trace whose id comes from the performance id, a root span for the
//! performance and exactly one span per player turn, the GenAI attributes, cues as links and
//! failures as error status.

mod recorded;

use ensemble_conductor::{Conductor, EventKind, MemoryJournal, Options};
use ensemble_export::{otlp, trace_id};
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::trace::v1::{Span, TracesData, status::StatusCode};
use recorded::*;

fn parse(json: &str) -> Vec<Span> {
    let data: TracesData = serde_json::from_str(json).unwrap_or_else(|e| panic!("the export is OTLP/JSON: {e}\n{json}"));
    assert_eq!(data.resource_spans.len(), 1, "one resource: this application");
    let resource = &data.resource_spans[0];
    assert_eq!(resource.scope_spans.len(), 1, "one instrumentation scope");
    let service = resource.resource.as_ref().map(|r| r.attributes.iter().any(|a| a.key == "service.name")).unwrap_or(false);
    assert!(service, "the resource names its service");
    resource.scope_spans[0].spans.clone()
}

fn attr(span: &Span, key: &str) -> Option<Value> {
    span.attributes.iter().find(|a| a.key == key).and_then(|a| a.value.clone()).and_then(|v| v.value)
}

fn string(span: &Span, key: &str) -> String {
    match attr(span, key) {
        Some(Value::StringValue(s)) => s,
        other => panic!("{key} on {} is a string, not {other:?}", span.name),
    }
}

fn int(span: &Span, key: &str) -> i64 {
    match attr(span, key) {
        Some(Value::IntValue(i)) => i,
        other => panic!("{key} on {} is an integer, not {other:?}", span.name),
    }
}

#[test]
fn one_trace_a_root_and_one_span_per_turn() {
    let spans = parse(&otlp(&score(), ID, &events()));
    let expected_trace = hex::decode(trace_id(ID)).expect("the trace id is hex");
    assert_eq!(expected_trace.len(), 16, "a trace id is 16 bytes");
    assert!(spans.iter().all(|s| s.trace_id == expected_trace), "every span is in the performance's one trace");
    assert_eq!(trace_id(ID), trace_id(ID), "the same performance gives the same trace id");
    assert_ne!(trace_id(ID), trace_id("01JOTHER"), "another performance, another trace");

    let names: Vec<&str> = spans.iter().map(|s| s.name.as_str()).collect();
    // Three player_cued events: writer, reviewer, writer again.
    assert_eq!(names, ["invoke_agent Kite <review>", "invoke_agent Writer <one>", "invoke_agent Reviewer", "invoke_agent Writer <one>"]);
    let root = &spans[0];
    assert!(root.parent_span_id.is_empty(), "the performance is the root");
    for turn in &spans[1..] {
        assert_eq!(turn.parent_span_id, root.span_id, "{} is a turn of the performance", turn.name);
        assert_eq!(turn.span_id.len(), 8, "a span id is 8 bytes");
        assert_eq!(string(turn, "gen_ai.operation.name"), "invoke_agent");
    }
    let mut ids: Vec<&Vec<u8>> = spans.iter().map(|s| &s.span_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "every span has its own id");

    // Times: t0 = 1 000 000 ms; the writer's first turn runs from +10 ms to +1 010 ms.
    assert_eq!(spans[1].start_time_unix_nano, 1_000_010_000_000);
    assert_eq!(spans[1].end_time_unix_nano, 1_001_010_000_000);
    assert_eq!(root.start_time_unix_nano, 1_000_000_000_000);
    assert_eq!(root.end_time_unix_nano, 1_005_010_000_000);
}

#[test]
fn genai_attributes_of_each_turn() {
    let spans = parse(&otlp(&score(), ID, &events()));
    let (writer, reviewer, again) = (&spans[1], &spans[2], &spans[3]);
    assert_eq!(string(writer, "gen_ai.agent.id"), "writer");
    assert_eq!(string(writer, "gen_ai.agent.name"), "Writer <one>");
    assert_eq!(string(writer, "gen_ai.provider.name"), "openai");
    assert_eq!(string(writer, "gen_ai.request.model"), "llama3.2");
    assert_eq!(attr(writer, "gen_ai.request.temperature"), Some(Value::DoubleValue(0.25)));
    assert_eq!((int(writer, "gen_ai.usage.input_tokens"), int(writer, "gen_ai.usage.output_tokens")), (100, 40));
    assert_eq!(string(reviewer, "gen_ai.provider.name"), "anthropic");
    assert_eq!(string(reviewer, "gen_ai.request.model"), "claude-sonnet-4-5");
    assert_eq!((int(reviewer, "gen_ai.usage.input_tokens"), int(reviewer, "gen_ai.usage.output_tokens")), (300, 60));
    // The failed turn counts its retried attempt too: 110 + 7 in, 5 + 3 out.
    assert_eq!((int(again, "gen_ai.usage.input_tokens"), int(again, "gen_ai.usage.output_tokens")), (117, 8));
    assert_eq!(int(again, "ensemble.chorus"), 2);
    match attr(again, "ensemble.cost_usd") {
        // $0.0011 for the failed attempt and $0.0001 for the retried one.
        Some(Value::DoubleValue(cost)) => assert!((cost - 0.0012).abs() < 1e-12, "the turn's cost counts every attempt: {cost}"),
        other => panic!("the turn has a cost, not {other:?}"),
    }
    assert_eq!(int(again, "ensemble.attempts"), 2);
    let retry: Vec<&str> = again.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(retry, ["retry"], "the retried attempt is an event of its turn");
    assert_eq!(reviewer.events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["output edited"]);
    // The performance: its recorded totals.
    let root = &spans[0];
    assert_eq!((int(root, "gen_ai.usage.input_tokens"), int(root, "gen_ai.usage.output_tokens")), (517, 108));
    assert_eq!(string(root, "gen_ai.conversation.id"), ID);
    let moments: Vec<&str> = root.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(moments, ["checkpoint waiting", "checkpoint resolved"]);
}

#[test]
fn cues_are_links_from_the_handing_on_turn() {
    let spans = parse(&otlp(&score(), ID, &events()));
    let (writer, reviewer, again) = (&spans[1], &spans[2], &spans[3]);
    assert!(writer.links.is_empty(), "the first turn was handed nothing");
    assert_eq!(reviewer.links.len(), 1, "the reviewer was cued by the writer");
    assert_eq!(reviewer.links[0].span_id, writer.span_id, "the link points at the writer's turn that handed on");
    assert_eq!(reviewer.links[0].trace_id, writer.trace_id);
    assert_eq!(again.links.len(), 1, "the writer's second chorus was cued by the review");
    assert_eq!(again.links[0].span_id, reviewer.span_id);
}

#[test]
fn failures_are_error_status_with_their_message() {
    let spans = parse(&otlp(&score(), ID, &events()));
    let again = &spans[3];
    let status = again.status.as_ref().expect("a failed turn has a status");
    assert_eq!(status.code, StatusCode::Error as i32);
    assert_eq!(status.message, FAILURE);
    assert_eq!(string(again, "error.type"), "_OTHER");
    assert!(spans[1].status.as_ref().is_none_or(|s| s.code != StatusCode::Error as i32), "a finished turn is no error");
    let root = spans[0].status.as_ref().expect("a finished performance has a status");
    assert_eq!((root.code, root.message.as_str()), (StatusCode::Error as i32, "writer failed"));
}

#[test]
fn a_conducted_rehearsal_has_one_span_per_cue_of_a_player() {
    let text = r#"format = 1
title = "Loop"

[intent]
goal = "Go round twice."

[[players]]
id = "coder"
name = "Coder"
zone = "stabilizer"
part = "Build."

[players.instrument]
kind = "rehearsal"

[[players]]
id = "reviewer"
name = "Reviewer"
zone = "improver"
part = "Review."

[players.instrument]
kind = "rehearsal"
verdicts = ["CHANGES REQUESTED", "APPROVED"]

[[cues]]
from = "coder"
to = "reviewer"

[[cues]]
from = "reviewer"
to = "coder"
when = "verdict"
verdict = "CHANGES"
max_repeats = 3
"#;
    let score = ensemble_score::parse(text, None).expect("the loop score loads");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let events = runtime.block_on(async {
        let options =
            Options { performance: Some("loop".into()), base_dir: std::env::temp_dir(), seed: 3, offline: true, prior: Vec::new() };
        let mut conductor = Conductor::new(score.clone(), options, Box::new(MemoryJournal::default()));
        let mut rx = conductor.subscribe();
        conductor.run().await;
        let mut events = Vec::new();
        while let Ok(e) = rx.try_recv() {
            events.push(e);
        }
        events
    });
    let cued = events.iter().filter(|e| matches!(e.kind, EventKind::PlayerCued { .. })).count();
    // Coder, reviewer (changes), coder, reviewer (approved).
    assert_eq!(cued, 4, "the rehearsal goes round the loop once");
    let spans = parse(&otlp(&score, "loop", &events));
    assert_eq!(spans.len(), 1 + cued, "a root and exactly one span per player turn");
    assert!(spans[1..].iter().all(|s| string(s, "gen_ai.provider.name") == "ensemble_studio.rehearsal"));
    assert!(spans[1..].iter().all(|s| attr(s, "gen_ai.request.model").is_none()), "a rehearsal plays no model");
    assert_eq!(spans[1..].iter().map(|s| s.links.len()).collect::<Vec<_>>(), [0, 1, 1, 1], "each later turn is linked to its cue");
}

#[test]
fn each_tool_call_is_an_execute_tool_span_under_its_turn() {
    let spans = parse(&otlp(&score(), ID, &tool_events()));
    let names: Vec<&str> = spans.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "invoke_agent Kite",
            "invoke_agent Writer <one>",
            "execute_tool files.list_directory",
            "execute_tool files.write_file",
            "execute_tool files.write_file",
            "execute_tool web__search",
            "invoke_agent Reviewer",
        ],
        "the writer's four calls follow its turn; the reviewer called nothing"
    );
    let writer = &spans[1];
    let calls = &spans[2..6];
    for call in calls {
        assert_eq!(call.parent_span_id, writer.span_id, "{} is a call of the writer's turn", call.name);
        assert_eq!(call.trace_id, writer.trace_id);
        assert_eq!(string(call, "gen_ai.operation.name"), "execute_tool");
        assert_eq!(string(call, "gen_ai.tool.type"), "extension");
        assert_eq!(string(call, "gen_ai.agent.id"), "writer");
    }
    let mut ids: Vec<&Vec<u8>> = spans.iter().map(|s| &s.span_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), spans.len(), "every span, calls included, has its own id");
    assert_eq!(
        calls.iter().map(|c| string(c, "gen_ai.tool.call.id")).collect::<Vec<_>>(),
        ["1.1.1", "1.1.2", "1.1.3", "1.1.4"]
    );

    // The n-th event is at 1 000 000 + 10·n ms: the listing was called at event 3 and answered
    // at 4; the rejected write waited at 5 and was rejected at 6; the edited write waited at 7
    // and answered (as an error) at 10; the unknown tool failed at once, at 11.
    let ns = |event: u64| (1_000_000 + 10 * event) * 1_000_000;
    let times: Vec<(u64, u64)> = calls.iter().map(|c| (c.start_time_unix_nano, c.end_time_unix_nano)).collect();
    assert_eq!(times, [(ns(3), ns(4)), (ns(5), ns(6)), (ns(7), ns(10)), (ns(11), ns(11))]);

    assert!(calls[0].status.is_none(), "the listing answered: no error");
    assert!(attr(&calls[0], "ensemble.tool.decision").is_none(), "nobody was asked about the listing");
    assert_eq!(int(&calls[0], "ensemble.tool.elapsed_ms"), 1_500);
    assert_eq!(string(&calls[1], "ensemble.tool.decision"), "rejected");
    assert_eq!(string(&calls[1], "error.type"), "rejected");
    assert_eq!(string(&calls[2], "ensemble.tool.decision"), "edited");
    assert_eq!(string(&calls[2], "error.type"), "tool_error", "the tool said its result is an error");
    let failed = calls[3].status.as_ref().expect("a failed call has a status");
    assert_eq!(failed.code, StatusCode::Error as i32);
    assert_eq!(failed.message, "there is no tool `web__search`");
    for call in calls {
        let json = serde_json::to_string(&call.attributes).unwrap_or_default();
        assert!(!json.contains("kite.md") && !json.contains("FILE"), "arguments and results stay out of traces: {json}");
    }
}
