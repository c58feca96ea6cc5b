//! The score as a Mermaid flowchart, which code-hosting sites render from a Markdown file.
//!
//! A chart in the repository beside the score shows the ensemble to anyone reading it online.
//! Sections become subgraphs, players nodes, cues edges labelled with their condition, loop limit
//! and checkpoint (the same labels as the picture).
//!
//! Mermaid ids may hold only some characters and a few words are reserved (`end`), so nodes get
//! generated ids (`p0`, `s0`, …) and the score's names go into quoted labels. Inside a label every
//! character Mermaid or HTML could read as syntax is written as a Mermaid entity (`#quot;`,
//! `#lt;`, …), so a hostile name stays text.

use std::collections::HashMap;
use std::fmt::Write;

use ensemble_score::{Score, When, Zone};

use crate::labels::{cue_label, instrument_title, zone_colour, zone_title};
use crate::text::{one_line, shorten};

/// Longest name shown in a chart node, in characters.
const NAME_CHARS: usize = 40;

/// The score as a Mermaid `flowchart LR`.
pub fn mermaid(score: &Score) -> String {
    let mut player_ids: HashMap<&str, String> = HashMap::new();
    for (i, p) in score.players.iter().enumerate() {
        player_ids.entry(p.id.as_str()).or_insert_with(|| format!("p{i}"));
    }
    let mut section_of: HashMap<&str, usize> = HashMap::new();
    for (i, s) in score.sections.iter().enumerate() {
        section_of.entry(s.id.as_str()).or_insert(i);
    }

    let mut out = String::from("flowchart LR\n");
    let node = |i: usize| {
        let p = &score.players[i];
        let name = if p.name.trim().is_empty() { &p.id } else { &p.name };
        let zone = score.zone_of(p);
        format!(
            "p{i}[\"{}<br/>{} · {}\"]",
            label(&shorten(&one_line(name), NAME_CHARS)),
            zone_title(zone),
            instrument_title(&p.instrument)
        )
    };
    // Which section each player is drawn in (the first section with the id it names).
    let home: Vec<Option<usize>> =
        score.players.iter().map(|p| p.section.as_deref().and_then(|s| section_of.get(s).copied())).collect();
    for (s, section) in score.sections.iter().enumerate() {
        let title = format!("{} ({})", shorten(&one_line(&section.name), NAME_CHARS), zone_title(Some(section.zone)));
        let _ = writeln!(out, "  subgraph s{s}[\"{}\"]", label(&title));
        for (i, _) in score.players.iter().enumerate().filter(|(i, _)| home[*i] == Some(s)) {
            let _ = writeln!(out, "    {}", node(i));
        }
        out.push_str("  end\n");
    }
    for (i, _) in score.players.iter().enumerate().filter(|(i, _)| home[*i].is_none()) {
        let _ = writeln!(out, "  {}", node(i));
    }

    for cue in &score.cues {
        let (Some(from), Some(to)) = (player_ids.get(cue.from.as_str()), player_ids.get(cue.to.as_str())) else {
            continue;
        };
        // Loop cues are dotted, checkpoints thick; the label says it in words as well.
        let arrow = if cue.max_repeats.is_some() {
            "-.->"
        } else if cue.checkpoint {
            "==>"
        } else {
            "-->"
        };
        let text = cue_label(cue);
        if text.is_empty() {
            let _ = writeln!(out, "  {from} {arrow} {to}");
        } else {
            let _ = writeln!(out, "  {from} {arrow}|\"{}\"| {to}", label(&text));
        }
    }

    // Colours: players by their zone, sections tinted by theirs, failure cues in the failure colour.
    for zone in Zone::ALL {
        let colour = zone_colour(Some(zone));
        let _ = writeln!(out, "  classDef {} fill:#ffffff,stroke:{colour},stroke-width:2px", class(zone));
    }
    for zone in Zone::ALL {
        let members: Vec<String> = score
            .players
            .iter()
            .enumerate()
            .filter(|(_, p)| score.zone_of(p) == Some(zone))
            .map(|(i, _)| format!("p{i}"))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {}", members.join(","), class(zone));
        }
    }
    for (s, section) in score.sections.iter().enumerate() {
        let colour = zone_colour(Some(section.zone));
        let _ = writeln!(out, "  style s{s} fill:{colour}14,stroke:{colour}");
    }
    let drawn = score
        .cues
        .iter()
        .filter(|c| player_ids.contains_key(c.from.as_str()) && player_ids.contains_key(c.to.as_str()));
    for (n, cue) in drawn.enumerate() {
        if cue.when == When::Failure {
            let _ = writeln!(out, "  linkStyle {n} stroke:#d55e00");
        }
    }
    out
}

fn class(zone: Zone) -> &'static str {
    match zone {
        Zone::Innovator => "innovator",
        Zone::Integrator => "integrator",
        Zone::Improver => "improver",
        Zone::Stabilizer => "stabilizer",
    }
}

/// Text for inside a quoted Mermaid label: characters that Mermaid or HTML would read as syntax
/// become Mermaid entity codes, which it shows as the characters themselves.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' | '%' | '|' | '[' | ']' | '{' | '}' => {
                let _ = write!(out, "#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}
