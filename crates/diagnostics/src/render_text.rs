//! The report for a terminal: compact, plain text, widths fixed so columns line up.

use std::fmt::Write;


use crate::alignment::zone_name;
use crate::report::{Metric, Report};
use crate::svg::spark_chars;

/// Renders `report` as plain text.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Ensemble diagnosis: {}", one_line(&report.title));
    let _ = writeln!(out, "score {}, {} performance(s)", report.score_hash, report.performances.len());

    let _ = writeln!(out, "\nALIGNMENT");
    if report.alignment.players.is_empty() {
        let _ = writeln!(out, "  no players");
    }
    for p in &report.alignment.players {
        let s = &p.scores;
        let _ = writeln!(
            out,
            "  {:<20} declared {:<10} plays as {:<10} inn {:>3.0}% int {:>3.0}% imp {:>3.0}% sta {:>3.0}%{}",
            clip(&p.player, 20),
            p.declared.map(zone_name).unwrap_or("-"),
            zone_name(p.inferred),
            s.innovator * 100.0,
            s.integrator * 100.0,
            s.improver * 100.0,
            s.stabilizer * 100.0,
            if p.mismatch { "  ! mismatch" } else { "" }
        );
    }
    for person in &report.alignment.people {
        let primary: Vec<&str> = person.primary.iter().map(|z| zone_name(*z)).collect();
        let _ = writeln!(
            out,
            "  person {:<13} primary: {}{}",
            clip(&person.person, 13),
            if primary.is_empty() { "none (a flat profile)".to_string() } else { primary.join(", ") },
            if person.plays.is_empty() { String::new() } else { format!("  plays {}", person.plays.join(", ")) }
        );
    }
    metric(&mut out, &report.alignment.mismatches);

    let _ = writeln!(out, "\nSURVEY");
    if report.respondents.is_empty() {
        let _ = writeln!(out, "  nobody has answered yet");
    }
    for r in &report.respondents {
        let _ = writeln!(
            out,
            "  {:<20} answered {:<10}  primary: {:<28}  {}",
            clip(&r.person, 20),
            r.answered_on(),
            r.primary_words(),
            r.parts()
        );
    }

    let _ = writeln!(out, "\nCOMPOSITION");
    for z in &report.composition.zones {
        let bar = "#".repeat((z.share * 20.0).round() as usize);
        let _ = writeln!(out, "  {:<10} {:<20} {:>3.0}%  {}", zone_name(z.zone), bar, z.share * 100.0, z.players.join(", "));
    }
    metric(&mut out, &report.composition.imbalance);
    metric(&mut out, &report.composition.gap_count);

    let _ = writeln!(out, "\nATTUNEMENT");
    for d in &report.attunement {
        let _ = writeln!(out, "  {}", d.title);
        for m in &d.metrics {
            metric(&mut out, m);
        }
    }

    if !report.step_forward.is_empty() {
        let _ = writeln!(out, "\nWHO SHOULD STEP FORWARD");
        for s in &report.step_forward {
            let _ = writeln!(
                out,
                "  {} ({}): {} {}: {}",
                s.performance,
                s.situation,
                zone_name(s.zone),
                s.player.as_deref().unwrap_or("(nobody)"),
                one_line(&s.why)
            );
        }
    }

    let _ = writeln!(out, "\nADVICE");
    if report.advice.is_empty() {
        let _ = writeln!(out, "  nothing flagged");
    }
    for a in &report.advice {
        let _ = writeln!(out, "  - {}", one_line(&a.text));
    }

    if report.trend.iter().any(|t| t.points.len() > 1) {
        let _ = writeln!(out, "\nTREND (oldest to now)");
        for t in report.trend.iter().filter(|t| t.points.iter().filter(|p| p.value.is_some()).count() > 1) {
            let values: Vec<Option<f64>> = t.points.iter().map(|p| p.value).collect();
            let last = values.iter().rev().flatten().next().map(|v| format!("{v:.2}")).unwrap_or_default();
            let _ = writeln!(out, "  {:<28} {} {last}", t.id, spark_chars(&values));
        }
    }
    let performed: Vec<_> = report.performance_trend.iter().filter(|t| t.points.iter().filter(|p| p.value.is_some()).count() > 1).collect();
    if !performed.is_empty() {
        let _ = writeln!(out, "\nOVER THE LAST {} PERFORMANCES (oldest to latest)", report.performance_trend.first().map(|t| t.points.len()).unwrap_or(0));
        for t in performed {
            let values: Vec<Option<f64>> = t.points.iter().map(|p| p.value).collect();
            let last = values.iter().rev().flatten().next().map(|v| format!("{v:.2}")).unwrap_or_default();
            let _ = writeln!(out, "  {:<28} {} {last}", t.id, spark_chars(&values));
        }
    }
    if !report.followed.is_empty() {
        let _ = writeln!(out, "\nEARLIER ADVICE");
        for f in &report.followed {
            let state = if f.followed { "followed" } else if f.still_given { "open" } else { "no longer needed" };
            let _ = writeln!(out, "  [{state}] {}", one_line(&f.text));
        }
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out, "\nNOTES");
        for n in &report.notes {
            let _ = writeln!(out, "  - {}", one_line(n));
        }
    }
    out
}

fn metric(out: &mut String, m: &Metric) {
    let _ = writeln!(
        out,
        "  {} {:<38} {:>14}  {:<22} {}",
        if m.flagged { "!" } else { " " },
        clip(&m.name, 38),
        m.display(),
        m.threshold_text(),
        one_line(&m.evidence.summary)
    );
    for a in &m.advice {
        let _ = writeln!(out, "      -> {}", one_line(&a.text));
    }
}

/// Text from the score on one line: control characters (an escape sequence could repaint a
/// terminal) become spaces.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn clip(text: &str, width: usize) -> String {
    let line = one_line(text);
    if line.chars().count() <= width { line } else { format!("{}~", line.chars().take(width - 1).collect::<String>()) }
}
