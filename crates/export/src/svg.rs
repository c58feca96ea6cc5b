//! The score as a picture (SVG), drawn the way the studio's canvas draws it.
//!
//! A picture lets someone see an ensemble without installing the studio, and the command line can
//! make one headless. It uses the canvas geometry ([`ensemble_score::GEOMETRY`]) and the same
//! layout for anything the score does not place itself, so the picture matches what the canvas
//! shows: section frames tinted by zone, player nodes with name, zone and instrument, cues with
//! their conditions, loop limits and checkpoints, and a legend.
//!
//! The score is untrusted: every piece of its text is put on one line, shortened with an ellipsis
//! to fit its box, and escaped for XML. Anything with a position that cannot be drawn (not a
//! finite number) is left out rather than breaking the picture.

use std::collections::HashMap;
use std::fmt::Write;

use ensemble_score::{GEOMETRY, Player, Rect, Score, When, Zone, place_unplaced};

use crate::labels::{cue_label, instrument_detail, instrument_title, zone_colour, zone_role, zone_title};
use crate::text::{one_line, shorten, xml};

const MARGIN: f64 = 40.0;
const TITLE_HEIGHT: f64 = 44.0;
const FONT: &str = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";
const INK: &str = "#1f2328";
const MUTED: &str = "#5b6170";
const CUE: &str = "#5b6170";
const FAILURE: &str = "#d55e00";
const NODE_BORDER: &str = "#c8ccd2";
/// Characters that fit on one line of a player node, at its font size.
const NAME_CHARS: usize = 24;
const LINE_CHARS: usize = 34;
/// Approximate width of one character of label text (11px), for sizing label backgrounds.
const LABEL_CHAR_WIDTH: f64 = 6.4;

/// The legend's size; it is drawn under the score.
const LEGEND_WIDTH: f64 = 640.0;
const LEGEND_HEIGHT: f64 = 150.0;

/// The score as an SVG document. Players and sections without a saved position are placed first
/// (on a copy; the score is not changed).
pub fn svg(score: &Score) -> String {
    let mut score = score.clone();
    place_unplaced(&mut score);
    Picture::of(&score).render(&score)
}

/// A cue ready to draw: its path, where its label goes and how it looks.
struct Stroke {
    path: String,
    label: String,
    at: (f64, f64),
    /// Whether the label starts at `at` (beside a column) rather than being centred on it.
    label_starts: bool,
    dashed: bool,
    colour: &'static str,
    extent: Rect,
}

/// What the picture holds, in canvas coordinates, and the extent of it all.
struct Picture {
    strokes: Vec<Stroke>,
    /// The smallest rectangle holding every frame, node and cue (canvas coordinates).
    content: Rect,
}

impl Picture {
    fn of(score: &Score) -> Picture {
        let g = GEOMETRY;
        let mut boxes: HashMap<&str, Rect> = HashMap::new();
        for p in &score.players {
            let b = g.player_box(p);
            if finite(&b) {
                boxes.entry(p.id.as_str()).or_insert(b);
            }
        }
        let strokes: Vec<Stroke> = score
            .cues
            .iter()
            .filter_map(|cue| {
                let (from, to) = (boxes.get(cue.from.as_str())?, boxes.get(cue.to.as_str())?);
                let mut stroke = route(from, to);
                stroke.label = cue_label(cue);
                if stroke.label_starts && !stroke.label.is_empty() {
                    // A label beside a column reaches out from the bracket: the picture holds it.
                    let reach = label_width(&stroke.label) + 4.0;
                    stroke.extent = stroke.extent.union(&Rect { x: stroke.at.0, y: stroke.at.1 - 9.0, width: reach, height: 18.0 });
                }
                stroke.dashed = cue.max_repeats.is_some();
                stroke.colour = if cue.when == When::Failure { FAILURE } else { CUE };
                Some(stroke)
            })
            .collect();
        let frames = score.sections.iter().map(|s| g.section_frame(s));
        let content = frames
            .chain(boxes.values().copied())
            .chain(strokes.iter().map(|s| s.extent))
            .filter(finite)
            .reduce(|a, b| a.union(&b))
            .unwrap_or(Rect { x: 0.0, y: 0.0, width: 0.0, height: 0.0 });
        Picture { strokes, content }
    }

