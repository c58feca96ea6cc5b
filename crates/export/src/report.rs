//! A recorded performance as one self-contained HTML page: the report someone reads after a run,
//! or sends to a colleague who has no studio.
//!
//! It holds the score's picture (the SVG export, inline), a timeline of every player's choruses,
//! usage, cost and outcome per player and for the performance, every turn's input (the hand-offs
//! it received), tool calls (arguments and results) and output, retries and failures, and the
//! checkpoints, edits and tool approvals a person made.
//! The page loads nothing: no script, no external stylesheet, font or image, so it opens the same
//! offline, in a mail attachment or years later, and prints cleanly (every section is expanded).
//!
//! Outputs are untrusted text (a model or a program wrote them): everything from the score or the
//! record is escaped, and control characters are dropped.

use std::fmt::Write;

use ensemble_conductor::Event;
use ensemble_score::{Score, Zone};
use ensemble_instruments::tools::Decision;

use crate::labels::{zone_colour, zone_title};
use crate::played::{MomentKind, Played, Tokens, ToolCall, ToolEnd, Turn, TurnEnd, outcome_words};
use crate::svg::svg;
use crate::text::xml;

const STYLE: &str = r#"
:root { --ink: #1f2328; --muted: #5b6170; --line: #d8dbe0; --ok: #009e73; --fail: #d55e00; --open: #8a8f98; }
* { box-sizing: border-box; }
body { font: 14px/1.45 Inter, "Segoe UI", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: var(--ink); margin: 0 auto; padding: 24px 32px 48px; max-width: 1100px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 4px; }
h4 { font-size: 13px; margin: 10px 0 4px; color: var(--muted); }
.muted { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; }
.picture { border: 1px solid var(--line); border-radius: 6px; overflow: auto; }
.picture svg { display: block; max-width: 100%; height: auto; }
.timeline { display: grid; grid-template-columns: minmax(120px, 220px) 1fr; gap: 3px 12px; align-items: center; }
.timeline .track { position: relative; height: 14px; background: #f3f4f6; border-radius: 3px; }
.timeline .bar { position: absolute; top: 0; bottom: 0; min-width: 3px; border-radius: 3px; }
.bar.finished { background: var(--ok); } .bar.failed { background: var(--fail); } .bar.unfinished { background: var(--open); }
.outcome-succeeded, .end-finished { color: var(--ok); }
.outcome-failed, .outcome-cut-off, .outcome-budget-exceeded, .end-failed { color: var(--fail); }
.turn { border: 1px solid var(--line); border-left: 4px solid var(--open); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.turn.finished { border-left-color: var(--ok); } .turn.failed { border-left-color: var(--fail); }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 8px; margin: 0; font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.error { color: var(--fail); }
.tool-call { border: 1px solid var(--line); border-radius: 4px; padding: 4px 10px; margin: 6px 0; }
.tool-call summary { cursor: pointer; }
.tool-call h5 { font-size: 12px; margin: 6px 0 2px; color: var(--muted); }
.zone { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
@media print {
  body { padding: 0; max-width: none; }
  .turn, tr, .picture { break-inside: avoid; }
  h2 { break-after: avoid; }
  .timeline .bar, .zone { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

/// The performance `id`, recorded as `events` and played from `score` (the score recorded with
/// it), as a complete HTML document.
pub fn report(score: &Score, id: &str, events: &[Event]) -> String {
    let played = Played::fold(id, events);
    let title = if played.title.is_empty() { score.title.as_str() } else { played.title.as_str() };
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Performance report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        xml(title)
    );
    let _ = write!(out, "<header><h1>{}</h1>", xml(title));
    if !score.intent.goal.trim().is_empty() {
        let _ = write!(out, "<p class=\"muted\">{}</p>", xml(&score.intent.goal));
    }
    out.push_str("</header>\n");
    summary(&mut out, &played);
    out.push_str("<h2>The score</h2>\n<div class=\"picture\">");
    out.push_str(&svg(score));
    out.push_str("</div>\n");
    timeline(&mut out, score, &played);
    players(&mut out, score, &played);
    moments(&mut out, score, &played);
    turns(&mut out, score, &played);
    out.push_str("</body>\n</html>\n");
    out
}

fn summary(out: &mut String, played: &Played) {
    let outcome = outcome_words(played.outcome);
    let _ = write!(
        out,
        "<dl class=\"facts\" data-section=\"summary\"><dt>Performance</dt><dd><code>{}</code>{}</dd><dt>Outcome</dt><dd class=\"outcome-{}\">{}{}</dd>",
        xml(&played.id),
        if played.offline { " · rehearsal (offline stand-ins played every part)" } else { "" },
        outcome.replace(' ', "-"),
        outcome,
        played.reason.as_deref().map(|r| format!(": {}", xml(r))).unwrap_or_default(),
    );
    let _ = writeln!(
        out,
        "<dt>Started</dt><dd>{}</dd><dt>Took</dt><dd>{}</dd><dt>Tokens</dt><dd>{} in · {} out</dd><dt>Cost</dt><dd>{}</dd><dt>Turns</dt><dd>{} by {} players</dd><dt>Shared context</dt><dd><code>{}</code></dd></dl>",
        time(played.started_ms),
        duration(played.ended_ms.saturating_sub(played.started_ms)),
        played.tokens.input,
        played.tokens.output,
        usd(played.cost_usd),
        played.turns.len(),
        played.players().len(),
        xml(&played.context_version),
    );
}

fn timeline(out: &mut String, score: &Score, played: &Played) {
    out.push_str("<h2>Timeline</h2>\n");
    if played.turns.is_empty() {
        out.push_str("<p class=\"muted\">No player was cued.</p>\n");
        return;
    }
    let span = played.ended_ms.saturating_sub(played.started_ms).max(1) as f64;
    out.push_str("<div class=\"timeline\" data-section=\"timeline\">");
    for (index, turn) in played.turns.iter().enumerate() {
        let left = (turn.cued_ms.saturating_sub(played.started_ms) as f64 / span * 100.0).clamp(0.0, 100.0);
        let width = (turn.ended_ms.saturating_sub(turn.cued_ms) as f64 / span * 100.0).clamp(0.0, 100.0 - left);
        let _ = write!(
            out,
            "<a href=\"#turn-{}\">{} · chorus {}</a><div class=\"track\"><div class=\"bar {}\" style=\"left:{left:.2}%;width:{width:.2}%\" title=\"{} · {}\"></div></div>",
            index + 1,
            xml(&player_name(score, &turn.player)),
            turn.chorus,
            end_class(&turn.end),
            end_words(&turn.end),
            duration(turn.ended_ms.saturating_sub(turn.cued_ms)),
        );
    }
    out.push_str("</div>\n");
}

fn players(out: &mut String, score: &Score, played: &Played) {
    out.push_str("<h2>Players</h2>\n<table data-section=\"players\"><thead><tr><th>Player</th><th>Instrument</th><th class=\"num\">Turns</th><th class=\"num\">Retries</th><th class=\"num\">Failures</th><th class=\"num\">Tokens in</th><th class=\"num\">Tokens out</th><th class=\"num\">Cost</th><th>Last outcome</th></tr></thead><tbody>");
    for id in played.players() {
        let turns: Vec<&Turn> = played.turns.iter().filter(|t| t.player == id).collect();
        let mut tokens = Tokens::default();
        let mut cost = 0.0;
        for turn in &turns {
            let all = turn.all_tokens();
            tokens = Tokens { input: tokens.input.saturating_add(all.input), output: tokens.output.saturating_add(all.output) };
            cost += turn.all_cost();
        }
        let retries: usize = turns.iter().map(|t| t.retries.len()).sum();
        let failures = turns.iter().filter(|t| matches!(t.end, TurnEnd::Failed { .. })).count();
        let last = turns.last().map(|t| &t.end).unwrap_or(&TurnEnd::Unfinished);
        let instrument = turns.last().map(|t| t.instrument.as_str()).unwrap_or_default();
        let zone = player_zone(score, id);
        let _ = write!(
            out,
            "<tr><td><span class=\"zone\" style=\"background:{}\" title=\"{}\"></span>{} <span class=\"muted\">({})</span></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{retries}</td><td class=\"num\">{failures}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"end-{}\">{}</td></tr>",
            zone_colour(zone),
            zone_title(zone),
            xml(&player_name(score, id)),
            xml(id),
            xml(instrument),
            turns.len(),
            tokens.input,
            tokens.output,
            usd(cost),
            end_class(last),
            end_words(last),
        );
    }
    let _ = writeln!(
        out,
        "</tbody><tfoot><tr><th>The performance</th><td></td><td class=\"num\">{}</td><td></td><td></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"outcome-{}\">{}</td></tr></tfoot></table>",
        played.turns.len(),
        played.tokens.input,
        played.tokens.output,
        usd(played.cost_usd),
        outcome_words(played.outcome).replace(' ', "-"),
        outcome_words(played.outcome),
    );
}

fn moments(out: &mut String, score: &Score, played: &Played) {
    out.push_str("<h2>Checkpoints, edits and interventions</h2>\n");
    if played.moments.is_empty() {
        out.push_str("<p class=\"muted\">None: the performance ran without a checkpoint, an edit or a held cue.</p>\n");
        return;
    }
    out.push_str("<table data-section=\"moments\"><thead><tr><th>At</th><th>What happened</th></tr></thead><tbody>");
    let name = |id: &str| xml(&player_name(score, id));
    for moment in &played.moments {
        let what = match &moment.what {
            MomentKind::CheckpointWaiting { from, to } => format!("Checkpoint: the cue {} → {} waited for a person", name(from), name(to)),
            MomentKind::CheckpointResolved { from, to, approved, note } => format!(
                "Checkpoint {} → {} {}{}",
                name(from),
                name(to),
                if *approved { "approved" } else { "rejected" },
                note.as_deref().map(|n| format!(": “{}”", xml(n))).unwrap_or_default()
            ),
            MomentKind::OutputEdited { player } => format!("A person edited {}’s output before it was handed on", name(player)),
            MomentKind::CueHeld { from, to, reason } => format!("The cue {} → {} was held: {}", name(from), name(to), xml(reason)),
            MomentKind::BudgetExceeded { budget, limit, used } => {
                format!("The {} budget was exceeded: {used} used of {limit}", xml(budget))
            }
            MomentKind::PlayerSkipped { player, reason } => {
                format!("{} was skipped: {}", name(player), xml(reason))
            }
            MomentKind::HumanWaiting { player, question } => {
                format!("{} was asked: {}", name(player), xml(question))
            }
            MomentKind::Paused => "Paused by the conductor".into(),
            MomentKind::Resumed => "Resumed by the conductor".into(),
            MomentKind::Stepped { player } => format!("Stepped: {} released", name(player)),
            MomentKind::ResumedAfterInterruption => "Resumed after an interruption, from the last finished cue".into(),
            MomentKind::Carried { player, from_performance } => {
                format!("{}’s output was carried over from performance {} instead of played", name(player), xml(from_performance))
            }
            MomentKind::TempoChanged { mode } => format!("The tempo was changed to {}", xml(mode)),
        };
        let _ = write!(out, "<tr><td>{}</td><td>{what}</td></tr>", offset(moment.at_ms, played.started_ms));
    }
    out.push_str("</tbody></table>\n");
}

fn turns(out: &mut String, score: &Score, played: &Played) {
    out.push_str("<h2>Every turn: input and output</h2>\n");
    for (index, turn) in played.turns.iter().enumerate() {
        let all = turn.all_tokens();
        let _ = write!(
            out,
            "<section class=\"turn {}\" id=\"turn-{}\" data-player=\"{}\"><h3>{} · chorus {}</h3><p class=\"muted\">{} · {} · cued at {} · {} · {} in / {} out tokens · {}</p>",
            end_class(&turn.end),
            index + 1,
            xml(&turn.player),
            xml(&player_name(score, &turn.player)),
            turn.chorus,
            xml(&turn.instrument),
            end_words(&turn.end),
            offset(turn.cued_ms, played.started_ms),
            duration(turn.ended_ms.saturating_sub(turn.cued_ms)),
            all.input,
            all.output,
            usd(turn.all_cost()),
        );
        out.push_str("<h4>Input</h4>");
        if turn.handoffs.is_empty() {
            out.push_str("<p class=\"muted\">The shared context and the part only: no hand-off.</p>");
        }
        for handoff in &turn.handoffs {
            let _ = write!(
                out,
                "<p>Handed on by {}:</p><pre class=\"input\">{}</pre>",
                xml(&player_name(score, &handoff.from)),
                xml(&handoff.output)
            );
        }
        for retry in &turn.retries {
            let _ = write!(
                out,
                "<p class=\"error\">Attempt {} failed and was tried again after {}: {}</p>",
                retry.attempt.saturating_sub(1),
                duration(retry.delay_ms),
                xml(&retry.reason)
            );
        }
        if let TurnEnd::Failed { error } = &turn.end {
            let _ = write!(out, "<p class=\"error\">Failed: {}</p>", xml(error));
        }
        tool_calls(out, &turn.tools);
        let heading = match turn.end {
            TurnEnd::Finished => "Output",
            TurnEnd::Failed { .. } => "Output before the failure",
            TurnEnd::Unfinished => "Output (the record ends before the turn did)",
        };
        let _ = write!(out, "<h4>{heading}</h4><pre class=\"output\">{}</pre>", xml(&turn.output));
        if let Some(edited) = &turn.edited {
            let _ = write!(out, "<h4>Edited by a person before it was handed on</h4><pre class=\"edited\">{}</pre>", xml(edited));
        }
        out.push_str("</section>\n");
    }
}

/// A turn's tool calls, each open (so it prints) but foldable: the tool and how it went, the
/// arguments pretty-printed (the model's, and a person's edit), the result, failure or rejection.
fn tool_calls(out: &mut String, calls: &[ToolCall]) {
    if calls.is_empty() {
        return;
    }
    let _ = write!(out, "<h4>Tool calls ({})</h4>", calls.len());
    for call in calls {
        let (class, words) = match &call.end {
            ToolEnd::Open => ("open", "the record ends before it did"),
            ToolEnd::Returned { is_error: false, .. } => ("answered", "answered"),
            ToolEnd::Returned { is_error: true, .. } => ("error", "answered with an error"),
            ToolEnd::Failed { .. } => ("failed", "failed"),
            ToolEnd::Rejected => ("rejected", "rejected by a person"),
        };
        let mut facts = vec![words.to_string()];
        match call.decision {
            Some(Decision::Approve) => facts.push("approved by a person".into()),
            Some(Decision::Edit { .. }) => facts.push("arguments edited by a person".into()),
            _ => {}
        }
        if call.elapsed_ms > 0 {
            facts.push(duration(call.elapsed_ms));
        }
        if call.rehearsal {
            facts.push("rehearsal: made-up result".into());
        }
        let _ = write!(
            out,
            "<details class=\"tool-call {class}\" open data-call=\"{}\"><summary><code class=\"tool\">{}</code> · <span class=\"tool-status\">{}</span></summary>",
            xml(&call.call),
            xml(&call.tool),
            xml(&facts.join(" · ")),
        );
        if let Some(arguments) = &call.arguments {
            let _ = write!(out, "<h5>Arguments</h5><pre class=\"tool-arguments\">{}</pre>", xml(&pretty(arguments)));
        }
        match &call.decision {
            Some(Decision::Edit { arguments }) => {
                let _ = write!(
                    out,
                    "<h5>Arguments as a person edited them, before it ran</h5><pre class=\"tool-edited\">{}</pre>",
                    xml(&pretty(arguments))
                );
            }
            Some(Decision::Reject { note }) if !note.trim().is_empty() => {
                let _ = write!(out, "<p class=\"tool-note\">Rejected, with a note for the model: “{}”</p>", xml(note));
            }
            _ => {}
        }
        match &call.end {
            ToolEnd::Returned { result, cut, .. } => {
                let _ = write!(
                    out,
                    "<h5>Result{}</h5><pre class=\"tool-result\">{}</pre>",
                    if *cut { " (cut at the player’s output cap)" } else { "" },
                    xml(result)
                );
            }
            ToolEnd::Failed { error } => {
                let _ = write!(out, "<p class=\"error tool-error\">Failed: {}</p>", xml(error));
            }
            ToolEnd::Open | ToolEnd::Rejected => {}
        }
        out.push_str("</details>");
    }
}

/// A JSON value as the person reads it: indented.
fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

fn player_name(score: &Score, id: &str) -> String {
    score.players.iter().find(|p| p.id == id).map(|p| p.name.trim()).filter(|n| !n.is_empty()).unwrap_or(id).to_string()
}

fn player_zone(score: &Score, id: &str) -> Option<Zone> {
    let player = score.players.iter().find(|p| p.id == id)?;
    player.zone.or_else(|| {
        let section = player.section.as_deref()?;
        score.sections.iter().find(|s| s.id == section).map(|s| s.zone)
    })
}

fn end_class(end: &TurnEnd) -> &'static str {
    match end {
        TurnEnd::Finished => "finished",
        TurnEnd::Failed { .. } => "failed",
        TurnEnd::Unfinished => "unfinished",
    }
}

fn end_words(end: &TurnEnd) -> &'static str {
    match end {
        TurnEnd::Finished => "finished",
        TurnEnd::Failed { .. } => "failed",
        TurnEnd::Unfinished => "did not finish",
    }
}

/// US dollars, to a hundredth of a cent.
fn usd(value: f64) -> String {
    if value.is_finite() { format!("${value:.4}") } else { "$0.0000".into() }
}

/// A moment as UTC date and time.
fn time(ms: u64) -> String {
    i64::try_from(ms)
        .ok()
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// `at` as time since the performance started, `+1.2 s`.
fn offset(at: u64, start: u64) -> String {
    format!("+{}", duration(at.saturating_sub(start)))
}

fn duration(ms: u64) -> String {
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1_000.0)
    } else {
        let secs = ms / 1_000;
        if secs < 3_600 { format!("{} min {} s", secs / 60, secs % 60) } else { format!("{} h {} min", secs / 3_600, secs % 3_600 / 60) }
    }
}
