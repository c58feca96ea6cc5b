//! The person's part from the command line: answers for human players, checkpoint approvals,
//! and the conductor's keys.
//!
//! Answers come from `--answer PLAYER=TEXT`, approvals from `--approve-all` and tool-call
//! approvals from `--approve-tools`; otherwise the person is asked at the terminal. Without a
//! terminal nobody can be asked: a checkpoint or a tool call is rejected with a note saying so,
//! and a human player with no answer cuts the performance off with a message (waiting forever
//! for someone who cannot reply would hang CI).
//!
//! On a terminal, a line typed while no question is open is a key (see [`KEYS`]): it sets the
//! tempo, steps, pauses or resumes the performance. One thread reads the terminal, so an answer
//! and a key never compete for the same line.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, IsTerminal, Write};
use std::sync::mpsc;

use ensemble_conductor::{Command, Control, EventKind};
use ensemble_instruments::tools::Decision;
use ensemble_score::TempoMode;
use indicatif::MultiProgress;

enum Question {
    Human { player: String, question: String },
    Checkpoint { from: String, to: String },
    Tool { player: String, call: String, tool: String, arguments: String },
}

/// What the terminal thread hears: a question to ask, or a line the person typed (`None` at the
/// end of input).
enum Input {
    Ask(Question),
    Line(Option<String>),
}

/// The conductor's keys at the terminal, each typed on a line of its own.
pub const KEYS: &str = "keys (then Enter): a, s or c sets the tempo (autonomous, step, checkpoints); n steps; p pauses; r resumes";

pub struct Responder {
    answers: HashMap<String, String>,
    approve_all: bool,
    approve_tools: bool,
    control: Control,
    /// Questions for the terminal, asked one at a time by a thread that may block on stdin.
    asker: Option<mpsc::Sender<Input>>,
}

impl Responder {
    pub fn new(
        answers: Vec<(String, String)>,
        approve_all: bool,
        control: Control,
        multi: Option<MultiProgress>,
    ) -> Responder {
        let asker = std::io::stdin().is_terminal().then(|| {
            let (tx, rx) = mpsc::channel();
            let control = control.clone();
            // Both detached on purpose: when the performance ends while a question is open, the
            // process exits without waiting for a reply that no longer matters.
            let lines = tx.clone();
            std::thread::spawn(move || read_lines(lines));
            std::thread::spawn(move || conduct_at_terminal(rx, control, multi));
            tx
        });
        Responder {
            answers: answers.into_iter().collect(),
            approve_all,
            approve_tools: false,
            control,
            asker,
        }
    }

    /// Approves every tool call without asking (`--approve-tools`).
    pub fn approving_tools(mut self, approve: bool) -> Responder {
        self.approve_tools = approve;
        self
    }

    /// Whether the person can use the keys: the terminal is read.
    pub fn has_keys(&self) -> bool {
        self.asker.is_some()
    }

