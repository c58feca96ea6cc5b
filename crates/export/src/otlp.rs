//! A recorded performance as OpenTelemetry traces, in the OTLP JSON encoding, following the
//! GenAI semantic conventions, so a performance can be looked at in any tracing tool.
//!
//! One trace per performance, its id derived from the performance id (the same performance always
//! gives the same trace, so sending it twice does not make two). The root span is the
//! performance (`invoke_agent <title>`); under it one `invoke_agent <player>` span per player
//! turn, with the agent's id and name, the model and provider it played on and the tokens it
//! used. A cue is a span link from the receiving turn to the turn that handed its output on;
//! a failed turn has an error status with the failure's message, and retries and edits are span
//! events. Each tool call of a turn is an `execute_tool <server.tool>` span under the turn's,
//! from the model asking for it to its answer (a wait for a person's approval included, with the
//! decision as an attribute); a refused or failing call has an error status. Prompts and outputs are not put in the trace (the GenAI conventions make content
//! opt-in); the HTML report holds them.
//!
//! The JSON follows the OTLP/JSON rules: ids as lowercase hex, 64-bit integers as strings,
//! enums as integers, field names in lowerCamelCase.

use ensemble_conductor::{Event, Outcome};
use ensemble_instruments::tools::Decision;
use ensemble_score::{Instrument, Score};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::played::{MomentKind, Played, Tokens, ToolCall, ToolEnd, Turn, TurnEnd, outcome_words};

/// Span kind INTERNAL: the conductor runs every player turn in this process.
const KIND_INTERNAL: i32 = 1;
const STATUS_OK: i32 = 1;
const STATUS_ERROR: i32 = 2;
const SCOPE: &str = "ensemble-studio";

/// The performance `id` recorded as `events`, played from `score`, as one OTLP/JSON
/// `TracesData` document (what an OTLP/HTTP receiver takes at `/v1/traces`).
pub fn otlp(score: &Score, id: &str, events: &[Event]) -> String {
    let played = Played::fold(id, events);
    let trace_id = trace_id(id);
    let root_id = span_id(id, 0);
    let mut spans = vec![root_span(&played, &trace_id, &root_id)];
    for (index, turn) in played.turns.iter().enumerate() {
        spans.push(turn_span(score, &played, turn, index, &trace_id, &root_id));
        let turn_id = span_id(id, index + 1);
        for (number, call) in turn.tools.iter().enumerate() {
            spans.push(tool_span(&played, turn, index, number, call, &trace_id, &turn_id));
        }
    }
    let data = TracesData {
        resource_spans: vec![ResourceSpans {
            resource: Resource { attributes: vec![text("service.name", SCOPE)] },
            scope_spans: vec![ScopeSpans { scope: Scope { name: SCOPE.into(), version: env!("CARGO_PKG_VERSION").into() }, spans }],
        }],
    };
    // Only strings, integers, booleans and finite numbers are serialized: this cannot fail.
    serde_json::to_string(&data).expect("an OTLP document of plain values always serializes")
}

/// The trace id of performance `id`: 16 bytes of a hash of it, as hex.
pub fn trace_id(id: &str) -> String {
    digest_hex(&format!("ensemble trace\0{id}"), 16)
}

/// The span id of the root (`index` 0) or of turn `index - 1`: 8 bytes of a hash, as hex.
fn span_id(id: &str, index: usize) -> String {
    digest_hex(&format!("ensemble span\0{id}\0{index}"), 8)
}

/// The first `bytes` of SHA-256 over `text`, never all zero (OTLP reads all-zero ids as absent).
fn digest_hex(text: &str, bytes: usize) -> String {
    let mut digest = Sha256::digest(text.as_bytes())[..bytes].to_vec();
    if digest.iter().all(|b| *b == 0) {
        digest[bytes - 1] = 1;
    }
    hex::encode(digest)
}

