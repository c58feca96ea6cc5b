//! Program notes: the score as a Markdown document for someone who never installed the studio.
//!
//! Notes travel where a score file does not render: a pull request, a wiki, an email. They say
//! everything a reader needs to judge the ensemble: the intent, the shared context (notes and the
//! list of attached files), the sections, every player with its whole part and its instrument, the
//! cues, the tempo and the budgets, with the Mermaid chart of the ensemble embedded.
//!
//! A score's text is untrusted and may itself be Markdown. Free text (parts, notes, multi-line
//! intent) goes into fenced blocks whose fence is longer than any run of backticks inside, so
//! nothing in it can end the block; short values are written with every Markdown punctuation mark
//! escaped, so a name cannot become a heading, a link, HTML or a table cell break.

use std::fmt::Write;

use ensemble_score::{Instrument, Join, KeyRef, Player, Score, TempoMode, When};

use crate::labels::{instrument_detail, instrument_title, verdict_words, zone_title};
use crate::mermaid::mermaid;
use crate::text::one_line;

/// The score as Markdown program notes, with its Mermaid chart embedded.
pub fn program_notes(score: &Score) -> String {
    let mut out = String::new();
    let title = if score.title.trim().is_empty() { "Untitled score".to_string() } else { inline(&score.title) };
    let _ = writeln!(out, "# {title}\n");
    out.push_str("Program notes for an ensemble score: who plays which part, who hands on to whom, and the limits it runs within.\n\n");

    out.push_str("## Intent\n\n");
    let intent = &score.intent;
    for (heading, text) in [
        ("Goal", &intent.goal),
        ("Why", &intent.why),
        ("For whom", &intent.for_whom),
        ("Done when", &intent.done_when),
        ("Constraints", &intent.constraints),
    ] {
        if !text.trim().is_empty() {
            let _ = writeln!(out, "**{heading}:** {}", prose(text));
        }
    }

    out.push_str("## Shared context\n\n");
    out.push_str("Every player receives this first, identically.\n\n");
    let context = &score.context;
    if !context.notes.trim().is_empty() {
        let _ = writeln!(out, "Notes:\n\n{}", fenced(&context.notes, "text"));
    }
    if context.files.is_empty() {
        out.push_str("Attached files: none.\n\n");
    } else {
        out.push_str("Attached files:\n\n");
        for file in &context.files {
            let _ = writeln!(out, "- {}", code(file));
        }
        out.push('\n');
    }
    if let Some(workspace) = &context.workspace {
        let _ = writeln!(out, "Workspace folder (relative to the score): {}\n", code(workspace));
    }

    out.push_str("## The ensemble\n\n");
    let _ = writeln!(out, "{}", fenced(&mermaid(score), "mermaid"));

    out.push_str("## Sections\n\n");
    if score.sections.is_empty() {
        out.push_str("No sections.\n\n");
    } else {
        out.push_str("| Section | Zone | Players |\n|---|---|---|\n");
        for section in &score.sections {
            let players: Vec<String> = score
                .players
                .iter()
                .filter(|p| p.section.as_deref() == Some(section.id.as_str()))
                .map(|p| inline(display_name(p)))
                .collect();
            let players = if players.is_empty() { "none".to_string() } else { players.join(", ") };
            let _ = writeln!(out, "| {} | {} | {players} |", inline(&section.name), zone_title(Some(section.zone)));
        }
        out.push('\n');
    }

    out.push_str("## Players\n\n");
    if score.players.is_empty() {
        out.push_str("No players.\n\n");
    }
    for player in &score.players {
        player_notes(&mut out, score, player);
    }

    out.push_str("## Cues\n\n");
    if score.cues.is_empty() {
        out.push_str("No cues: every player starts at once.\n\n");
    } else {
        out.push_str("| From | To | When | Loop limit | Checkpoint |\n|---|---|---|---|---|\n");
        for cue in &score.cues {
            let name = |id: &str| score.player(id).map_or_else(|| format!("{} (unknown)", code(id)), |p| inline(display_name(p)));
            let when = match cue.when {
                When::Always => "always".to_string(),
                When::Success => "on success".to_string(),
                When::Failure => "on failure".to_string(),
                When::Verdict => match &cue.verdict {
                    Some(pattern) => format!("verdict {} ({})", code(pattern), inline(&verdict_words(pattern))),
                    None => "verdict".to_string(),
                },
            };
            let limit = cue.max_repeats.map_or("none".to_string(), |n| format!("at most {n} repeats"));
            let checkpoint = if cue.checkpoint { "yes: a person approves the hand-off" } else { "no" };
            let _ = writeln!(out, "| {} | {} | {when} | {limit} | {checkpoint} |", name(&cue.from), name(&cue.to));
        }
        out.push('\n');
    }

    out.push_str("## Tempo and budgets\n\n");
    let tempo = &score.tempo;
    let mode = match tempo.mode {
        TempoMode::Autonomous => "autonomous: every ready player starts at once",
        TempoMode::Step => "step: the person conducting releases each cue",
        TempoMode::Checkpoints => "checkpoints: every cue waits for the person conducting to approve it",
    };
    let _ = writeln!(out, "- Tempo: {mode}");
    let none = || "no limit".to_string();
    let _ = writeln!(out, "- Longest run: {}", tempo.max_wall_secs.map_or_else(none, |s| format!("{s} seconds")));
    let _ = writeln!(out, "- Most tokens: {}", tempo.max_tokens.map_or_else(none, |t| format!("{t} tokens")));
    let _ = writeln!(out, "- Most cost: {}", tempo.max_cost_usd.map_or_else(none, |c| format!("{c} US dollars")));
    out
}

