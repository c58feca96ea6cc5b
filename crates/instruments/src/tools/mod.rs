//! Tools: the MCP servers a player may call while it plays, and the desk through which each call
//! is asked for, approved, made and reported.
//!
//! The conductor opens a player's [`Toolbox`] once per performance and hands it to every attempt
//! in a [`ToolDesk`], with a channel for [`ToolNote`]s: every call is announced before it runs
//! and its result or failure after, so the conductor records it as events. A tool that needs
//! approval waits on the desk: the note carries the way back for the person's [`Decision`]
//! (approve, reject with a note the model reads, or edit the arguments first).
//!
//! The desk never fails an attempt for a tool's sake: an unknown tool, arguments that are not a
//! JSON object, a timeout, a dead server or a rejection all become a tool error handed back to
//! the model, which can try otherwise. Only cutting the performance off stops the loop.

mod stdio;
mod survey;
mod toolbox;
pub(crate) mod rehearse;

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{mpsc::UnboundedSender, oneshot};
use tokio_util::sync::CancellationToken;

pub use survey::{OfferedTool, Survey, survey};
pub use toolbox::{ToolLimits, ToolResult, ToolSpec, Toolbox, cap, is_read_only, model_name};

/// What a person decided about a call that waited for approval.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "decision", rename_all = "snake_case")]
#[ts(export)]
pub enum Decision {
    Approve,
    /// The call does not run; the note is handed to the model as the tool's answer.
    Reject { note: String },
    /// The call runs with these arguments instead of the model's.
    Edit {
        #[ts(type = "unknown")]
        arguments: serde_json::Value,
    },
}

/// What happened at the desk, for the conductor to record.
#[derive(Debug)]
pub enum ToolNote {
    /// A call waits for a person; answer through `reply` (dropping it rejects the call).
    Waiting { call: String, tool: String, arguments: serde_json::Value, reply: oneshot::Sender<Decision> },
    /// The person's decision, once made (recorded beside the waiting note).
    Resolved { call: String, tool: String, decision: Decision },
    /// The call runs now with these arguments.
    Called { call: String, tool: String, arguments: serde_json::Value, rehearsal: bool },
    /// It answered; `result` is what the model is handed (already capped).
    Returned { call: String, tool: String, result: String, is_error: bool, cut: bool, elapsed_ms: u64 },
    /// It gave no result; `error` is what the model is told.
    Failed { call: String, tool: String, error: String, elapsed_ms: u64 },
}

/// An attempt's way to its player's tools.
#[derive(Clone)]
pub struct ToolDesk {
    /// The player's connected servers; `None` in rehearsal, which makes results up.
    pub toolbox: Option<Arc<Toolbox>>,
    /// The tools offered to the model (the toolbox's, or in rehearsal those the score names).
    pub tools: Vec<ToolSpec>,
    pub limits: ToolLimits,
    pub notes: UnboundedSender<ToolNote>,
}

impl std::fmt::Debug for ToolDesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToolDesk").field("tools", &self.tools).field("limits", &self.limits).finish()
    }
}

/// What the model is handed back for one call.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub text: String,
    /// The call failed or was refused; the model is told so (`is_error` in Anthropic's terms).
    pub is_error: bool,
}

impl Answer {
    fn error(text: String) -> Answer {
        Answer { text, is_error: true }
    }
}

impl ToolDesk {
    /// A desk over an opened toolbox.
    pub fn new(toolbox: Arc<Toolbox>, notes: UnboundedSender<ToolNote>) -> ToolDesk {
        ToolDesk { tools: toolbox.tools().to_vec(), limits: toolbox.limits(), toolbox: Some(toolbox), notes }
    }

