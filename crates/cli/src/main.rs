//! `ensemble`: the engine, headless.
//!
//! Everything the studio does to a score can be done from here, which is also how tests and CI
//! drive the engine. Exit codes: 0 success; 1 the score has problems or the performance did not
//! succeed; 2 the command could not be carried out (usage, a missing file, a broken store).

/// A conducted performance allocates and frees many small strings for every cue (events, hand-offs,
/// prompts): mimalloc serves them in about two thirds of the time the system allocator takes
/// (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod compare;
mod conduct;
mod diagnose;
mod display;
mod endpoint;
mod fork;
mod hands;
mod inspect;
mod printable;
mod report;
mod score_files;
mod share;
mod signals;
mod transcript;
mod tools;
mod trust_prompt;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ensemble_api::bounds::{AttemptBounds, MAX_OUTPUT_MIB, READ_TIMEOUT_SECS};
use ensemble_api::diagnose::{DEFAULT_LAST, LAST_RANGE};

#[derive(Parser)]
#[command(name = "ensemble", version, about = "Validate, format, run, resume, inspect and diagnose Ensemble Studio scores")]
struct Cli {
    #[command(subcommand)]
    command: Verb,
}

#[derive(Subcommand)]
enum Verb {
    /// Check score files; print every problem as FILE:LINE:COL: error: MESSAGE [rule].
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Rewrite score files canonically, keeping their comments.
    Fmt {
        /// Change nothing; list the files that would change and exit 1 if any would.
        #[arg(long)]
        check: bool,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Perform a score, recording it in the performance store.
    Run(RunArgs),
    /// List every player's tools as their MCP servers report them (starts the servers, after trust),
    /// or with --server every tool one server offers.
    Tools {
        /// The score file.
        file: PathBuf,
        #[command(flatten)]
        db: Db,
        /// Trust what the score would do (programs, keys sent to hosts, reads outside its folder), as for `run`.
        #[arg(long)]
        trust: bool,
        /// Test one tool server of one player (e.g. surveyor.files): every tool it offers, not only
        /// the allowed ones, each with what the server says it does (reads only, changes things, may
        /// destroy), whether the player is allowed it, whether a call would ask, and its description.
        #[arg(long, value_name = "PLAYER.SERVER", value_parser = tools::parse_server)]
        server: Option<tools::ServerName>,
    },
    /// Finish an interrupted performance from its recorded events.
    Resume {
        /// The performance id, as `ensemble performances` lists it.
        id: String,
        #[command(flatten)]
        db: Db,
        /// Trust what the recorded score would do (programs, keys sent to hosts, reads outside its folder), as for `run`.
        #[arg(long)]
        trust: bool,
        #[command(flatten)]
        hands: Hands,
        #[command(flatten)]
        bounds: Bounds,
    },
    /// Re-run a recorded performance from a player: a new performance that takes the recorded
    /// outputs of the players before it as given and plays it and every player after it.
    Fork {
        /// The recorded performance (finished, failed, cut off or interrupted).
        id: String,
        /// The player to re-run from.
        #[arg(long = "from", value_name = "PLAYER")]
        player: String,
        #[command(flatten)]
        db: Db,
        /// Play this score file as it is now (a part rewritten since, say) instead of the score
        /// recorded with the performance.
        #[arg(long, value_name = "FILE")]
        score: Option<PathBuf>,
        /// Play every part on a rehearsal stand-in (no model, program or person is used).
        #[arg(long)]
        offline: bool,
        /// Trust what the score would do (programs, keys sent to hosts, reads outside its folder), as for `run`.
        #[arg(long)]
        trust: bool,
        #[command(flatten)]
        hands: Hands,
        #[command(flatten)]
        bounds: Bounds,
    },
    /// Compare two performances side by side: each player's outcome, output (word by word),
    /// choruses, time, tokens and cost, and what changed in the score between them.
    Compare {
        /// The earlier performance (or the only one, with --previous).
        left: String,
        /// The later performance.
        #[arg(required_unless_present = "previous", conflicts_with = "previous")]
        right: Option<String>,
        /// Compare LEFT with the performance of the same score just before it.
        #[arg(long)]
        previous: bool,
        #[command(flatten)]
        db: Db,
        /// The comparison as one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List recorded performances.
    Performances {
        #[command(flatten)]
        db: Db,
        /// One JSON array of summaries instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show what happened in a performance, in order.
    Show {
        id: String,
        #[command(flatten)]
        db: Db,
        /// Every event as JSON Lines instead of a transcript.
        #[arg(long)]
        json: bool,
    },
    /// Diagnose an ensemble: alignment from its score, attunement from its recorded performances,
    /// with advice and the trend since earlier diagnoses (each diagnosis is recorded).
    Diagnose {
        file: PathBuf,
        #[command(flatten)]
        db: Db,
        /// How many of the latest performances of this score to read.
        #[arg(long, value_name = "N", default_value_t = DEFAULT_LAST, value_parser = parse_last)]
        last: usize,
        /// A returned survey file (see `ensemble survey`); its answers are kept for later diagnoses.
        #[arg(long, value_name = "PATH")]
        survey: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: diagnose::Format,
        /// Write the report here instead of to stdout.
        #[arg(short = 'o', long = "out", value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Write a survey file for a person to fill in and return (read back with `diagnose --survey`).
    Survey {
        /// The person's name, as their human player's `who` says it.
        #[arg(long, default_value = "")]
        person: String,
        #[arg(short = 'o', long = "out", value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Export a score to share it: a picture, a Mermaid flowchart, program notes or a bundle.
    /// What looks like a secret or a path of this machine is listed first, and asked about.
    Export {
        file: PathBuf,
        #[arg(long, value_enum)]
        format: share::Format,
        /// Where to write (`-` for stdout); beside the score, named after it, when absent.
        #[arg(short = 'o', long = "out", value_name = "PATH")]
        out: Option<PathBuf>,
        /// Export even when the check finds what looks like secrets or machine paths.
        #[arg(long)]
        allow_findings: bool,
    },
    /// Import into a folder: a `.score.zip` bundle, a CrewAI project (its folder, agents.yaml or
    /// tasks.yaml) or a LangGraph graph (.json). Checked whole before anything is written; what
    /// could not be carried over is listed.
    Import {
        path: PathBuf,
        /// The folder to import into (made if missing); the current folder when absent.
        #[arg(long, value_name = "DIR", default_value = ".")]
        into: PathBuf,
    },
    /// Report a recorded performance: one HTML page (no network), or OpenTelemetry traces as
    /// OTLP JSON, written to a file or sent to an OTLP/HTTP receiver.
    Report {
        /// The performance id, as `ensemble performances` lists it.
        id: Option<String>,
        /// The newest performance instead of an id.
        #[arg(long)]
        last: bool,
        #[command(flatten)]
        db: Db,
        #[arg(long, value_enum, default_value = "html")]
        format: report::Format,
        /// Where to write (`-` for stdout); in the current folder, named after the performance, when absent.
        #[arg(short = 'o', long = "out", value_name = "PATH")]
        out: Option<PathBuf>,
        /// Post the traces to this OTLP/HTTP receiver (at URL/v1/traces) instead of writing a file.
        #[arg(long, value_name = "URL")]
        send: Option<String>,
        /// Report even when the recorded score holds what looks like secrets or machine paths.
        #[arg(long)]
        allow_findings: bool,
    },
    /// Print the JSON Schema of score files.
    Schema,
}

#[derive(Args)]
struct RunArgs {
    /// The score file.
    file: PathBuf,
    #[command(flatten)]
    db: Db,
    /// Seed for rehearsal instruments (the same seed plays the same way).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Play every part on a rehearsal stand-in (no model, program or person is used).
    #[arg(long, conflicts_with = "endpoint")]
    offline: bool,
    /// Play every rehearsal and openai part on this OpenAI-compatible endpoint (base URL up to /v1).
    #[arg(long, value_name = "URL", requires = "model")]
    endpoint: Option<String>,
    /// The model to ask for at --endpoint.
    #[arg(long, value_name = "NAME", requires = "endpoint")]
    model: Option<String>,
    /// The environment variable holding the key for --endpoint (none is sent when absent).
    #[arg(long, value_name = "VAR", requires = "endpoint")]
    endpoint_key_env: Option<String>,
    /// Trust what this score would do: run its programs, send its keys to their hosts, read outside its folder.
    #[arg(long)]
    trust: bool,
    #[command(flatten)]
    hands: Hands,
    #[command(flatten)]
    bounds: Bounds,
}

/// How far one attempt of a player may go before it is failed.
#[derive(Args, Clone, Copy)]
pub struct Bounds {
    /// The most output one attempt may produce (a program's stdout or a model's streamed text),
    /// in MiB; past it the attempt fails with the output so far kept.
    #[arg(long, value_name = "MIB", default_value_t = AttemptBounds::default().max_output_mib,
          value_parser = clap::value_parser!(u32).range(i64::from(*MAX_OUTPUT_MIB.start())..=i64::from(*MAX_OUTPUT_MIB.end())))]
    max_output_mib: u32,
    /// The longest a server may stay silent (before its answer starts, or mid-stream), in seconds.
    #[arg(long, value_name = "SECS", default_value_t = AttemptBounds::default().read_timeout_secs,
          value_parser = clap::value_parser!(u32).range(i64::from(*READ_TIMEOUT_SECS.start())..=i64::from(*READ_TIMEOUT_SECS.end())))]
    read_timeout_secs: u32,
}

impl Bounds {
    /// The limits to play within, checked as the studio's settings are.
    pub fn limits(self) -> Result<ensemble_instruments::Limits, ensemble_api::ApiError> {
        AttemptBounds { max_output_mib: self.max_output_mib, read_timeout_secs: self.read_timeout_secs }.limits()
    }
}

#[derive(Args)]
struct Db {
    /// The performance store (default: $ENSEMBLE_DB, else the user's data folder).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
}

impl Db {
    fn path(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(ensemble_store::Store::default_path)
    }
}

/// How a person takes part from the command line: answers, approvals and the event stream.
#[derive(Args, Clone)]
pub struct Hands {
    /// Write every event as JSON Lines to PATH, or to stdout with `-` (the display then goes to stderr).
    #[arg(long, value_name = "PATH|-")]
    events: Option<String>,
    /// The answer of a human player, instead of asking at the terminal.
    #[arg(long = "answer", value_name = "PLAYER=TEXT", value_parser = parse_answer)]
    answers: Vec<(String, String)>,
    /// Approve every checkpoint without asking.
    #[arg(long)]
    approve_all: bool,
    /// Approve every tool call without asking, including calls that change things.
    #[arg(long)]
    approve_tools: bool,
}

/// `--last`: a whole number within the operations layer's range, said in words when it is not.
fn parse_last(s: &str) -> Result<usize, String> {
    let (least, most) = (*LAST_RANGE.start(), *LAST_RANGE.end());
    s.trim().parse::<usize>().ok().filter(|n| LAST_RANGE.contains(n)).ok_or_else(|| format!("a whole number from {least} to {most}"))
}

fn parse_answer(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((player, text)) if !player.is_empty() => Ok((player.to_string(), text.to_string())),
        _ => Err(format!("expected PLAYER=TEXT, got {s:?}")),
    }
}