fn root_span(played: &Played, trace_id: &str, root_id: &str) -> Span {
    let mut attributes = vec![
        text("gen_ai.operation.name", "invoke_agent"),
        text("gen_ai.provider.name", "ensemble_studio"),
        text("gen_ai.agent.id", &played.id),
        text("gen_ai.agent.name", &played.title),
        text("gen_ai.conversation.id", &played.id),
    ];
    attributes.extend(usage(played.tokens));
    attributes.push(double("ensemble.cost_usd", played.cost_usd));
    attributes.push(text("ensemble.outcome", outcome_words(played.outcome)));
    attributes.push(text("ensemble.context_version", &played.context_version));
    attributes.push(boolean("ensemble.offline", played.offline));
    let status = match played.outcome {
        Some(Outcome::Succeeded) => Some(Status { code: STATUS_OK, message: String::new() }),
        Some(outcome) => {
            Some(Status { code: STATUS_ERROR, message: played.reason.clone().unwrap_or_else(|| outcome_words(Some(outcome)).to_string()) })
        }
        None => None,
    };
    if status.as_ref().is_some_and(|s| s.code == STATUS_ERROR) {
        attributes.push(text("error.type", outcome_words(played.outcome)));
    }
    let events = played
        .moments
        .iter()
        .filter_map(|m| {
            let (name, attributes) = match &m.what {
                MomentKind::CheckpointWaiting { from, to } => {
                    ("checkpoint waiting", vec![text("ensemble.cue.from", from), text("ensemble.cue.to", to)])
                }
                MomentKind::CheckpointResolved { from, to, approved, note } => {
                    let mut a = vec![text("ensemble.cue.from", from), text("ensemble.cue.to", to), boolean("ensemble.approved", *approved)];
                    if let Some(note) = note {
                        a.push(text("ensemble.note", note));
                    }
                    ("checkpoint resolved", a)
                }
                MomentKind::CueHeld { from, to, reason } => {
                    ("cue held", vec![text("ensemble.cue.from", from), text("ensemble.cue.to", to), text("ensemble.reason", reason)])
                }
                MomentKind::BudgetExceeded { budget, limit, used } => (
                    "budget exceeded",
                    vec![text("ensemble.budget", budget), double("ensemble.limit", *limit), double("ensemble.used", *used)],
                ),
                MomentKind::PlayerSkipped { player, reason } => {
                    ("player skipped", vec![text("gen_ai.agent.id", player), text("ensemble.reason", reason)])
                }
                MomentKind::Paused => ("paused", vec![]),
                MomentKind::Resumed => ("resumed", vec![]),
                MomentKind::ResumedAfterInterruption => ("resumed after interruption", vec![]),
                MomentKind::Carried { player, from_performance } => {
                    ("output carried over", vec![text("gen_ai.agent.id", player), text("ensemble.from_performance", from_performance)])
                }
                MomentKind::TempoChanged { mode } => ("tempo changed", vec![text("ensemble.tempo", mode)]),
                // Edits, steps and people asked belong to a turn's own span.
                MomentKind::OutputEdited { .. } | MomentKind::Stepped { .. } | MomentKind::HumanWaiting { .. } => return None,
            };
            Some(SpanEvent { time_unix_nano: nanos(m.at_ms), name: name.into(), attributes })
        })
        .collect();
    Span {
        trace_id: trace_id.into(),
        span_id: root_id.into(),
        parent_span_id: String::new(),
        name: format!("invoke_agent {}", played.title),
        kind: KIND_INTERNAL,
        start_time_unix_nano: nanos(played.started_ms),
        end_time_unix_nano: nanos(played.ended_ms.max(played.started_ms)),
        attributes,
        events,
        links: Vec::new(),
        status,
    }
}