    /// Handles one call the model made: `name` as the model gave it, `arguments` as the raw
    /// JSON text it streamed. `call` identifies it in the record.
    pub async fn call(&self, call: &str, name: &str, arguments: &str, cancel: &CancellationToken) -> Answer {
        let Some(spec) = self.tools.iter().find(|t| t.name == name) else {
            let known: Vec<&str> = self.tools.iter().map(|t| t.name.as_str()).collect();
            let error = format!("there is no tool `{name}`; the tools are: {}", known.join(", "));
            self.note(ToolNote::Failed { call: call.into(), tool: name.into(), error: error.clone(), elapsed_ms: 0 });
            return Answer::error(error);
        };
        let tool = spec.label();
        let parsed = if arguments.trim().is_empty() { Ok(serde_json::json!({})) } else { serde_json::from_str::<serde_json::Value>(arguments) };
        let mut arguments = match parsed {
            Ok(value @ serde_json::Value::Object(_)) => value,
            Ok(_) => return self.refuse(call, &tool, "the arguments must be a JSON object".into()),
            Err(e) => return self.refuse(call, &tool, format!("the arguments are not valid JSON ({e})")),
        };
        if spec.ask {
            let (reply, decided) = oneshot::channel();
            self.note(ToolNote::Waiting { call: call.into(), tool: tool.clone(), arguments: arguments.clone(), reply });
            let decision = tokio::select! {
                _ = cancel.cancelled() => return Answer::error("cut off while waiting for approval".into()),
                decision = decided => decision.unwrap_or(Decision::Reject { note: "no one was there to approve the call".into() }),
            };
            self.note(ToolNote::Resolved { call: call.into(), tool: tool.clone(), decision: decision.clone() });
            match decision {
                Decision::Approve => {}
                Decision::Reject { note } => {
                    let text = if note.trim().is_empty() { "a person rejected this call".to_string() } else { format!("a person rejected this call: {note}") };
                    return Answer::error(text);
                }
                Decision::Edit { arguments: edited } if edited.is_object() => arguments = edited,
                Decision::Edit { .. } => return self.refuse(call, &tool, "the edited arguments are not a JSON object".into()),
            }
        }
        let started = Instant::now();
        let Some(toolbox) = &self.toolbox else {
            return self.rehearse(call, spec, arguments);
        };
        self.note(ToolNote::Called { call: call.into(), tool: tool.clone(), arguments: arguments.clone(), rehearsal: false });
        let map = match arguments {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("arguments were checked to be an object above"),
        };
        let result = tokio::select! {
            _ = cancel.cancelled() => Err("cut off during the call".to_string()),
            result = toolbox.call(spec, map) => result,
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match result {
            Ok(result) => {
                let answer = Answer { text: result.text.clone(), is_error: result.is_error };
                self.note(ToolNote::Returned { call: call.into(), tool, result: result.text, is_error: result.is_error, cut: result.cut, elapsed_ms });
                answer
            }
            Err(error) => {
                self.note(ToolNote::Failed { call: call.into(), tool, error: error.clone(), elapsed_ms });
                Answer::error(error)
            }
        }
    }

    /// A call that cannot run as asked: recorded as failed, and the model told why.
    pub(crate) fn refuse(&self, call: &str, tool: &str, error: String) -> Answer {
        self.note(ToolNote::Failed { call: call.into(), tool: tool.into(), error: error.clone(), elapsed_ms: 0 });
        Answer::error(error)
    }

    /// Rehearsal's made-up answer: the same for the same call, and labelled as rehearsal.
    fn rehearse(&self, call: &str, spec: &ToolSpec, arguments: serde_json::Value) -> Answer {
        let tool = spec.label();
        self.note(ToolNote::Called { call: call.into(), tool: tool.clone(), arguments: arguments.clone(), rehearsal: true });
        let text = format!("[rehearsal] made-up result of {tool} for {arguments}: no server was started");
        self.note(ToolNote::Returned { call: call.into(), tool, result: text.clone(), is_error: false, cut: false, elapsed_ms: 0 });
        Answer { text, is_error: false }
    }

    fn note(&self, note: ToolNote) {
        // The conductor may be gone (the performance ended); the call's answer still goes to the model.
        let _ = self.notes.send(note);
    }
}

/// The tools a rehearsal offers for a player: those its score names (in `allow`, else in
/// `approval`), with the approval the score sets (asking when it sets none, as for a tool the
/// server does not mark read-only). No server is started.
pub fn rehearsal_tools(tools: &ensemble_score::Tools) -> Vec<ToolSpec> {
    let mut specs = Vec::new();
    for server in &tools.servers {
        let names: Vec<&String> = if server.allow.is_empty() { server.approval.keys().collect() } else { server.allow.iter().collect() };
        for tool in names {
            let ask = server.asks(tool, ensemble_score::Approval::Ask);
            specs.push(ToolSpec {
                name: model_name(&server.id, tool),
                server: server.id.clone(),
                tool: tool.clone(),
                description: format!("{tool} (rehearsal: results are made up)"),
                input_schema: serde_json::json!({ "type": "object" }),
                ask,
            });
        }
    }
    specs
}
