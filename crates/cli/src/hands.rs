//! The person's part from the command line: answers for human players and checkpoint approvals.
//!
//! Answers come from `--answer PLAYER=TEXT` and approvals from `--approve-all`; otherwise the
//! person is asked at the terminal. Without a terminal nobody can be asked: a checkpoint is
//! rejected with a note saying so, and a human player with no answer cuts the performance off
//! with a message (waiting forever for someone who cannot reply would hang CI).

use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::mpsc;

use ensemble_conductor::{Command, Control, EventKind};
use indicatif::MultiProgress;

enum Question {
    Human { player: String, question: String },
    Checkpoint { from: String, to: String },
}

pub struct Responder {
    answers: HashMap<String, String>,
    approve_all: bool,
    control: Control,
    /// Questions for the terminal, asked one at a time by a thread that may block on stdin.
    asker: Option<mpsc::Sender<Question>>,
}

impl Responder {
    pub fn new(answers: Vec<(String, String)>, approve_all: bool, control: Control, multi: Option<MultiProgress>) -> Responder {
        let asker = std::io::stdin().is_terminal().then(|| {
            let (tx, rx) = mpsc::channel();
            let control = control.clone();
            // Detached on purpose: when the performance ends while a question is open, the
            // process exits without waiting for a reply that no longer matters.
            std::thread::spawn(move || ask_at_terminal(rx, control, multi));
            tx
        });
        Responder { answers: answers.into_iter().collect(), approve_all, control, asker }
    }

    /// Responds to an event that waits for a person. Returns a line to show, if any.
    pub fn event(&self, kind: &EventKind) -> Option<String> {
        match kind {
            EventKind::HumanWaiting { player, question } => {
                if let Some(text) = self.answers.get(player) {
                    self.control.send(Command::Answer { player: player.clone(), text: text.clone() });
                    return Some(format!("{player} answered from --answer"));
                }
                if let Some(asker) = &self.asker {
                    let _ = asker.send(Question::Human { player: player.clone(), question: question.clone() });
                    return None;
                }
                self.control.send(Command::CutOff);
                Some(format!(
                    "{player} is played by a person and nobody can answer here: pass --answer {player}=TEXT or run on a terminal; cutting off"
                ))
            }
            EventKind::CheckpointWaiting { from, to } => {
                if self.approve_all {
                    self.control.send(Command::Checkpoint { from: from.clone(), to: to.clone(), approve: true, note: None });
                    return Some(format!("checkpoint {from} -> {to} approved by --approve-all"));
                }
                if let Some(asker) = &self.asker {
                    let _ = asker.send(Question::Checkpoint { from: from.clone(), to: to.clone() });
                    return None;
                }
                let note = "nobody could approve it: no terminal, and --approve-all was not given".to_string();
                self.control.send(Command::Checkpoint { from: from.clone(), to: to.clone(), approve: false, note: Some(note) });
                None
            }
            _ => None,
        }
    }
}

fn ask_at_terminal(questions: mpsc::Receiver<Question>, control: Control, multi: Option<MultiProgress>) {
    for question in questions {
        let prompt = match &question {
            Question::Human { player, question } => format!("\n{player} asks: {question}\nanswer (one line): "),
            Question::Checkpoint { from, to } => format!("\napprove the hand-off {from} -> {to}? [y/N] "),
        };
        let read = || {
            eprint!("{prompt}");
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).map(|n| (n > 0).then_some(line))
        };
        let reply = match &multi {
            Some(multi) => multi.suspend(read),
            None => read(),
        };
        let reply = reply.ok().flatten().map(|l| l.trim_end_matches(['\r', '\n']).to_string());
        let command = match (question, reply) {
            (Question::Human { player, .. }, Some(text)) => Command::Answer { player, text },
            (Question::Human { .. }, None) => Command::CutOff,
            (Question::Checkpoint { from, to }, reply) => {
                let approve = reply.as_deref().is_some_and(|r| matches!(r.trim().to_lowercase().as_str(), "y" | "yes"));
                let note = (!approve).then(|| "rejected at the terminal".to_string());
                Command::Checkpoint { from, to, approve, note }
            }
        };
        if !control.send(command) {
            return;
        }
    }
}
