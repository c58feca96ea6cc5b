//! The report as one self-contained HTML file: inline CSS (with print rules, so it prints to a
//! clean PDF), inline SVG charts, no script and nothing fetched from the network. Everything
//! that comes from the score or the events is escaped: a score is untrusted input. The score's
//! picture, when given, is embedded as a base64 image, where an SVG can run no script.

use std::fmt::Write;

use ensemble_score::Zone;

use crate::alignment::zone_name;
use crate::report::{Metric, Report};
use crate::svg::{bars, base64, escape, gauge, sparkline};

const STYLE: &str = r#"
:root{--ink:#1d2330;--muted:#5b6475;--line:#d9dde5;--bg:#ffffff;--card:#f7f8fa;--flag:#c0392b;--ok:#2e7d5b;--accent:#3b5bdb}
*{box-sizing:border-box}body{margin:0;padding:32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 8px}
.meta,.muted{color:var(--muted)}table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted)}td.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--ok);border-radius:6px;padding:10px 12px;break-inside:avoid}
.card.flagged{border-left-color:var(--flag)}.card .value{font-size:22px;font-weight:650}.card.flagged .value{color:var(--flag)}
.card .formula,.card .evidence{font-size:12px;color:var(--muted)}.card ul{margin:6px 0 0;padding-left:18px}.badge{display:inline-block;font-size:11px;padding:1px 6px;border-radius:9px;background:var(--flag);color:#fff;margin-left:6px}
.advice li{margin:4px 0}.mismatch{color:var(--flag);font-weight:600}
svg .label,svg .value{font-size:12px;fill:var(--ink)}svg .track{fill:var(--line)}svg .axis{stroke:var(--line);stroke-width:3}svg .threshold{stroke:var(--ink);stroke-width:2}
svg .dot{fill:var(--ok)}svg .dot.flagged{fill:var(--flag)}svg .line{fill:none;stroke:var(--accent);stroke-width:1.5}svg .end{fill:var(--accent)}
.trend{display:inline-flex;flex-direction:column;margin-right:10px;font-size:11px}figure{margin:0}figure img{max-width:100%;border:1px solid var(--line)}
@media print{body{padding:0;font-size:11px}.card{background:none}h2{break-after:avoid}a{color:inherit}}
"#;

const ZONE_COLOURS: [(Zone, &str); 4] = [(Zone::Innovator, "#e8590c"), (Zone::Integrator, "#3b5bdb"), (Zone::Improver, "#2b8a3e"), (Zone::Stabilizer, "#862e9c")];

/// Renders `report` as one HTML file; `picture_svg` is the score's picture, if the caller has one.
pub fn render_html(report: &Report, picture_svg: Option<&str>) -> String {
    let mut h = String::with_capacity(32 * 1024);
    let title = escape(&report.title);
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Diagnosis: {title}</title><style>{STYLE}</style></head><body>"#
    );
    let _ = write!(
        h,
        r#"<h1>Ensemble diagnosis: {title}</h1><p class="meta">Score {} &middot; {} performance(s) &middot; {} piece(s) of advice</p>"#,
        escape(&report.score_hash),
        report.performances.len(),
        report.advice.len()
    );
    if let Some(svg) = picture_svg {
        let _ = write!(h, r#"<figure><img alt="the score" src="data:image/svg+xml;base64,{}"></figure>"#, base64(svg.as_bytes()));
    }

    // Advice first: it is what a reader acts on.
    h.push_str("<h2>Advice</h2>");
    if report.advice.is_empty() {
        h.push_str(r#"<p class="muted">Nothing flagged.</p>"#);
    } else {
        h.push_str(r#"<ul class="advice">"#);
        for a in &report.advice {
            let _ = write!(h, "<li>{}</li>", escape(&a.text));
        }
        h.push_str("</ul>");
    }
    if !report.step_forward.is_empty() {
        h.push_str("<h3>Who should step forward</h3><table><tr><th>performance</th><th>situation</th><th>zone</th><th>player</th><th>why</th></tr>");
        for s in &report.step_forward {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&s.performance),
                escape(&s.situation),
                zone_name(s.zone),
                escape(s.player.as_deref().unwrap_or("nobody")),
                escape(&s.why)
            );
        }
        h.push_str("</table>");
    }

    h.push_str("<h2>Composition</h2>");
    let rows: Vec<(&str, f64, &str, String)> = report
        .composition
        .zones
        .iter()
        .map(|z| {
            let colour = ZONE_COLOURS.iter().find(|(zone, _)| *zone == z.zone).map(|(_, c)| *c).unwrap_or("#888");
            (zone_name(z.zone), z.share, colour, format!("{} player(s)", z.players.len()))
        })
        .collect();
    h.push_str(&bars(&rows));
    h.push_str(r#"<div class="cards">"#);
    card(&mut h, &report.composition.imbalance, report);
    card(&mut h, &report.composition.gap_count, report);
    h.push_str("</div>");

    h.push_str("<h2>Alignment</h2><table><tr><th>player</th><th>section</th><th>declared</th><th>plays as</th><th class=num>Innovator</th><th class=num>Integrator</th><th class=num>Improver</th><th class=num>Stabilizer</th><th>signals</th></tr>");
    for p in &report.alignment.players {
        let signals: Vec<String> = p.signals.iter().map(|s| format!("{} ({:.0}%): {}", s.source, s.weight * 100.0, s.why)).collect();
        let _ = write!(
            h,
            r#"<tr><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td><td class=num>{:.0}%</td><td class=num>{:.0}%</td><td class=num>{:.0}%</td><td class=num>{:.0}%</td><td class="muted">{}</td></tr>"#,
            escape(&p.name),
            escape(p.section.as_deref().unwrap_or("")),
            p.declared.map(zone_name).unwrap_or("-"),
            if p.mismatch { r#" class="mismatch""# } else { "" },
            zone_name(p.inferred),
            p.scores.innovator * 100.0,
            p.scores.integrator * 100.0,
            p.scores.improver * 100.0,
            p.scores.stabilizer * 100.0,
            escape(&signals.join("; "))
        );
    }
    h.push_str("</table>");
    h.push_str("<h3>Who answered the survey</h3>");
    if report.respondents.is_empty() {
        h.push_str(r#"<p class="muted">Nobody has answered yet.</p>"#);
    } else {
        h.push_str(r#"<table class="respondents"><tr><th>person</th><th>answered</th><th>primary zones</th><th>counted</th></tr>"#);
        for r in &report.respondents {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&r.person),
                r.answered_on(),
                escape(&r.primary_words()),
                r.parts()
            );
        }
        h.push_str("</table>");
    }
    if !report.alignment.people.is_empty() {
        h.push_str("<h3>People</h3><table><tr><th>person</th><th>primary zones</th><th class=num>Innovator</th><th class=num>Integrator</th><th class=num>Improver</th><th class=num>Stabilizer</th><th>plays</th></tr>");
        for p in &report.alignment.people {
            let primary: Vec<&str> = p.primary.iter().map(|z| zone_name(*z)).collect();
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=num>{:.0}%</td><td class=num>{:.0}%</td><td class=num>{:.0}%</td><td class=num>{:.0}%</td><td>{}</td></tr>",
                escape(&p.person),
                if primary.is_empty() { "none (flat profile)".to_string() } else { primary.join(", ") },
                p.scores.innovator * 100.0,
                p.scores.integrator * 100.0,
                p.scores.improver * 100.0,
                p.scores.stabilizer * 100.0,
                escape(&p.plays.join(", "))
            );
        }
        h.push_str("</table>");
    }
    h.push_str(r#"<div class="cards">"#);
    card(&mut h, &report.alignment.mismatches, report);
    h.push_str("</div>");

    h.push_str("<h2>Attunement</h2>");
    for d in &report.attunement {
        let _ = write!(h, r#"<h3>{}</h3><div class="cards">"#, escape(&d.title));
        for m in &d.metrics {
            card(&mut h, m, report);
        }
        h.push_str("</div>");
    }

    if !report.followed.is_empty() {
        h.push_str("<h2>Earlier advice</h2><table><tr><th>advice</th><th>state</th></tr>");
        for f in &report.followed {
            let state = if f.followed { "followed" } else if f.still_given { "open" } else { "no longer needed" };
            let _ = write!(h, "<tr><td>{}</td><td>{state}</td></tr>", escape(&f.text));
        }
        h.push_str("</table>");
    }
    if !report.notes.is_empty() {
        h.push_str("<h2>Notes</h2><ul>");
        for n in &report.notes {
            let _ = write!(h, "<li>{}</li>", escape(n));
        }
        h.push_str("</ul>");
    }
    h.push_str("</body></html>\n");
    h
}

/// One metric as a card: value, value-vs-threshold scale, trend sparkline, formula, evidence, advice.
fn card(h: &mut String, m: &Metric, report: &Report) {
    let threshold = m.threshold.map(|t| t.value);
    let (lo, hi) = m.unit.range(m.value, threshold);
    let trend: Vec<Option<f64>> = report.trend.iter().find(|t| t.id == m.id).map(|t| t.points.iter().map(|p| p.value).collect()).unwrap_or_default();
    let performed: Vec<Option<f64>> =
        report.performance_trend.iter().find(|t| t.id == m.id).map(|t| t.points.iter().map(|p| p.value).collect()).unwrap_or_default();
    let sparks = [("over diagnoses", sparkline(&trend)), ("over performances", sparkline(&performed))]
        .into_iter()
        .filter(|(_, svg)| !svg.is_empty())
        .map(|(caption, svg)| format!(r#"<span class="trend">{svg}<span class="muted">{caption}</span></span>"#))
        .collect::<String>();
    let _ = write!(
        h,
        r#"<div class="card{}"><div>{}{}</div><div class="value">{}</div>{}{}<div class="muted">{}</div><div class="formula">{}</div><div class="evidence">{}</div>"#,
        if m.flagged { " flagged" } else { "" },
        escape(&m.name),
        if m.flagged { r#"<span class="badge">flagged</span>"# } else { "" },
        escape(&m.display()),
        gauge(m.value, threshold, lo, hi, m.flagged),
        sparks,
        escape(&m.threshold_text()),
        escape(&m.formula),
        escape(&m.evidence.summary)
    );
    if !m.advice.is_empty() {
        h.push_str("<ul>");
        for a in &m.advice {
            let _ = write!(h, "<li>{}</li>", escape(&a.text));
        }
        h.push_str("</ul>");
    }
    h.push_str("</div>");
}