fn display_name(player: &Player) -> &str {
    if player.name.trim().is_empty() { &player.id } else { &player.name }
}

/// One player's notes: where it sits, what plays it, how it starts, and its whole part.
fn player_notes(out: &mut String, score: &Score, player: &Player) {
    let _ = writeln!(out, "### {} ({})\n", inline(display_name(player)), code(&player.id));
    let section = match player.section.as_deref() {
        Some(id) => score.section(id).map_or_else(|| format!("{} (unknown)", code(id)), |s| inline(&s.name)),
        None => "none".to_string(),
    };
    let _ = writeln!(out, "- Section: {section}");
    let _ = writeln!(out, "- Zone: {}", zone_title(score.zone_of(player)));
    let detail = instrument_detail(&player.instrument);
    let detail = if detail.is_empty() { String::new() } else { format!(", {}", code(&detail)) };
    let _ = writeln!(out, "- Instrument: {}{detail}", instrument_title(&player.instrument));
    match &player.instrument {
        Instrument::Openai(o) => {
            let _ = writeln!(out, "- Endpoint: {}", code(&o.base_url));
            if let Some(key) = &o.key {
                let _ = writeln!(out, "- Key: {}", key_source(key));
            }
        }
        Instrument::Anthropic(a) => {
            if let Some(url) = &a.base_url {
                let _ = writeln!(out, "- Endpoint: {}", code(url));
            }
            let _ = writeln!(out, "- Key: {}", key_source(&a.key));
        }
        Instrument::Command(c) => {
            let mut line = c.program.clone();
            for arg in &c.args {
                line.push(' ');
                line.push_str(arg);
            }
            let _ = writeln!(out, "- Runs: {}", code(&line));
        }
        Instrument::Rehearsal(r) if !r.verdicts.is_empty() => {
            let verdicts: Vec<String> = r.verdicts.iter().map(|v| code(v)).collect();
            let _ = writeln!(out, "- Rehearsal verdicts, one per chorus: {}", verdicts.join(", "));
        }
        _ => {}
    }
    if player.join == Join::Any {
        out.push_str("- Starts when any one of its cues fires\n");
    }
    if let Some(t) = player.timeout_secs {
        let _ = writeln!(out, "- Time limit per attempt: {t} seconds");
    }
    if let Some(r) = player.retries {
        let _ = writeln!(out, "- Retries: {r}");
    }
    let _ = writeln!(out, "\nPart:\n\n{}", fenced(&player.part, "text"));
}

/// Where a key comes from, by name only: the key itself is never in a score.
fn key_source(key: &KeyRef) -> String {
    match key {
        KeyRef::Env(name) => format!("from the environment variable {}", code(name)),
        KeyRef::Keychain(name) => format!("from the OS keychain entry {}", code(name)),
    }
}

/// Free text as a paragraph: escaped inline text when it is one line, otherwise a fenced block.
fn prose(text: &str) -> String {
    let text = text.trim();
    if text.contains('\n') { format!("\n\n{}", fenced(text, "text")) } else { format!("{}\n", inline(text)) }
}

/// Text in a fenced block that nothing inside can close: the fence is longer than the longest run
/// of backticks in the text.
pub fn fenced(text: &str, info: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut body: String = text.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
    if !body.ends_with('\n') {
        body.push('\n');
    }
    format!("{fence}{info}\n{body}{fence}\n")
}

/// A short value as inline Markdown: one line, every ASCII punctuation mark backslash-escaped, so
/// nothing in it is read as Markdown or HTML.
pub fn inline(text: &str) -> String {
    let mut out = String::new();
    for c in one_line(text).chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A short value as a code span: backticks around it that nothing inside can close, and pipes
/// escaped so the span can sit in a table cell.
fn code(text: &str) -> String {
    let text = one_line(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{}{pad}{ticks}", text.replace('|', "\\|"))
}