    /// Responds to an event that waits for a person. Returns a line to show, if any.
    pub fn event(&self, kind: &EventKind) -> Option<String> {
        match kind {
            EventKind::HumanWaiting { player, question } => {
                if let Some(text) = self.answers.get(player) {
                    self.control.send(Command::Answer {
                        player: player.clone(),
                        text: text.clone(),
                    });
                    return Some(format!("{player} answered from --answer"));
                }
                if let Some(asker) = &self.asker {
                    let _ = asker.send(Input::Ask(Question::Human {
                        player: player.clone(),
                        question: question.clone(),
                    }));
                    return None;
                }
                self.control.send(Command::CutOff);
                Some(format!(
                    "{player} is played by a person and nobody can answer here: pass --answer {player}=TEXT or run on a terminal; cutting off"
                ))
            }
            EventKind::CheckpointWaiting { from, to } => {
                if self.approve_all {
                    self.control.send(Command::Checkpoint {
                        from: from.clone(),
                        to: to.clone(),
                        approve: true,
                        note: None,
                    });
                    return Some(format!(
                        "checkpoint {from} -> {to} approved by --approve-all"
                    ));
                }
                if let Some(asker) = &self.asker {
                    let _ = asker.send(Input::Ask(Question::Checkpoint {
                        from: from.clone(),
                        to: to.clone(),
                    }));
                    return None;
                }
                let note = "nobody could approve it: no terminal, and --approve-all was not given"
                    .to_string();
                self.control.send(Command::Checkpoint {
                    from: from.clone(),
                    to: to.clone(),
                    approve: false,
                    note: Some(note),
                });
                None
            }
            EventKind::ToolWaiting { player, call, tool, arguments } => {
                let decide = |decision| {
                    self.control.send(Command::ToolDecision { player: player.clone(), call: call.clone(), decision });
                };
                if self.approve_tools {
                    decide(Decision::Approve);
                    return Some(format!("{player}'s call of {tool} approved by --approve-tools"));
                }
                if let Some(asker) = &self.asker {
                    let _ = asker.send(Input::Ask(Question::Tool {
                        player: player.clone(),
                        call: call.clone(),
                        tool: tool.clone(),
                        arguments: arguments.to_string(),
                    }));
                    return None;
                }
                decide(Decision::Reject { note: "nobody could approve it: no terminal, and --approve-tools was not given".into() });
                Some(format!("{player}'s call of {tool} rejected: nobody can approve it here (pass --approve-tools or run on a terminal)"))
            }
            _ => None,
        }
    }
}

/// Reads the terminal line by line for as long as it is open.
fn read_lines(to: mpsc::Sender<Input>) {
    let stdin = std::io::stdin();
    loop {
        let mut line = String::new();
        let line = match stdin.lock().read_line(&mut line) {
            Ok(n) if n > 0 => Some(line.trim_end_matches(['\r', '\n']).to_string()),
            _ => None,
        };
        let end = line.is_none();
        if to.send(Input::Line(line)).is_err() || end {
            return;
        }
    }
}

/// Asks the questions one at a time, each answered by the next line; a line typed while no
/// question is open is a key.
fn conduct_at_terminal(
    inputs: mpsc::Receiver<Input>,
    control: Control,
    multi: Option<MultiProgress>,
) {
    let mut waiting: VecDeque<Question> = VecDeque::new();
    let show = |text: String| {
        let print = || {
            eprint!("{text}");
            let _ = std::io::stderr().flush();
        };
        match &multi {
            Some(multi) => multi.suspend(print),
            None => print(),
        }
    };
    for input in inputs {
        let command = match input {
            Input::Ask(question) => {
                if waiting.is_empty() {
                    show(prompt(&question));
                }
                waiting.push_back(question);
                continue;
            }
            Input::Line(line) => match waiting.pop_front() {
                Some(question) => {
                    if let Some(next) = waiting.front() {
                        show(prompt(next));
                    }
                    reply(question, line)
                }
                None => match line.as_deref().map(str::trim).and_then(key) {
                    Some(command) => command,
                    None => {
                        if line.as_deref().is_some_and(|l| !l.trim().is_empty()) {
                            show(format!("{KEYS}\n"));
                        }
                        continue;
                    }
                },
            },
        };
        if !control.send(command) {
            return;
        }
    }
}

fn prompt(question: &Question) -> String {
    match question {
        Question::Human { player, question } => {
            format!("\n{player} asks: {question}\nanswer (one line): ")
        }
        Question::Checkpoint { from, to } => {
            format!("\napprove the hand-off {from} -> {to}? [y/N] ")
        }
        Question::Tool { player, tool, arguments, .. } => format!(
            "\n{player} wants to call {tool} with {}\n\
             y approves; e {{JSON}} runs it with these arguments instead; anything else rejects (n NOTE tells the model why): ",
            crate::printable::printable(arguments)
        ),
    }
}