fn main() -> ExitCode {
    // A bug must still end in one readable line, not a backtrace in someone's terminal.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("ensemble: internal error{place}: {message}");
    }));
    let cli = Cli::parse();
    let result = match cli.command {
        Verb::Validate { files } => score_files::validate(&files),
        Verb::Fmt { check, files } => score_files::fmt(&files, check),
        Verb::Run(args) => conduct::run(args),
        Verb::Tools { file, db, trust, server: None } => tools::list(&file, &db.path(), trust),
        Verb::Tools { file, db, trust, server: Some(server) } => tools::test_server(&file, &db.path(), trust, &server),
        Verb::Resume { id, db, trust, hands, bounds } => conduct::resume(&id, &db.path(), hands, bounds, trust),
        Verb::Fork { id, player, db, score, offline, trust, hands, bounds } => {
            fork::fork(fork::ForkArgs { id, player, db: db.path(), score, offline, trust, hands, bounds })
        }
        Verb::Compare { left, right, previous: _, db, json } => compare::compare(&left, right.as_deref(), &db.path(), json),
        Verb::Performances { db, json } => inspect::performances(&db.path(), json),
        Verb::Show { id, db, json } => inspect::show(&id, &db.path(), json),
        Verb::Diagnose { file, db, last, survey, format, out } => {
            diagnose::diagnose(diagnose::DiagnoseArgs { file, db: db.path(), last, survey, format, out })
        }
        Verb::Survey { person, out } => diagnose::survey(&person, out.as_deref()),
        Verb::Export { file, format, out, allow_findings } => share::export(&file, format, out, allow_findings),
        Verb::Import { path, into } => share::import(&path, &into),
        Verb::Report { id, last, db, format, out, send, allow_findings } => {
            report::report(report::ReportArgs { id, last, db: db.path(), format, out, send, allow_findings })
        }
        Verb::Schema => {
            print!("{}", ensemble_score::json_schema());
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|e| {
        // `ensemble show ID | head` closing the pipe early is the reader's choice, not an error.
        let broken_pipe = e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe));
        if broken_pipe {
            return ExitCode::SUCCESS;
        }
        eprintln!("ensemble: error: {e:#}");
        ExitCode::from(2)
    })
}
