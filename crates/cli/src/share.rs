//! `export` and `import`: sharing a score, through the operations layer the studio uses
//! (`ensemble_api::export`).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use ensemble_api::ApiError;
use ensemble_api::export::ExportFormat;
use ensemble_score::LoadError;

use crate::score_files::problem_line;

/// The formats as the command line names them.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Svg,
    Png,
    /// A PNG at twice the size.
    Png2x,
    Mermaid,
    Markdown,
    Zip,
}

impl From<Format> for ExportFormat {
    fn from(format: Format) -> ExportFormat {
        match format {
            Format::Svg => ExportFormat::Svg,
            Format::Png => ExportFormat::Png,
            Format::Png2x => ExportFormat::Png2x,
            Format::Mermaid => ExportFormat::Mermaid,
            Format::Markdown => ExportFormat::Markdown,
            Format::Zip => ExportFormat::Zip,
        }
    }
}

pub fn export(file: &Path, format: Format, out: Option<PathBuf>, allow_findings: bool) -> anyhow::Result<ExitCode> {
    let loaded = match ensemble_score::load(file) {
        Ok(loaded) => loaded,
        Err(LoadError::Invalid { problems, .. }) => {
            for problem in &problems {
                eprintln!("{}", problem_line(file, problem));
            }
            eprintln!("ensemble: error: {} has problems; fix them to export it", file.display());
            return Ok(ExitCode::from(2));
        }
        Err(LoadError::Io { source, .. }) => anyhow::bail!("cannot read {}: {source}", file.display()),
    };
    let format = ExportFormat::from(format);
    let mut allow = allow_findings;
    let findings = ensemble_api::export::check(&loaded.score, Some(file));
    if !findings.is_empty() && !allow {
        eprintln!("{} holds what looks like secrets or paths of this machine:", file.display());
        for finding in &findings {
            eprintln!("  {}: {}", finding.place, finding.excerpt);
        }
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            eprint!("Export anyway? [y/N] ");
            let mut answer = String::new();
            std::io::stdin().read_line(&mut answer).context("cannot read the answer")?;
            allow = matches!(answer.trim(), "y" | "Y" | "yes");
        }
        if !allow {
            eprintln!("ensemble: error: nothing was exported; remove them, or run again with --allow-findings once you have looked");
            return Ok(ExitCode::from(2));
        }
    }
    let bytes = match ensemble_api::export::export(&loaded.score, Some(file), format, allow) {
        Ok(bytes) => bytes,
        Err(e @ ApiError::Findings { .. }) => anyhow::bail!(e),
        Err(e) => return Err(e.into()),
    };
    match out.as_deref() {
        Some(path) if path == Path::new("-") => std::io::stdout().lock().write_all(&bytes)?,
        Some(path) => write(path, &bytes)?,
        None => {
            let target = ensemble_api::export::default_target(&loaded.score, Some(file), format);
            write(&target, &bytes)?;
            eprintln!("wrote {}", target.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Imports a bundle, a CrewAI project or a LangGraph graph into a folder; nothing is written
/// when it is refused. The score's path goes to stdout; what was not carried over to stderr.
pub fn import(source: &Path, into: &Path) -> anyhow::Result<ExitCode> {
    let imported = ensemble_api::import::import(source, into)?;
    println!("{}", imported.score.display());
    match &imported.report {
        None => eprintln!("opened {} file(s) into {}", imported.files.len(), into.display()),
        Some(report) => {
            eprintln!("imported {} player(s) and {} cue(s) into {}", report.players, report.cues, imported.score.display());
            if report.notes.is_empty() {
                eprintln!("everything was carried over");
            } else {
                eprintln!("not carried over, or changed:");
                for note in &report.notes {
                    eprintln!("  {}: {}", note.place, note.message);
                }
            }
        }
    }
    eprintln!("the score is from elsewhere: it runs programs, sends keys or reads outside its folder only once you trust it");
    Ok(ExitCode::SUCCESS)
}
