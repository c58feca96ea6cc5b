//! Charts drawn as inline SVG (and a text sparkline for terminals): no script, no fonts to
//! fetch, printable. Coordinates are rounded to one decimal so the output is stable.

use std::fmt::Write;

/// Escapes text for HTML and SVG, attributes included.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Horizontal bars, one per (label, share 0..1, colour, caption).
pub fn bars(rows: &[(&str, f64, &str, String)]) -> String {
    let (w, row_h, label_w) = (520.0, 28.0, 100.0);
    let h = row_h * rows.len() as f64 + 4.0;
    let mut s = format!(r#"<svg class="bars" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="zone composition">"#);
    for (i, (label, share, colour, caption)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let bw = (share.clamp(0.0, 1.0) * 300.0 * 10.0).round() / 10.0;
        let _ = write!(
            s,
            r#"<text x="0" y="{:.1}" class="label">{}</text><rect x="{label_w}" y="{:.1}" width="300" height="18" class="track"/><rect x="{label_w}" y="{:.1}" width="{bw}" height="18" fill="{colour}"/><text x="{:.1}" y="{:.1}" class="value">{:.0}% {}</text>"#,
            y + 14.0,
            escape(label),
            y + 1.0,
            y + 1.0,
            label_w + 308.0,
            y + 14.0,
            share * 100.0,
            escape(caption)
        );
    }
    s.push_str("</svg>");
    s
}

/// A scale from `min` to `max` with the threshold as a tick and the value as a dot.
pub fn gauge(value: Option<f64>, threshold: Option<f64>, min: f64, max: f64, flagged: bool) -> String {
    let (w, h, pad) = (220.0, 26.0, 6.0);
    let x = |v: f64| {
        let t = if max > min { ((v - min) / (max - min)).clamp(0.0, 1.0) } else { 0.0 };
        ((pad + t * (w - 2.0 * pad)) * 10.0).round() / 10.0
    };
    let mut s = format!(r#"<svg class="gauge" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="value against threshold">"#);
    let _ = write!(s, r#"<line x1="{pad}" y1="13" x2="{}" y2="13" class="axis"/>"#, w - pad);
    if let Some(t) = threshold {
        let _ = write!(s, r#"<line x1="{0}" y1="4" x2="{0}" y2="22" class="threshold"/>"#, x(t));
    }
    if let Some(v) = value {
        let _ = write!(s, r#"<circle cx="{}" cy="13" r="5" class="{}"/>"#, x(v), if flagged { "dot flagged" } else { "dot" });
    }
    s.push_str("</svg>");
    s
}

/// A small line over the points that have a value; gaps are skipped. Empty with fewer than two.
pub fn sparkline(values: &[Option<f64>]) -> String {
    let known: Vec<(usize, f64)> = values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
    if known.len() < 2 {
        return String::new();
    }
    let (w, h) = (120.0, 28.0);
    let lo = known.iter().map(|k| k.1).fold(f64::MAX, f64::min);
    let hi = known.iter().map(|k| k.1).fold(f64::MIN, f64::max);
    let n = (values.len() - 1).max(1) as f64;
    let points: Vec<String> = known
        .iter()
        .map(|(i, v)| {
            let px = 3.0 + *i as f64 / n * (w - 6.0);
            let py = if hi > lo { h - 3.0 - (v - lo) / (hi - lo) * (h - 6.0) } else { h / 2.0 };
            format!("{px:.1},{py:.1}")
        })
        .collect();
    let last = points.last().cloned().unwrap_or_default();
    let (lx, ly) = last.split_once(',').unwrap_or(("0", "0"));
    format!(
        r#"<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="trend"><polyline points="{}" class="line"/><circle cx="{lx}" cy="{ly}" r="2.5" class="end"/></svg>"#,
        points.join(" ")
    )
}

/// A sparkline in block characters, for terminals; a gap is a space.
pub fn spark_chars(values: &[Option<f64>]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let lo = known.iter().copied().fold(f64::MAX, f64::min);
    let hi = known.iter().copied().fold(f64::MIN, f64::max);
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if hi <= lo => BLOCKS[3],
            Some(v) => BLOCKS[(((v - lo) / (hi - lo)) * 7.0).round() as usize],
        })
        .collect()
}

/// Standard base64, for embedding an SVG picture as an image (an image runs no script).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(escape(r#"<script>"a"&'b'</script>"#), "&lt;script&gt;&quot;a&quot;&amp;&#39;b&#39;&lt;/script&gt;");
    }
}
