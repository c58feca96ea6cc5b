//! `run` and `resume`: conducting a performance from the command line, through the operations
//! layer the studio uses too (`ensemble_api::perform` and `ensemble_api::resume`).
//!
//! Every event is committed to the store before it is shown or written to `--events`, and
//! Ctrl-C, SIGTERM or SIGHUP cut the performance off through the conductor (so child processes
//! are stopped and the finish is recorded; see `signals`).

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use ensemble_api::{PerformRequest, Staged};
use ensemble_conductor::{Event, EventKind, Outcome};
use ensemble_score::{Instrument, LoadError, Score};
use ensemble_store::Store;

use crate::display::Display;
use crate::hands::Responder;
use crate::score_files::problem_line;
use crate::transcript::{honest_outcome, outcome_word};
use crate::trust_prompt;
use crate::{Bounds, Hands, RunArgs};

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let loaded = match ensemble_score::load(&args.file) {
        Ok(loaded) => loaded,
        Err(LoadError::Invalid { problems, .. }) => {
            for problem in &problems {
                eprintln!("{}", problem_line(&args.file, problem));
            }
            eprintln!("ensemble: error: {} has problems; nothing was played", args.file.display());
            return Ok(ExitCode::from(2));
        }
        Err(LoadError::Io { source, .. }) => bail!("cannot read {}: {source}", args.file.display()),
    };
    let mut score = loaded.score.clone();
    if let (Some(url), Some(model)) = (&args.endpoint, &args.model) {
        // The score is recorded as played, so a resume plays on the same endpoint.
        crate::endpoint::play_on_endpoint(&mut score, url, model, args.endpoint_key_env.as_deref());
    }
    if !args.offline {
        check_people_can_answer(&score, &args.hands)?;
    }
    let sink = Sink::open(args.hands.events.as_deref())?;
    let store = Store::open(&args.db.path())?;
    if !args.offline && !trust_prompt::confirm(&store, &score, &args.file, &ensemble_api::folder::of(Some(&args.file)), args.trust)? {
        return Ok(ExitCode::from(2));
    }
    let limits = args.bounds.limits()?;
    let request = PerformRequest { score, path: Some(args.file.clone()), offline: args.offline, seed: args.seed };
    let staged = ensemble_api::perform::begin_loaded(&store, &loaded, request)?.with_limits(limits);
    perform(staged, args.hands, sink)
}

pub fn resume(id: &str, db: &Path, hands: Hands, bounds: Bounds, trust: bool) -> anyhow::Result<ExitCode> {
    let store = crate::inspect::open_existing(db)?;
    let recorded = ensemble_api::resume::recorded(&store, id)?;
    if !recorded.summary.offline {
        check_people_can_answer(&recorded.score, &hands)?;
        let file = recorded.summary.score_path.as_deref().unwrap_or("(recorded score)");
        if !trust_prompt::confirm(&store, &recorded.score, Path::new(file), &recorded.base_dir, trust)? {
            return Ok(ExitCode::from(2));
        }
    }
    let limits = bounds.limits()?;
    let sink = Sink::open(hands.events.as_deref())?;
    let staged = ensemble_api::resume::resume(&store, id)?.with_limits(limits);
    perform(staged, hands, sink)
}

/// Refuses up front a score whose people nobody could ask, rather than stopping halfway.
pub(crate) fn check_people_can_answer(score: &Score, hands: &Hands) -> anyhow::Result<()> {
    if std::io::stdin().is_terminal() {
        return Ok(());
    }
    let unanswered: Vec<&str> = score
        .players
        .iter()
        .filter(|p| matches!(p.instrument, Instrument::Human(_)))
        .filter(|p| !hands.answers.iter().any(|(player, _)| player == &p.id))
        .map(|p| p.id.as_str())
        .collect();
    if let Some(first) = unanswered.first() {
        bail!(
            "{} played by a person, and there is no terminal to ask: pass --answer {first}=TEXT (one per person), or --offline to rehearse",
            if unanswered.len() == 1 { format!("{first} is") } else { format!("{} are", unanswered.join(", ")) }
        );
    }
    Ok(())
}

pub(crate) fn perform(staged: Staged, hands: Hands, mut sink: Sink) -> anyhow::Result<ExitCode> {
    let id = staged.id.clone();
    let players: Vec<String> = staged.players().to_vec();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    let outcome = runtime.block_on(async move {
        let control = staged.control();
        let mut display = Display::new(&players, sink.is_stdout());
        let responder = Responder::new(hands.answers.clone(), hands.approve_all, control.clone(), display.multi()).approving_tools(hands.approve_tools);
        if hands.approve_tools {
            display.note("warning: --approve-tools: every tool call runs without asking, including calls that change files or send data");
        }
        if responder.has_keys() {
            display.note(crate::hands::KEYS);
        }

        let (finished, finished_rx) = tokio::sync::watch::channel(false);
        let signals = crate::signals::watch(control.clone(), finished_rx);

        let mut counts = (0, 0, 0);
        let outcome = staged
            .run(|event: Event| {
                if let EventKind::PerformanceFinished { players, never_cued, carried, .. } = &event.kind {
                    counts = (*players, *never_cued, *carried);
                }
                sink.write(&event);
                display.event(&event);
                if let Some(line) = responder.event(&event.kind) {
                    display.note(&line);
                }
            })
            .await;
        let _ = finished.send(true);
        signals.abort();
        display.finish();
        if let Some(error) = sink.error.take() {
            display.note(&format!("ensemble: warning: events could not all be written to --events: {error}"));
        }
        // A success that left players uncued says so; other outcomes already say it did not succeed.
        let word = if outcome == Outcome::Succeeded { honest_outcome(outcome, counts.0, counts.1, counts.2) } else { outcome_word(outcome).to_string() };
        display.note(&format!("performance {id}: {word}"));
        outcome
    });
    // Questions still open at the terminal must not keep the process alive.
    runtime.shutdown_background();
    Ok(if outcome == Outcome::Succeeded { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Where `--events` goes: nowhere, stdout, or a file; one JSON object per line, flushed per event
/// so a reader sees each event as soon as it is recorded.
pub(crate) struct Sink {
    out: Option<Box<dyn Write + Send>>,
    stdout: bool,
    /// The first write error; writing stops there, the performance goes on.
    error: Option<String>,
}

impl Sink {
    pub(crate) fn open(target: Option<&str>) -> anyhow::Result<Sink> {
        Ok(match target {
            None => Sink { out: None, stdout: false, error: None },
            Some("-") => Sink { out: Some(Box::new(std::io::stdout())), stdout: true, error: None },
            Some(path) => {
                let file = File::create(path).with_context(|| format!("cannot write events to {path}"))?;
                Sink { out: Some(Box::new(BufWriter::new(file))), stdout: false, error: None }
            }
        })
    }

    fn is_stdout(&self) -> bool {
        self.stdout
    }

    fn write(&mut self, event: &Event) {
        let Some(out) = &mut self.out else { return };
        let written = serde_json::to_string(event)
            .map_err(std::io::Error::other)
            .and_then(|line| writeln!(out, "{line}"))
            .and_then(|()| out.flush());
        if let Err(e) = written {
            self.error = Some(e.to_string());
            self.out = None;
        }
    }
}
