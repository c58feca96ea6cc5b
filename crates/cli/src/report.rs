//! `report`: a recorded performance as an HTML page or as OpenTelemetry traces, written to a file
//! or sent to an OTLP/HTTP receiver, through the operation the studio uses
//! (`ensemble_api::report`).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use ensemble_api::report::ReportFormat;

use crate::inspect::open_existing;

/// The formats as the command line names them.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// One HTML page that loads nothing from anywhere.
    Html,
    /// OpenTelemetry traces, OTLP JSON.
    Otlp,
}

impl From<Format> for ReportFormat {
    fn from(format: Format) -> ReportFormat {
        match format {
            Format::Html => ReportFormat::Html,
            Format::Otlp => ReportFormat::Otlp,
        }
    }
}

pub struct ReportArgs {
    pub id: Option<String>,
    pub last: bool,
    pub db: PathBuf,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub send: Option<String>,
    pub allow_findings: bool,
}

pub fn report(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(&args.db)?;
    let id = match (args.id, args.last) {
        (Some(id), false) => id,
        (None, true) => ensemble_api::report::last(&store)?,
        (Some(_), true) => anyhow::bail!("give a performance id or --last, not both"),
        (None, false) => anyhow::bail!("which performance? give its id (see `ensemble performances`) or --last"),
    };
    let format = ReportFormat::from(args.format);
    if args.send.is_some() && format != ReportFormat::Otlp {
        anyhow::bail!("--send posts traces: use it with --format otlp");
    }
    let mut allow = args.allow_findings;
    let findings = ensemble_api::report::check(&store, &id)?;
    if !findings.is_empty() && !allow {
        eprintln!("the score recorded with {id} holds what looks like secrets or paths of this machine:");
        for finding in &findings {
            eprintln!("  {}: {}", finding.place, finding.excerpt);
        }
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            eprint!("Report anyway? [y/N] ");
            let mut answer = String::new();
            std::io::stdin().read_line(&mut answer).context("cannot read the answer")?;
            allow = matches!(answer.trim(), "y" | "Y" | "yes");
        }
        if !allow {
            eprintln!("ensemble: error: nothing was written or sent; run again with --allow-findings once you have looked");
            return Ok(ExitCode::from(2));
        }
    }
    if let Some(endpoint) = args.send.as_deref() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
        let sent_to = runtime.block_on(ensemble_api::report::send(&store, &id, endpoint, allow))?;
        eprintln!("sent the traces of {id} to {sent_to}");
        if args.out.is_none() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let bytes = ensemble_api::report::report(&store, &id, format, allow)?;
    match args.out.as_deref() {
        Some(path) if path == Path::new("-") => std::io::stdout().lock().write_all(&bytes)?,
        Some(path) => write(path, &bytes)?,
        None => {
            let target = ensemble_api::report::default_target(&store, &id, format, Path::new("."))?;
            write(&target, &bytes)?;
            eprintln!("wrote {}", target.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}
