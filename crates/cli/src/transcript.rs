//! Events in words: the plain display of a run and the `show` transcript say things the same way.

use ensemble_conductor::EventKind;
use ensemble_instruments::Usage;

pub fn seconds(ms: u64) -> String {
    format!("{:.1}s", ms as f64 / 1000.0)
}

pub fn tokens(usage: &Usage) -> u64 {
    usage.input_tokens + usage.output_tokens
}

fn cost(usd: f64) -> String {
    if usd > 0.0 { format!(", ${usd:.4}") } else { String::new() }
}

/// One line about an event, or `None` for events a person does not read one by one (tokens).
pub fn describe(kind: &EventKind) -> Option<String> {
    Some(match kind {
        EventKind::PerformanceStarted { performance, title, players, offline, resumed, .. } => {
            let how = if *offline { ", offline: every part rehearsed" } else { "" };
            let verb = if *resumed { "resumed" } else { "started" };
            format!("performance {performance} {verb}: {title} ({} players{how})", players.len())
        }
        EventKind::PlayerCued { player, chorus, instrument, rehearsal, handoffs, .. } => {
            let mut line = format!("{player} cued");
            if *chorus > 1 {
                line.push_str(&format!(" (chorus {chorus})"));
            }
            line.push_str(&format!(" on {instrument}"));
            if *rehearsal && instrument != "rehearsal" {
                line.push_str(" (rehearsal)");
            }
            if !handoffs.is_empty() {
                let from: Vec<&str> = handoffs.iter().map(|h| h.from.as_str()).collect();
                line.push_str(&format!(" with hand-offs from {}", from.join(", ")));
            }
            line
        }
        EventKind::Token { .. } => return None,
        EventKind::PlayerRetrying { player, attempt, delay_ms, reason, cost_usd, .. } => {
            format!("{player} retrying (attempt {attempt} in {}{}): {reason}", seconds(*delay_ms), cost(*cost_usd))
        }
        EventKind::PlayerFinished { player, chorus, usage, cost_usd, elapsed_ms, .. } => {
            let chorus = if *chorus > 1 { format!(" chorus {chorus}") } else { String::new() };
            format!("{player} finished{chorus} ({}, {} tokens{})", seconds(*elapsed_ms), tokens(usage), cost(*cost_usd))
        }
        EventKind::PlayerFailed { player, error, elapsed_ms, cost_usd, .. } => {
            format!("{player} failed after {}{}: {error}", seconds(*elapsed_ms), cost(*cost_usd))
        }
        EventKind::PlayerSkipped { player, reason } => format!("{player} skipped: {reason}"),
        EventKind::PlayerCarried { player, from_performance, chorus, failed, .. } => {
            let chorus = if *chorus > 1 { format!(" (chorus {chorus})") } else { String::new() };
            let how = if *failed { ", as it failed there" } else { "" };
            format!("{player} carried over from {from_performance}{chorus}{how}")
        }
        EventKind::HumanWaiting { player, .. } => format!("{player} waits for a person"),
        EventKind::ToolWaiting { player, tool, .. } => format!("{player} waits for approval to call {tool}"),
        EventKind::ToolResolved { tool, decision, .. } => match decision {
            ensemble_instruments::tools::Decision::Approve => format!("{tool} approved"),
            ensemble_instruments::tools::Decision::Reject { note } => format!("{tool} rejected: {note}"),
            ensemble_instruments::tools::Decision::Edit { arguments } => format!("{tool} approved with arguments {arguments}"),
        },
        EventKind::ToolCalled { player, tool, arguments, rehearsal, .. } => {
            format!("{player} calls {tool} {arguments}{}", if *rehearsal { " (rehearsal)" } else { "" })
        }
        EventKind::ToolReturned { tool, is_error, cut, elapsed_ms, .. } => {
            let how = match (*is_error, *cut) {
                (true, _) => " with an error",
                (false, true) => " (cut at the output cap)",
                _ => "",
            };
            format!("{tool} answered{how} in {}", seconds(*elapsed_ms))
        }
        EventKind::ToolFailed { tool, error, .. } => format!("{tool} failed: {error}"),
        EventKind::CueFired { from, to, count } => {
            if *count > 1 { format!("{from} -> {to} (time {count})") } else { format!("{from} -> {to}") }
        }
        EventKind::CueHeld { from, to, reason } => format!("{from} -> {to} held: {reason}"),
        EventKind::CheckpointWaiting { from, to } => format!("checkpoint {from} -> {to} waits for approval"),
        EventKind::CheckpointResolved { from, to, approved, note } => {
            let verdict = if *approved { "approved" } else { "rejected" };
            let note = note.as_deref().map(|n| format!(": {n}")).unwrap_or_default();
            format!("checkpoint {from} -> {to} {verdict}{note}")
        }
        EventKind::OutputEdited { player, .. } => format!("{player}'s output was edited"),
        EventKind::Paused => "paused".into(),
        EventKind::Resumed => "resumed".into(),
        EventKind::Stepped { player } => format!("stepped: {player}"),
        EventKind::TempoChanged { mode } => format!("tempo set to {}", tempo_word(*mode)),
        EventKind::BudgetExceeded { budget, limit, used } => format!("{budget} budget exceeded: used {used} of {limit}"),
        EventKind::PerformanceFinished { outcome, reason, usage, cost_usd, elapsed_ms, players, never_cued, carried } => {
            let outcome = honest_outcome(*outcome, *players, *never_cued, *carried);
            let reason = reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
            format!("performance {outcome}{reason} ({}, {} tokens{})", seconds(*elapsed_ms), tokens(usage), cost(*cost_usd))
        }
        // Kinds added to the conductor later still show up in `--json` and the store.
        #[allow(unreachable_patterns)]
        _ => return None,
    })
}

