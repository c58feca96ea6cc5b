//! `compare`: two performances side by side, as text or JSON (`ensemble_api::compare`).
//!
//! Word changes are marked as `[-removed-]{+added+}`, as `git diff --word-diff=plain` does, so the
//! text reads on any terminal and in a log.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use ensemble_api::compare::{ComparedPerformance, Comparison, TextChange, TextChangeKind};
use ensemble_api::players::{PlayerOutcome, PlayerRun};

use crate::transcript::seconds;

pub fn compare(left: &str, right: Option<&str>, db: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let store = crate::inspect::open_existing(db)?;
    let (left, right) = match right {
        Some(right) => (left.to_string(), right.to_string()),
        None => match ensemble_api::compare::previous(&store, left)? {
            Some(previous) => (previous, left.to_string()),
            None => bail!("performance {left} has no earlier performance of the same score to compare with"),
        },
    };
    let comparison = ensemble_api::compare::compare(&store, &left, &right)?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&comparison)?)?;
    } else {
        write_text(&mut out, &comparison)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_text(out: &mut impl Write, c: &Comparison) -> std::io::Result<()> {
    write_side(out, "left ", &c.left)?;
    write_side(out, "right", &c.right)?;
    writeln!(out)?;
    if c.score_changes.is_empty() {
        writeln!(out, "score: the same")?;
    } else {
        writeln!(out, "score changes:")?;
        for change in c.score_changes.iter().filter(|ch| ch.kind != TextChangeKind::Equal) {
            let sign = if change.kind == TextChangeKind::Delete { '-' } else { '+' };
            for line in change.text.lines() {
                writeln!(out, "  {sign} {line}")?;
            }
        }
    }
    writeln!(out)?;
    let width = c.players.iter().map(|p| p.player.chars().count()).max().unwrap_or(6).max(6);
    // Tool calls get a column only when either side made some.
    let tools = c.players.iter().flat_map(|p| [p.left.as_ref(), p.right.as_ref()]).flatten().any(|run| run.tool_calls > 0);
    let tools_head = if tools { format!("  {:<9}", "TOOLS") } else { String::new() };
    writeln!(out, "{:<width$}  {:<21}  {:<9}  {:<15}  {:<17}{tools_head}  COST", "PLAYER", "OUTCOME", "CHORUSES", "TIME", "TOKENS")?;
    for p in &c.players {
        let (l, r) = (p.left.as_ref(), p.right.as_ref());
        let calls = if tools { format!("  {:<9}", pair(l, r, |x| x.tool_calls.to_string())) } else { String::new() };
        writeln!(
            out,
            "{:<width$}  {:<21}  {:<9}  {:<15}  {:<17}{calls}  {}",
            p.player,
            pair(l, r, |x| outcome(x.outcome).to_string()),
            pair(l, r, |x| x.choruses.to_string()),
            pair(l, r, |x| seconds(x.elapsed_ms)),
            pair(l, r, |x| x.tokens().to_string()),
            pair(l, r, |x| format!("${:.4}", x.cost_usd)),
        )?;
    }
    for p in c.players.iter().filter(|p| p.output_changed) {
        writeln!(out)?;
        writeln!(out, "{}'s output:", p.player)?;
        for line in marked(&p.output_changes).lines() {
            writeln!(out, "  | {line}")?;
        }
    }
    Ok(())
}

fn write_side(out: &mut impl Write, label: &str, side: &ComparedPerformance) -> std::io::Result<()> {
    let s = &side.summary;
    let outcome = s.outcome_summary.as_deref().unwrap_or(s.status.as_str());
    let fork = match (&s.forked_from, &s.forked_player) {
        (Some(from), Some(player)) => format!(", fork of {from} from {player}"),
        _ => String::new(),
    };
    writeln!(out, "{label}: {} — {} ({outcome}, {}, {} tokens, ${:.4}{fork})", s.id, s.title, seconds(side.elapsed_ms), s.tokens, s.cost_usd)
}

/// `left -> right`, or one value when both are the same; `-` for a side without the player.
fn pair(left: Option<&PlayerRun>, right: Option<&PlayerRun>, show: impl Fn(&PlayerRun) -> String) -> String {
    let (l, r) = (left.map(&show).unwrap_or_else(|| "-".into()), right.map(&show).unwrap_or_else(|| "-".into()));
    if l == r { l } else { format!("{l} -> {r}") }
}

pub fn outcome(outcome: PlayerOutcome) -> &'static str {
    match outcome {
        PlayerOutcome::Finished => "finished",
        PlayerOutcome::Failed => "failed",
        PlayerOutcome::Skipped => "skipped",
        PlayerOutcome::Carried => "carried",
        PlayerOutcome::Playing => "playing",
        PlayerOutcome::NotCued => "not cued",
    }
}

/// The changes as one text, deletions as `[-...-]` and insertions as `{+...+}`.
fn marked(changes: &[TextChange]) -> String {
    let mut text = String::new();
    for change in changes {
        match change.kind {
            TextChangeKind::Equal => text.push_str(&change.text),
            TextChangeKind::Delete => text.push_str(&format!("[-{}-]", change.text)),
            TextChangeKind::Insert => text.push_str(&format!("{{+{}+}}", change.text)),
        }
    }
    text
}
