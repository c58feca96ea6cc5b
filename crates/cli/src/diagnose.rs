//! `diagnose` and `survey`: how an ensemble is built and how it plays, from the command line,
//! through the operations layer the studio uses (`ensemble_api::diagnose`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use clap::ValueEnum;
use ensemble_api::diagnose::DiagnoseRequest;
use ensemble_score::LoadError;
use ensemble_store::Store;

use crate::score_files::problem_line;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Html,
}

pub struct DiagnoseArgs {
    pub file: PathBuf,
    pub db: PathBuf,
    pub last: usize,
    pub survey: Option<PathBuf>,
    pub format: Format,
    pub out: Option<PathBuf>,
}

pub fn diagnose(args: DiagnoseArgs) -> anyhow::Result<ExitCode> {
    let loaded = match ensemble_score::load(&args.file) {
        Ok(loaded) => loaded,
        Err(LoadError::Invalid { problems, .. }) => {
            for problem in &problems {
                eprintln!("{}", problem_line(&args.file, problem));
            }
            eprintln!("ensemble: error: {} has problems; fix them to diagnose it", args.file.display());
            return Ok(ExitCode::from(2));
        }
        Err(LoadError::Io { source, .. }) => anyhow::bail!("cannot read {}: {source}", args.file.display()),
    };
    let survey = match &args.survey {
        Some(path) => ensemble_api::survey::read(path)?,
        None => vec![],
    };
    let store = Store::open(&args.db)?;
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
    let request = DiagnoseRequest { score: loaded.score, path: Some(args.file.clone()), last: args.last, survey, now_ms };
    let report = ensemble_api::diagnose::diagnose(&store, request)?;
    let text = match args.format {
        Format::Text => ensemble_diagnostics::render_text(&report),
        Format::Json => serde_json::to_string_pretty(&report).context("the report could not be written as JSON")? + "\n",
        Format::Html => ensemble_diagnostics::render_html(&report, None),
    };
    write_out(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

/// `ensemble survey`: a survey file to send to a person, to fill in and return for `--survey`.
pub fn survey(person: &str, out: Option<&Path>) -> anyhow::Result<ExitCode> {
    write_out(out, &ensemble_api::survey::blank_file(person))?;
    Ok(ExitCode::SUCCESS)
}

fn write_out(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display())),
        None => {
            use std::io::Write;
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }
    }
}