/// The text that belongs under an event's line in a transcript (outputs), if any.
pub fn body(kind: &EventKind) -> Option<&str> {
    match kind {
        EventKind::PlayerFinished { output, .. } | EventKind::OutputEdited { output, .. } | EventKind::PlayerCarried { output, .. } => Some(output),
        EventKind::PlayerFailed { partial_output, .. } if !partial_output.is_empty() => Some(partial_output),
        EventKind::HumanWaiting { question, .. } => Some(question),
        EventKind::ToolReturned { result, .. } => Some(result),
        _ => None,
    }
}

/// The tempo as the score file spells it.
pub fn tempo_word(mode: ensemble_score::TempoMode) -> &'static str {
    match mode {
        ensemble_score::TempoMode::Autonomous => "autonomous",
        ensemble_score::TempoMode::Step => "step",
        ensemble_score::TempoMode::Checkpoints => "checkpoints",
    }
}

/// The outcome as the finish tells it: a success that left players uncued says so, and a fork
/// says how many players it carried over (logs from before the counts were kept: the bare word).
pub fn honest_outcome(outcome: ensemble_conductor::Outcome, players: u32, never_cued: u32, carried: u32) -> String {
    if outcome == ensemble_conductor::Outcome::Succeeded && (never_cued > 0 || carried > 0) {
        outcome.summary(players, never_cued, carried)
    } else {
        let mut word = outcome_word(outcome).to_string();
        if never_cued > 0 {
            word.push_str(&format!(", {never_cued} of {players} players never cued"));
        }
        if carried > 0 {
            word.push_str(&format!(", {carried} carried over"));
        }
        word
    }
}

pub fn outcome_word(outcome: ensemble_conductor::Outcome) -> &'static str {
    match outcome {
        ensemble_conductor::Outcome::Succeeded => "succeeded",
        ensemble_conductor::Outcome::Failed => "failed",
        ensemble_conductor::Outcome::CutOff => "cut_off",
        ensemble_conductor::Outcome::BudgetExceeded => "budget_exceeded",
    }
}