    fn render(&self, score: &Score) -> String {
        let g = GEOMETRY;
        let c = self.content;
        let width = (c.width.max(LEGEND_WIDTH) + 2.0 * MARGIN).ceil();
        let height = (TITLE_HEIGHT + c.height + MARGIN + LEGEND_HEIGHT + 2.0 * MARGIN).ceil();
        let (dx, dy) = (MARGIN - c.x, MARGIN + TITLE_HEIGHT - c.y);
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}">"#
        );
        let _ = write!(out, "<title>{}</title>", xml(&one_line(&score.title)));
        out.push_str(&markers());
        let _ = write!(out, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
        let _ = write!(
            out,
            r#"<text x="{MARGIN}" y="{}" font-size="20" font-weight="700" fill="{INK}">{}</text>"#,
            MARGIN + 4.0,
            xml(&shorten(&one_line(&score.title), 80))
        );

        let _ = write!(out, r#"<g transform="translate({} {})">"#, num(dx), num(dy));
        for section in &score.sections {
            let frame = g.section_frame(section);
            if finite(&frame) && frame.width > 0.0 && frame.height > 0.0 {
                out.push_str(&section_svg(&frame, &section.name, section.zone));
            }
        }
        for stroke in &self.strokes {
            let dash = if stroke.dashed { r#" stroke-dasharray="6 4""# } else { "" };
            let marker = if stroke.colour == FAILURE { "arrow-failure" } else { "arrow" };
            let _ = write!(
                out,
                r#"<path d="{}" fill="none" stroke="{}" stroke-width="1.6"{dash} marker-end="url(#{marker})"/>"#,
                stroke.path, stroke.colour
            );
        }
        for player in &score.players {
            let node = g.player_box(player);
            if finite(&node) {
                out.push_str(&player_svg(&node, player, score.zone_of(player)));
            }
        }
        for stroke in &self.strokes {
            if !stroke.label.is_empty() {
                out.push_str(&label_svg(stroke));
            }
        }
        out.push_str("</g>");
        out.push_str(&legend(MARGIN, MARGIN + TITLE_HEIGHT + c.height + MARGIN));
        out.push_str("</svg>\n");
        out
    }
}

fn finite(r: &Rect) -> bool {
    r.x.is_finite() && r.y.is_finite() && r.width.is_finite() && r.height.is_finite()
}

/// A number as SVG writes it: no exponent, no needless decimals.
fn num(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    if rounded == rounded.trunc() { format!("{}", rounded as i64) } else { format!("{rounded}") }
}

/// The arrowheads cues end with.
fn markers() -> String {
    let marker = |id: &str, colour: &str| {
        format!(
            r#"<marker id="{id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>"#
        )
    };
    format!("<defs>{}{}</defs>", marker("arrow", CUE), marker("arrow-failure", FAILURE))
}

/// The path of a cue from one node to another, as the canvas draws it (ui/src/canvas/cuePath.ts):
/// between two nodes of one column, a bracket beside the column from the right side of `from`
/// into the right side of `to`, its label starting at the bracket's outer point; a gentle curve
/// from the right side of `from` to the left side of `to` when `to` lies to the right; otherwise
/// (a loop back, or a cue to itself) an arc under both nodes, as the canvas draws a review loop.
fn route(from: &Rect, to: &Rect) -> Stroke {
    let (sx, sy) = (from.right(), from.y + from.height / 2.0);
    let (tx, ty) = (to.x, to.y + to.height / 2.0);
    let (path, at, extent);
    let one_column = (from.x - to.x).abs() < from.width && (from.y - to.y).abs() >= from.height;
    if one_column {
        let tx = to.right();
        let out = ((ty - sy).abs() * 0.25).clamp(36.0, 80.0);
        let edge = sx.max(tx) + out;
        path = format!(
            "M {} {} C {} {}, {} {}, {} {}",
            num(sx), num(sy), num(edge), num(sy), num(edge), num(ty), num(tx), num(ty)
        );
        at = ((sx + tx) / 8.0 + edge * 3.0 / 4.0, (sy + ty) / 2.0);
        extent = Rect { x: sx.min(tx), y: sy.min(ty), width: edge - sx.min(tx), height: (sy - ty).abs() };
        return Stroke { path, label: String::new(), at, label_starts: true, dashed: false, colour: CUE, extent };
    }
    if tx > sx + 20.0 {
        let bend = ((tx - sx) / 2.0).max(40.0);
        let (c1, c2) = ((sx + bend, sy), (tx - bend, ty));
        path = format!(
            "M {} {} C {} {}, {} {}, {} {}",
            num(sx), num(sy), num(c1.0), num(c1.1), num(c2.0), num(c2.1), num(tx), num(ty)
        );
        at = ((sx + 3.0 * c1.0 + 3.0 * c2.0 + tx) / 8.0, (sy + 3.0 * c1.1 + 3.0 * c2.1 + ty) / 8.0);
        extent = Rect { x: sx, y: sy.min(ty), width: tx - sx, height: (sy - ty).abs() };
    } else {
        let drop = ((tx - sx).abs() * 0.25).max(90.0);
        let bottom = sy.max(ty) + drop;
        let mid = (sx + tx) / 2.0;
        path = format!(
            "M {} {} C {} {}, {} {}, {} {} S {} {}, {} {}",
            num(sx), num(sy), num(sx + 80.0), num(sy), num(sx + 80.0), num(bottom), num(mid), num(bottom),
            num(tx - 80.0), num(ty), num(tx), num(ty)
        );
        at = (mid, bottom);
        let left = tx - 80.0;
        extent = Rect { x: left, y: sy.min(ty), width: sx + 80.0 - left, height: bottom - sy.min(ty) + 12.0 };
    }
    Stroke { path, label: String::new(), at, label_starts: false, dashed: false, colour: CUE, extent }
}

/// A section frame: tinted by zone, with its name and zone in the title bar.
fn section_svg(frame: &Rect, name: &str, zone: Zone) -> String {
    let colour = zone_colour(Some(zone));
    let g = GEOMETRY;
    // The title bar holds the name on the left and the zone on the right.
    let name_chars = ((frame.width - 110.0) / 7.5).max(4.0) as usize;
    let baseline = frame.y + g.section_header * 0.7;
    format!(
        concat!(
            r#"<g class="section">"#,
            r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="10" fill="{c}" fill-opacity="0.08" stroke="{c}" stroke-width="1.5"/>"#,
            r#"<text x="{tx}" y="{ty}" font-size="13" font-weight="600" fill="{ink}">{name}</text>"#,
            r#"<text x="{zx}" y="{ty}" font-size="11" text-anchor="end" fill="{c}">{zone}</text>"#,
            "</g>"
        ),
        x = num(frame.x),
        y = num(frame.y),
        w = num(frame.width),
        h = num(frame.height),
        c = colour,
        tx = num(frame.x + 12.0),
        ty = num(baseline),
        ink = INK,
        name = xml(&shorten(&one_line(name), name_chars)),
        zx = num(frame.right() - 12.0),
        zone = zone_title(Some(zone)),
    )
}

/// A player node: a card with a stripe in its zone colour, its name, its zone and instrument,
/// what exactly plays, and the start of its part.
fn player_svg(node: &Rect, player: &Player, zone: Option<Zone>) -> String {
    let colour = zone_colour(zone);
    let name = if player.name.trim().is_empty() { &player.id } else { &player.name };
    let meta = format!("{} · {}", zone_title(zone), instrument_title(&player.instrument));
    let detail = instrument_detail(&player.instrument);
    let (first, second) = two_lines(&one_line(&player.part), LINE_CHARS);
    let x = node.x + 14.0;
    let line = |dy: f64, size: u32, weight: u32, fill: &str, text: &str| {
        format!(
            r#"<text x="{}" y="{}" font-size="{size}" font-weight="{weight}" fill="{fill}">{}</text>"#,
            num(x),
            num(node.y + dy),
            xml(text)
        )
    };
    let mut out = format!(
        concat!(
            r#"<g class="player">"#,
            r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="#ffffff" stroke="{b}"/>"##,
            r#"<rect x="{x}" y="{y}" width="4" height="{h}" rx="2" fill="{c}"/>"#,
        ),
        x = num(node.x),
        y = num(node.y),
        w = num(node.width),
        h = num(node.height),
        b = NODE_BORDER,
        c = colour,
    );
    out.push_str(&line(24.0, 14, 700, INK, &shorten(&one_line(name), NAME_CHARS)));
    out.push_str(&line(43.0, 11, 600, colour, &shorten(&meta, LINE_CHARS)));
    if !detail.is_empty() {
        out.push_str(&line(60.0, 11, 400, MUTED, &shorten(&detail, LINE_CHARS)));
    }
    for (dy, text) in [(82.0, &first), (98.0, &second)] {
        if !text.is_empty() {
            out.push_str(&line(dy, 11, 400, MUTED, text));
        }
    }
    out.push_str("</g>");
    out
}

/// Text split into two lines of at most `width` characters, at a space when there is one; the
/// second line ends with an ellipsis when the text goes on.
fn two_lines(text: &str, width: usize) -> (String, String) {
    if text.chars().count() <= width {
        return (text.to_string(), String::new());
    }
    let head: String = text.chars().take(width).collect();
    let cut = head.rfind(' ').filter(|&i| i > width / 2).unwrap_or(head.len());
    let first = head[..cut].trim_end().to_string();
    let rest = text[cut..].trim_start();
    (first, shorten(rest, width))
}

/// A cue's label on a white tag, centred where the label goes.
/// How wide a cue's label is drawn, its chip included.
fn label_width(label: &str) -> f64 {
    shorten(label, 48).chars().count() as f64 * LABEL_CHAR_WIDTH + 12.0
}

fn label_svg(stroke: &Stroke) -> String {
    let text = shorten(&stroke.label, 48);
    let width = label_width(&stroke.label);
    // Centred on `at`, or starting there.
    let (x, y) = if stroke.label_starts { (stroke.at.0 + width / 2.0, stroke.at.1) } else { stroke.at };
    format!(
        concat!(
            r#"<g class="cue-label">"#,
            r##"<rect x="{rx}" y="{ry}" width="{w}" height="18" rx="9" fill="#ffffff" stroke="{c}" stroke-width="1"/>"##,
            r#"<text x="{x}" y="{ty}" font-size="11" text-anchor="middle" fill="{c}">{t}</text>"#,
            "</g>"
        ),
        rx = num(x - width / 2.0),
        ry = num(y - 9.0),
        w = num(width),
        c = stroke.colour,
        x = num(x),
        ty = num(y + 4.0),
        t = xml(&text),
    )
}

/// The legend: the four zones with their roles, and how cues are drawn.
fn legend(x: f64, y: f64) -> String {
    let mut out = format!(r#"<g class="legend" transform="translate({} {})">"#, num(x), num(y));
    let _ = write!(out, r#"<text x="0" y="12" font-size="12" font-weight="700" fill="{INK}">Zones</text>"#);
    for (i, zone) in Zone::ALL.iter().enumerate() {
        let (cx, cy) = ((i % 2) as f64 * 320.0, 28.0 + (i / 2) as f64 * 22.0);
        let colour = zone_colour(Some(*zone));
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="14" height="14" rx="3" fill="{colour}" fill-opacity="0.25" stroke="{colour}"/><text x="{}" y="{}" font-size="11" fill="{INK}"><tspan font-weight="600">{}</tspan> · {}</text>"#,
            num(cx),
            num(cy),
            num(cx + 22.0),
            num(cy + 11.0),
            zone_title(Some(*zone)),
            xml(zone_role(*zone))
        );
    }
    let _ = write!(out, r#"<text x="0" y="94" font-size="12" font-weight="700" fill="{INK}">Cues</text>"#);
    let kinds: [(&str, &str, &str); 3] = [
        (CUE, "", "cue: the next player is cued with the output"),
        (FAILURE, "", "cue on failure"),
        (CUE, "6 4", "loop cue: at most N repeats"),
    ];
    for (i, (colour, dash, text)) in kinds.iter().enumerate() {
        let (cx, cy) = ((i % 2) as f64 * 320.0, 110.0 + (i / 2) as f64 * 22.0);
        let dash = if dash.is_empty() { String::new() } else { format!(r#" stroke-dasharray="{dash}""#) };
        let _ = write!(
            out,
            r#"<path d="M {} {} L {} {}" stroke="{colour}" stroke-width="1.6"{dash} marker-end="url(#{})"/><text x="{}" y="{}" font-size="11" fill="{INK}">{}</text>"#,
            num(cx),
            num(cy + 7.0),
            num(cx + 34.0),
            num(cy + 7.0),
            if *colour == FAILURE { "arrow-failure" } else { "arrow" },
            num(cx + 44.0),
            num(cy + 11.0),
            xml(text)
        );
    }
    // A label tag, as cues carry them.
    let sample = "condition · loop limit · checkpoint";
    let width = sample.chars().count() as f64 * LABEL_CHAR_WIDTH + 12.0;
    let _ = write!(
        out,
        r##"<rect x="320" y="124" width="{}" height="18" rx="9" fill="#ffffff" stroke="{CUE}"/><text x="{}" y="137" font-size="11" text-anchor="middle" fill="{CUE}">{}</text>"##,
        num(width),
        num(320.0 + width / 2.0),
        xml(sample)
    );
    out.push_str("</g>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_lines_breaks_at_a_space_and_marks_the_rest() {
        let (a, b) = two_lines("one two three four five six seven", 12);
        assert_eq!(a, "one two");
        assert!(b.ends_with('…') && b.chars().count() <= 12, "second line is shortened: {b}");
        assert_eq!(two_lines("short", 12), ("short".to_string(), String::new()));
    }

    #[test]
    fn numbers_are_plain() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.5), "-0.5");
    }
}