fn turn_span(score: &Score, played: &Played, turn: &Turn, index: usize, trace_id: &str, root_id: &str) -> Span {
    let player = score.players.iter().find(|p| p.id == turn.player);
    let name = player.map(|p| p.name.as_str()).filter(|n| !n.trim().is_empty()).unwrap_or(&turn.player);
    let mut attributes = vec![
        text("gen_ai.operation.name", "invoke_agent"),
        text("gen_ai.provider.name", provider(player.map(|p| &p.instrument), turn.rehearsal)),
        text("gen_ai.agent.id", &turn.player),
        text("gen_ai.agent.name", name),
        text("gen_ai.conversation.id", &played.id),
    ];
    if !turn.rehearsal {
        match player.map(|p| &p.instrument) {
            Some(Instrument::Openai(o)) => {
                attributes.push(text("gen_ai.request.model", &o.model));
                attributes.extend(o.temperature.map(|t| double("gen_ai.request.temperature", t)));
                attributes.extend(o.max_tokens.map(|m| int("gen_ai.request.max_tokens", u64::from(m))));
            }
            Some(Instrument::Anthropic(a)) => {
                attributes.push(text("gen_ai.request.model", &a.model));
                attributes.extend(a.temperature.map(|t| double("gen_ai.request.temperature", t)));
                attributes.extend(a.max_tokens.map(|m| int("gen_ai.request.max_tokens", u64::from(m))));
            }
            _ => {}
        }
    }
    attributes.extend(usage(turn.all_tokens()));
    attributes.push(int("ensemble.chorus", u64::from(turn.chorus)));
    attributes.push(text("ensemble.instrument", &turn.instrument));
    attributes.push(boolean("ensemble.rehearsal", turn.rehearsal));
    attributes.push(double("ensemble.cost_usd", turn.all_cost()));
    attributes.push(int("ensemble.attempts", 1 + turn.retries.len() as u64));
    let status = match &turn.end {
        TurnEnd::Finished => None,
        TurnEnd::Failed { error } => {
            attributes.push(text("error.type", "_OTHER"));
            Some(Status { code: STATUS_ERROR, message: error.clone() })
        }
        TurnEnd::Unfinished => {
            attributes.push(boolean("ensemble.unfinished", true));
            None
        }
    };
    let mut events: Vec<SpanEvent> = turn
        .retries
        .iter()
        .map(|r| SpanEvent {
            time_unix_nano: nanos(r.at_ms),
            name: "retry".into(),
            attributes: vec![
                int("ensemble.attempt", u64::from(r.attempt)),
                int("ensemble.delay_ms", r.delay_ms),
                text("ensemble.reason", &r.reason),
            ],
        })
        .collect();
    if let Some(at_ms) = turn.edited_ms {
        events.push(SpanEvent { time_unix_nano: nanos(at_ms), name: "output edited".into(), attributes: vec![] });
    }
    for moment in &played.moments {
        let (name, extra) = match &moment.what {
            MomentKind::HumanWaiting { player, question } if *player == turn.player => {
                ("person asked", vec![text("ensemble.question", question)])
            }
            MomentKind::Stepped { player } if *player == turn.player => ("stepped", vec![]),
            _ => continue,
        };
        if (turn.cued_ms..=turn.ended_ms.max(turn.cued_ms)).contains(&moment.at_ms) {
            events.push(SpanEvent { time_unix_nano: nanos(moment.at_ms), name: name.into(), attributes: extra });
        }
    }
    let links = turn
        .handoffs
        .iter()
        .zip(&turn.handed_by)
        .filter_map(|(handoff, by)| {
            by.map(|by| Link {
                trace_id: trace_id.into(),
                span_id: span_id(&played.id, by + 1),
                attributes: vec![text("ensemble.cue.from", &handoff.from), text("ensemble.cue.to", &turn.player)],
            })
        })
        .collect();
    Span {
        trace_id: trace_id.into(),
        span_id: span_id(&played.id, index + 1),
        parent_span_id: root_id.into(),
        name: format!("invoke_agent {name}"),
        kind: KIND_INTERNAL,
        start_time_unix_nano: nanos(turn.cued_ms),
        end_time_unix_nano: nanos(turn.ended_ms.max(turn.cued_ms)),
        attributes,
        events,
        links,
        status,
    }
}

/// One tool call of turn `index` (its `number`th) as a child span of the turn's span.
fn tool_span(played: &Played, turn: &Turn, index: usize, number: usize, call: &ToolCall, trace_id: &str, turn_id: &str) -> Span {
    let mut attributes = vec![
        text("gen_ai.operation.name", "execute_tool"),
        text("gen_ai.tool.name", &call.tool),
        text("gen_ai.tool.call.id", &call.call),
        // Tools of MCP servers the player's instrument runs itself, on the agent's side.
        text("gen_ai.tool.type", "extension"),
        text("gen_ai.agent.id", &turn.player),
        boolean("ensemble.rehearsal", call.rehearsal),
        int("ensemble.tool.elapsed_ms", call.elapsed_ms),
    ];
    if let Some(decision) = &call.decision {
        let word = match decision {
            Decision::Approve => "approved",
            Decision::Edit { .. } => "edited",
            Decision::Reject { .. } => "rejected",
        };
        attributes.push(text("ensemble.tool.decision", word));
    }
    let status = match &call.end {
        ToolEnd::Returned { is_error: false, .. } => None,
        ToolEnd::Returned { is_error: true, .. } => {
            attributes.push(text("error.type", "tool_error"));
            Some(Status { code: STATUS_ERROR, message: "the tool answered with an error".into() })
        }
        ToolEnd::Failed { error } => {
            attributes.push(text("error.type", "_OTHER"));
            Some(Status { code: STATUS_ERROR, message: error.clone() })
        }
        ToolEnd::Rejected => {
            attributes.push(text("error.type", "rejected"));
            Some(Status { code: STATUS_ERROR, message: "a person rejected the call".into() })
        }
        ToolEnd::Open => {
            attributes.push(boolean("ensemble.unfinished", true));
            None
        }
    };
    let end = call.ended_ms.unwrap_or(turn.ended_ms).max(call.asked_ms);
    Span {
        trace_id: trace_id.into(),
        span_id: digest_hex(&format!("ensemble tool span\0{}\0{index}\0{number}", played.id), 8),
        parent_span_id: turn_id.into(),
        name: format!("execute_tool {}", call.tool),
        kind: KIND_INTERNAL,
        start_time_unix_nano: nanos(call.asked_ms),
        end_time_unix_nano: nanos(end),
        attributes,
        events: Vec::new(),
        links: Vec::new(),
        status,
    }
}