/// The decision a reply about a tool call gives: `y`, `e {JSON}`, or a rejection with the rest
/// of the line (after `n`) as its note; no reply (the terminal closed) rejects.
fn tool_decision(line: Option<&str>) -> Decision {
    let line = line.map(str::trim).unwrap_or_default();
    let lower = line.to_lowercase();
    if matches!(lower.as_str(), "y" | "yes") {
        return Decision::Approve;
    }
    if let Some(json) = line.strip_prefix("e ").or_else(|| line.strip_prefix("edit ")) {
        return match serde_json::from_str::<serde_json::Value>(json.trim()) {
            Ok(arguments) if arguments.is_object() => Decision::Edit { arguments },
            _ => Decision::Reject { note: "the arguments typed at the terminal were not a JSON object".into() },
        };
    }
    let note = line.strip_prefix("no").or_else(|| line.strip_prefix('n')).unwrap_or(line).trim();
    Decision::Reject { note: if note.is_empty() { "rejected at the terminal".into() } else { note.to_string() } }
}

/// The command a reply to `question` gives; no reply (the terminal closed) cuts a person off
/// and rejects a checkpoint.
fn reply(question: Question, line: Option<String>) -> Command {
    match (question, line) {
        (Question::Human { player, .. }, Some(text)) => Command::Answer { player, text },
        (Question::Human { .. }, None) => Command::CutOff,
        (Question::Tool { player, call, .. }, reply) => Command::ToolDecision { player, call, decision: tool_decision(reply.as_deref()) },
        (Question::Checkpoint { from, to }, reply) => {
            let approve = reply
                .as_deref()
                .is_some_and(|r| matches!(r.trim().to_lowercase().as_str(), "y" | "yes"));
            let note = (!approve).then(|| "rejected at the terminal".to_string());
            Command::Checkpoint {
                from,
                to,
                approve,
                note,
            }
        }
    }
}

/// The command a key stands for (see [`KEYS`]).
fn key(line: &str) -> Option<Command> {
    Some(match line {
        "a" => Command::SetTempo {
            mode: TempoMode::Autonomous,
        },
        "s" => Command::SetTempo {
            mode: TempoMode::Step,
        },
        "c" => Command::SetTempo {
            mode: TempoMode::Checkpoints,
        },
        "n" => Command::Step,
        "p" => Command::Pause,
        "r" => Command::Resume,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_about_a_tool_call_approves_edits_or_rejects_with_a_note() {
        assert_eq!(tool_decision(Some("y")), Decision::Approve);
        assert_eq!(tool_decision(Some(" YES ")), Decision::Approve);
        assert_eq!(
            tool_decision(Some(r#"e {"path": "notes.md"}"#)),
            Decision::Edit { arguments: serde_json::json!({ "path": "notes.md" }) }
        );
        assert_eq!(tool_decision(Some("e [1]")), Decision::Reject { note: "the arguments typed at the terminal were not a JSON object".into() });
        assert_eq!(tool_decision(Some("n not that folder")), Decision::Reject { note: "not that folder".into() });
        assert_eq!(tool_decision(Some("")), Decision::Reject { note: "rejected at the terminal".into() });
        assert_eq!(tool_decision(None), Decision::Reject { note: "rejected at the terminal".into() }, "a closed terminal approves nothing");
        assert_eq!(crate::printable::printable("{\"a\":\"x\u{1b}[2K\"}"), "{\"a\":\"x\\u{1b}[2K\"}");
    }

    #[test]
    fn each_key_stands_for_its_command_and_anything_else_for_none() {
        assert_eq!(
            key("s"),
            Some(Command::SetTempo {
                mode: TempoMode::Step
            })
        );
        assert_eq!(
            key("a"),
            Some(Command::SetTempo {
                mode: TempoMode::Autonomous
            })
        );
        assert_eq!(
            key("c"),
            Some(Command::SetTempo {
                mode: TempoMode::Checkpoints
            })
        );
        assert_eq!(key("n"), Some(Command::Step));
        assert_eq!(key("yes"), None, "a stray answer is not a key");
        assert_eq!(key(""), None);
    }
}
