//! `performances` and `show`: reading recorded performances back.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use ensemble_store::{Store, Summary};

use crate::transcript;

/// Opens an existing store; a missing file is an error here (reading never creates one).
pub fn open_existing(path: &Path) -> anyhow::Result<Store> {
    if !path.exists() {
        anyhow::bail!("no performance store at {} (run a score first, or pass --db)", path.display());
    }
    Ok(Store::open(path)?)
}

fn when(ms: u64) -> String {
    jiff::Timestamp::from_millisecond(ms as i64)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::system()).strftime("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|_| ms.to_string())
}

pub fn performances(db: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let list = store.list()?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if list.is_empty() {
        writeln!(out, "no performances yet in {}", db.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    let title_width = list.iter().map(|s| s.title.chars().count()).max().unwrap_or(5).clamp(5, 40);
    writeln!(out, "{:<26}  {:<19}  {:<title_width$}  {:<11}  {:<15}  {:>8}  {:>9}", "ID", "STARTED", "TITLE", "STATUS", "OUTCOME", "TOKENS", "COST")?;
    for s in &list {
        let title: String = s.title.chars().take(title_width).collect();
        writeln!(
            out,
            "{:<26}  {:<19}  {:<title_width$}  {:<11}  {:<15}  {:>8}  {:>9}",
            s.id,
            when(s.started_ms),
            title,
            s.status.as_str(),
            s.outcome.as_deref().unwrap_or("-"),
            s.tokens,
            format!("${:.4}", s.cost_usd)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(id: &str, db: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_existing(db)?;
    let summary = store.summary(id)?;
    let events = store.events(id)?;
    let mut out = std::io::stdout().lock();
    if json {
        for event in &events {
            writeln!(out, "{}", serde_json::to_string(event).context("an event could not be written as JSON")?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    write_header(&mut out, &summary)?;
    let start = events.first().map(|e| e.at_ms).unwrap_or(summary.started_ms);
    for event in &events {
        let Some(line) = transcript::describe(&event.kind) else { continue };
        let offset = event.at_ms.saturating_sub(start);
        writeln!(out, "{:>8}  {line}", format!("+{}", transcript::seconds(offset)))?;
        if let Some(body) = transcript::body(&event.kind) {
            for text in body.trim_end().lines() {
                writeln!(out, "          | {text}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_header(out: &mut impl Write, s: &Summary) -> std::io::Result<()> {
    writeln!(out, "{} — {}", s.id, s.title)?;
    if let Some(path) = &s.score_path {
        writeln!(out, "score: {path}")?;
    }
    let outcome = s.outcome.as_deref().map(|o| format!(", {o}")).unwrap_or_default();
    let offline = if s.offline { ", offline" } else { "" };
    writeln!(out, "started {}, {}{outcome}{offline}, {} tokens, ${:.4}", when(s.started_ms), s.status.as_str(), s.tokens, s.cost_usd)?;
    writeln!(out)
}