/// `gen_ai.provider.name`: the well-known value for model providers; for the instruments that
/// are no model provider, a name of this application's own.
fn provider(instrument: Option<&Instrument>, rehearsal: bool) -> &'static str {
    if rehearsal {
        return "ensemble_studio.rehearsal";
    }
    match instrument {
        // Every OpenAI-compatible endpoint speaks OpenAI's API; the conventions name it so.
        Some(Instrument::Openai(_)) => "openai",
        Some(Instrument::Anthropic(_)) => "anthropic",
        Some(Instrument::Command(_)) => "ensemble_studio.command",
        Some(Instrument::Human(_)) => "ensemble_studio.human",
        Some(Instrument::Rehearsal(_)) => "ensemble_studio.rehearsal",
        None => "_OTHER",
    }
}

fn usage(tokens: Tokens) -> [KeyValue; 2] {
    [int("gen_ai.usage.input_tokens", tokens.input), int("gen_ai.usage.output_tokens", tokens.output)]
}

fn nanos(ms: u64) -> String {
    (u128::from(ms) * 1_000_000).min(u128::from(u64::MAX)).to_string()
}

fn text(key: &str, value: &str) -> KeyValue {
    KeyValue { key: key.into(), value: AnyValue::String(value.into()) }
}

/// OTLP/JSON writes 64-bit integers as decimal strings; values past `i64::MAX` are capped.
fn int(key: &str, value: u64) -> KeyValue {
    KeyValue { key: key.into(), value: AnyValue::Int(value.min(i64::MAX as u64).to_string()) }
}

/// A double; JSON has no NaN or infinity, so those are written as 0.
fn double(key: &str, value: f64) -> KeyValue {
    KeyValue { key: key.into(), value: AnyValue::Double(if value.is_finite() { value } else { 0.0 }) }
}

fn boolean(key: &str, value: bool) -> KeyValue {
    KeyValue { key: key.into(), value: AnyValue::Bool(value) }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TracesData {
    resource_spans: Vec<ResourceSpans>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResourceSpans {
    resource: Resource,
    scope_spans: Vec<ScopeSpans>,
}

#[derive(Serialize)]
struct Resource {
    attributes: Vec<KeyValue>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScopeSpans {
    scope: Scope,
    spans: Vec<Span>,
}

#[derive(Serialize)]
struct Scope {
    name: String,
    version: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Span {
    trace_id: String,
    span_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    parent_span_id: String,
    name: String,
    kind: i32,
    start_time_unix_nano: String,
    end_time_unix_nano: String,
    attributes: Vec<KeyValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    events: Vec<SpanEvent>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SpanEvent {
    time_unix_nano: String,
    name: String,
    attributes: Vec<KeyValue>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Link {
    trace_id: String,
    span_id: String,
    attributes: Vec<KeyValue>,
}

#[derive(Serialize)]
struct Status {
    code: i32,
    #[serde(skip_serializing_if = "String::is_empty")]
    message: String,
}

#[derive(Serialize)]
struct KeyValue {
    key: String,
    value: AnyValue,
}

/// An attribute value, keyed as OTLP/JSON names its kind (`{"stringValue": …}`).
#[derive(Serialize)]
enum AnyValue {
    #[serde(rename = "stringValue")]
    String(String),
    #[serde(rename = "intValue")]
    Int(String),
    #[serde(rename = "doubleValue")]
    Double(f64),
    #[serde(rename = "boolValue")]
    Bool(bool),
}
