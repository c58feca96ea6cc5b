//! What a person sees while a score is performed.
//!
//! On a terminal: one live line per player (state, time, tokens), redrawn in place. Anywhere
//! else (a pipe, a log file, CI): one plain line per event of interest, so logs read in order.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::time::Duration;

use ensemble_conductor::{Event, EventKind};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::transcript::{self, describe};

pub enum Display {
    Live(Live),
    Plain(Plain),
}

impl Display {
    /// A display on stdout, or on stderr when stdout carries the event stream.
    pub fn new(players: &[String], on_stderr: bool) -> Display {
        let terminal = if on_stderr { std::io::stderr().is_terminal() } else { std::io::stdout().is_terminal() };
        if terminal {
            Display::Live(Live::new(players, on_stderr))
        } else {
            let out: Box<dyn Write + Send> = if on_stderr { Box::new(std::io::stderr()) } else { Box::new(std::io::stdout()) };
            Display::Plain(Plain { out })
        }
    }

    pub fn event(&mut self, event: &Event) {
        match self {
            Display::Live(live) => live.event(&event.kind),
            Display::Plain(plain) => plain.event(&event.kind),
        }
    }

    /// A line that is not an event: answers, refusals, the final word.
    pub fn note(&mut self, line: &str) {
        match self {
            // Once the lines are final, a note goes below them rather than above.
            Display::Live(live) if live.finished => {
                if live.on_stderr {
                    eprintln!("{line}");
                } else {
                    println!("{line}");
                }
            }
            Display::Live(live) => {
                // Drawing to a terminal that went away is not worth failing a performance for.
                let _ = live.multi.println(line);
            }
            Display::Plain(plain) => {
                let _ = writeln!(plain.out, "{line}");
                let _ = plain.out.flush();
            }
        }
    }

    /// The live display, so a question at the terminal can pause its redrawing.
    pub fn multi(&self) -> Option<MultiProgress> {
        match self {
            Display::Live(live) => Some(live.multi.clone()),
            Display::Plain(_) => None,
        }
    }

    pub fn finish(&mut self) {
        if let Display::Live(live) = self {
            for line in live.lines.values() {
                line.bar.disable_steady_tick();
                line.bar.tick();
                line.bar.abandon();
            }
            live.finished = true;
        }
    }
}

pub struct Plain {
    out: Box<dyn Write + Send>,
}

impl Plain {
    fn event(&mut self, kind: &EventKind) {
        // Every cue firing is visible from the cued lines that follow; keep the log short.
        if matches!(kind, EventKind::CueFired { .. }) {
            return;
        }
        if let Some(line) = describe(kind) {
            let _ = writeln!(self.out, "{line}");
            let _ = self.out.flush();
        }
    }
}

struct Line {
    bar: ProgressBar,
    /// `cued` until the first piece of output arrives, then `playing`.
    state: &'static str,
    /// Streamed pieces so far in the current attempt (a piece is about a token).
    pieces: u64,
    /// The instrument, and the chorus or attempt when it is not the first.
    detail: String,
}

impl Line {
    fn show_progress(&self) {
        self.bar.set_message(format!("{:<7} {:>5} tokens  {}", self.state, self.pieces, self.detail));
    }
}

pub struct Live {
    multi: MultiProgress,
    lines: HashMap<String, Line>,
    width: usize,
    on_stderr: bool,
    finished: bool,
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).expect("the display's templates are fixed and valid")
}

impl Live {
    fn new(players: &[String], on_stderr: bool) -> Live {
        let target = if on_stderr { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::stdout() };
        let multi = MultiProgress::with_draw_target(target);
        let width = players.iter().map(|p| p.chars().count()).max().unwrap_or(0);
        let mut live = Live { multi, lines: HashMap::new(), width, on_stderr, finished: false };
        for player in players {
            live.line(player);
        }
        live
    }

    fn line(&mut self, player: &str) -> &mut Line {
        if !self.lines.contains_key(player) {
            let bar = self.multi.add(ProgressBar::new_spinner());
            bar.set_style(style("  {prefix}  {msg}"));
            bar.set_prefix(format!("{player:<width$}", width = self.width));
            bar.set_message("waiting");
            self.lines.insert(player.to_string(), Line { bar, state: "waiting", pieces: 0, detail: String::new() });
        }
        self.lines.get_mut(player).expect("the line was inserted just above")
    }

    fn event(&mut self, kind: &EventKind) {
        match kind {
            EventKind::PlayerCued { player, chorus, instrument, .. } => {
                let line = self.line(player);
                line.state = "cued";
                line.pieces = 0;
                line.detail = if *chorus > 1 { format!("{instrument}, chorus {chorus}") } else { instrument.clone() };
                line.bar.set_style(style("{spinner:.cyan} {prefix}  {elapsed:>4}  {msg}"));
                line.bar.reset_elapsed();
                line.show_progress();
                line.bar.enable_steady_tick(Duration::from_millis(120));
            }
            EventKind::Token { player, .. } => {
                let line = self.line(player);
                line.state = "playing";
                line.pieces += 1;
                line.show_progress();
            }
            EventKind::PlayerFinished { player, usage, elapsed_ms, .. } => {
                let line = self.line(player);
                line.bar.disable_steady_tick();
                line.bar.set_style(style("{prefix:.green}  {msg}"));
                line.bar.set_message(format!("finished {}  {} tokens", transcript::seconds(*elapsed_ms), transcript::tokens(usage)));
            }
            EventKind::PlayerFailed { player, error, elapsed_ms, .. } => {
                let line = self.line(player);
                line.bar.disable_steady_tick();
                line.bar.set_style(style("{prefix:.red}  {msg}"));
                line.bar.set_message(format!("failed {}  {error}", transcript::seconds(*elapsed_ms)));
            }
            EventKind::PlayerSkipped { player, reason } => {
                let line = self.line(player);
                line.bar.set_style(style("{prefix:.dim}  {msg}"));
                line.bar.set_message(format!("skipped  {reason}"));
            }
            EventKind::PlayerRetrying { player, attempt, .. } => {
                let line = self.line(player);
                line.state = "cued";
                line.pieces = 0;
                line.detail = format!("retrying, attempt {attempt}");
                line.show_progress();
            }
            EventKind::HumanWaiting { player, .. } => {
                let line = self.line(player);
                line.bar.set_style(style("{spinner:.yellow} {prefix}  {msg}"));
                line.bar.set_message("waiting for a person");
            }
            EventKind::CueFired { .. } | EventKind::PerformanceStarted { .. } => {}
            other => {
                if let Some(text) = describe(other) {
                    let _ = self.multi.println(text);
                }
            }
        }
    }
}
