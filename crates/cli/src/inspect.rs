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
    let outcome = |s: &Summary| s.outcome_summary.clone().or_else(|| s.outcome.clone()).unwrap_or_else(|| "-".into());
    let outcome_width = list.iter().map(|s| outcome(s).chars().count()).max().unwrap_or(7).max(7);
    writeln!(
        out,
        "{:<26}  {:<19}  {:<title_width$}  {:<11}  {:<outcome_width$}  {:>8}  {:>9}  FORK OF",
        "ID", "STARTED", "TITLE", "STATUS", "OUTCOME", "TOKENS", "COST"
    )?;
    for s in &list {
        let title: String = s.title.chars().take(title_width).collect();
        writeln!(
            out,
            "{:<26}  {:<19}  {:<title_width$}  {:<11}  {:<outcome_width$}  {:>8}  {:>9}  {}",
            s.id,
            when(s.started_ms),
            title,
            s.status.as_str(),
            outcome(s),
            s.tokens,
            format!("${:.4}", s.cost_usd),
            match (&s.forked_from, &s.forked_player) {
                (Some(from), Some(player)) => format!("{from} from {player}"),
                _ => "-".to_string(),
            }
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
    match ensemble_api::players::of_performance(&store, id) {
        Ok(runs) => write_players(&mut out, &runs, &events)?,
        // The transcript below is still worth showing when the players cannot be replayed.
        Err(e) => writeln!(out, "players: {e}\n")?,
    }
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
    if let (Some(from), Some(player)) = (&s.forked_from, &s.forked_player) {
        writeln!(out, "forked from {from}, re-run from {player}")?;
    }
    let outcome = s.outcome_summary.as_deref().or(s.outcome.as_deref()).map(|o| format!(", {o}")).unwrap_or_default();
    let offline = if s.offline { ", offline" } else { "" };
    writeln!(out, "started {}, {}{outcome}{offline}, {} tokens, ${:.4}", when(s.started_ms), s.status.as_str(), s.tokens, s.cost_usd)?;
    writeln!(out)
}

/// One line per player: how it ended, choruses, time, tokens, cost (failed and retried attempts
/// included), tool calls when any player made some, and the shared-context version it played
/// from, marked `*` where that is not the version the performance started with.
fn write_players(out: &mut impl Write, runs: &[ensemble_api::players::PlayerRun], events: &[ensemble_conductor::Event]) -> std::io::Result<()> {
    if runs.is_empty() {
        return Ok(());
    }
    let started = events.iter().find_map(|e| match &e.kind {
        ensemble_conductor::EventKind::PerformanceStarted { context_version, .. } => Some(context_version.as_str()),
        _ => None,
    });
    let width = runs.iter().map(|r| r.player.chars().count()).max().unwrap_or(6).max(6);
    let tools = runs.iter().any(|r| r.tool_calls > 0);
    let tools_head = if tools { format!("  {:>5}", "TOOLS") } else { String::new() };
    writeln!(out, "{:<width$}  {:<8}  {:>8}  {:>8}  {:>8}  {:>9}{tools_head}  CONTEXT", "PLAYER", "OUTCOME", "CHORUSES", "TIME", "TOKENS", "COST")?;
    for r in runs {
        let context = match r.context_version.as_deref() {
            Some(version) => {
                // The hash without its algorithm, shortened as commits are.
                let short: String = version.rsplit(':').next().unwrap_or(version).chars().take(12).collect();
                if Some(version) == started { short } else { format!("{short} *") }
            }
            None => "-".to_string(),
        };
        let calls = if tools { format!("  {:>5}", r.tool_calls) } else { String::new() };
        writeln!(
            out,
            "{:<width$}  {:<8}  {:>8}  {:>8}  {:>8}  {:>9}{calls}  {context}",
            r.player,
            crate::compare::outcome(r.outcome),
            r.choruses,
            transcript::seconds(r.elapsed_ms),
            r.tokens(),
            format!("${:.4}", r.cost_usd),
        )?;
    }
    if runs.iter().any(|r| r.context_version.is_some() && r.context_version.as_deref() != started) {
        writeln!(out, "* played from another version of the shared context than the performance started with")?;
    }
    writeln!(out)
}
