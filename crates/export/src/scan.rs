//! The check before a score leaves the machine: no secrets, no paths of this machine.
//!
//! A score names where its keys come from and never holds one, but a person can still paste a key
//! into a part, a note or a comment, or point a command at `/home/them/…`. An export is meant to be
//! shared, so before any export this scan lists what looks like a secret or a machine path, where
//! it is, and a masked excerpt (never the whole secret), and the studio asks before going on.
//!
//! What counts: `sk-…` style API keys (and the well-known prefixes of GitHub, Slack, Google and
//! Stripe keys), AWS access key ids (`AKIA…`, `ASIA…`), `Bearer …` tokens, private key blocks,
//! long random-looking tokens (at least 32 characters of mixed case and digits with high Shannon
//! entropy, which a hex digest or a word is not), and absolute paths under `/home/`, `/Users/`,
//! a Windows drive or share, or the current user's home folder. Every field of the score is
//! scanned, and then the file's own text, so comments are covered too.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;
use ts_rs::TS;

use ensemble_score::{Instrument, Score};

use crate::text::{one_line, shorten};

/// What a finding looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An API key with a known prefix (`sk-…`, `ghp_…`, `xoxb-…`, `AIza…`, `sk_live_…`).
    ApiKey,
    /// An AWS access key id (`AKIA…`, `ASIA…`).
    AccessKey,
    /// A bearer token (`Bearer …`), as pasted from an HTTP header.
    BearerToken,
    /// The start of a private key block (`-----BEGIN … PRIVATE KEY-----`).
    PrivateKey,
    /// A long random-looking string, which may be a token or a password.
    Token,
    /// An absolute path of this machine.
    MachinePath,
}

impl FindingKind {
    fn what(self) -> &'static str {
        match self {
            FindingKind::ApiKey => "an API key",
            FindingKind::AccessKey => "an AWS access key id",
            FindingKind::BearerToken => "a bearer token",
            FindingKind::PrivateKey => "a private key",
            FindingKind::Token => "a secret token",
            FindingKind::MachinePath => "a path of this machine",
        }
    }
}

/// Something that should not leave the machine, where it is, and a masked excerpt of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Finding {
    pub kind: FindingKind,
    /// Where it is: a field (`player coder: part`, `intent: goal`) or a line of the file
    /// (`file, line 12`) for what only the file's text holds, such as a comment.
    pub place: String,
    /// The finding with the secret masked: its first characters and its length, never the whole.
    pub excerpt: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: looks like {}: {}", self.place, self.kind.what(), self.excerpt)
    }
}

/// What in the score, or in its file's text, looks like a secret or a path of this machine. The
/// current user's home folder comes from `HOME` (or `USERPROFILE` on Windows).
pub fn scan(score: &Score, text_of_file: &str) -> Vec<Finding> {
    let home = std::env::var("HOME").or_else(|_| std::env::var("USERPROFILE")).ok();
    scan_with_home(score, text_of_file, home.as_deref())
}

/// [`scan`] with the home folder given, so the result does not depend on the environment.
pub fn scan_with_home(score: &Score, text_of_file: &str, home: Option<&str>) -> Vec<Finding> {
    let home = home.map(|h| h.trim_end_matches(['/', '\\'])).filter(|h| h.len() > 1);
    let mut findings: Vec<Finding> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (place, text) in fields(score) {
        for (kind, matched) in matches(text, home) {
            findings.push(Finding { kind, place: place.clone(), excerpt: mask(kind, matched) });
            seen.push(matched.to_string());
        }
    }
    // What only the file's text holds (comments, and anything the fields above do not cover).
    for (n, line) in text_of_file.lines().enumerate() {
        for (kind, matched) in matches(line, home) {
            if !seen.iter().any(|s| s == matched) {
                findings.push(Finding { kind, place: format!("file, line {}", n + 1), excerpt: mask(kind, matched) });
                seen.push(matched.to_string());
            }
        }
    }
    findings
}

/// Every piece of text in a score, with where it is.
fn fields(score: &Score) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = vec![("title".into(), score.title.as_str())];
    let i = &score.intent;
    for (name, text) in [
        ("goal", &i.goal),
        ("why", &i.why),
        ("for_whom", &i.for_whom),
        ("done_when", &i.done_when),
        ("constraints", &i.constraints),
    ] {
        out.push((format!("intent: {name}"), text));
    }
    out.push(("context: notes".into(), &score.context.notes));
    for file in &score.context.files {
        out.push(("context: files".into(), file));
    }
    if let Some(w) = &score.context.workspace {
        out.push(("context: workspace".into(), w));
    }
    for s in &score.sections {
        out.push((format!("section {}: name", one_line(&s.id)), &s.name));
    }
    for p in &score.players {
        let at = |field: &str| format!("player {}: {field}", one_line(&p.id));
        out.push((at("name"), &p.name));
        out.push((at("part"), &p.part));
        match &p.instrument {
            Instrument::Rehearsal(r) => out.extend(r.verdicts.iter().map(|v| (at("instrument verdicts"), v.as_str()))),
            Instrument::Command(c) => {
                out.push((at("instrument program"), &c.program));
                out.extend(c.args.iter().map(|a| (at("instrument args"), a.as_str())));
                out.extend(c.cwd.iter().map(|d| (at("instrument cwd"), d.as_str())));
                out.extend(c.env.iter().map(|e| (at("instrument env"), e.as_str())));
            }
            Instrument::Openai(o) => {
                out.push((at("instrument base_url"), &o.base_url));
                out.push((at("instrument model"), &o.model));
            }
            Instrument::Anthropic(a) => {
                out.extend(a.base_url.iter().map(|u| (at("instrument base_url"), u.as_str())));
                out.push((at("instrument model"), &a.model));
            }
            Instrument::Human(h) => out.extend(h.who.iter().map(|w| (at("instrument who"), w.as_str()))),
        }
    }
    for c in &score.cues {
        if let Some(v) = &c.verdict {
            out.push((format!("cue {} → {}: verdict", one_line(&c.from), one_line(&c.to)), v));
        }
    }
    out
}

struct Patterns {
    private_key: Regex,
    api_key: Regex,
    access_key: Regex,
    bearer: Regex,
    token: Regex,
    path: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("the scan's patterns are valid");
        Patterns {
            private_key: re(r"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----"),
            api_key: re(concat!(
                r"\b(?:sk-[A-Za-z0-9_\-]{16,}",
                r"|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}",
                r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}",
                r"|xox[abprs]-[A-Za-z0-9\-]{10,}",
                r"|AIza[0-9A-Za-z_\-]{35})"
            )),
            access_key: re(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
            bearer: re(r"(?i)\bbearer\s+[A-Za-z0-9\-._~+/]{12,}=*"),
            token: re(r"[A-Za-z0-9+/_\-]{32,}={0,2}"),
            // A path at the start of the text or after a space, quote, `=`, `(`, `,` or `[`, so
            // `https://host/home/page` is not taken for a folder of this machine.
            path: re(r#"(?:^|[\s"'`=(,\[])((?:/home/|/Users/)[^\s"'`)\],]+|[A-Za-z]:[\\/][^\s"'`)\],]*|\\\\[A-Za-z0-9._\-]+\\[^\s"'`)\],]*)"#),
        }
    })
}

/// What in `text` looks like a secret or a machine path, each once, earlier kinds first; a match
/// inside an earlier one (a key is also a long token) is not reported again.
fn matches<'t>(text: &'t str, home: Option<&str>) -> Vec<(FindingKind, &'t str)> {
    let p = patterns();
    let mut found: Vec<(FindingKind, std::ops::Range<usize>)> = Vec::new();
    let mut add = |kind: FindingKind, range: std::ops::Range<usize>| {
        if !found.iter().any(|(_, r)| r.start < range.end && range.start < r.end) {
            found.push((kind, range));
        }
    };
    for m in p.private_key.find_iter(text) {
        add(FindingKind::PrivateKey, m.range());
    }
    for m in p.api_key.find_iter(text) {
        add(FindingKind::ApiKey, m.range());
    }
    for m in p.access_key.find_iter(text) {
        add(FindingKind::AccessKey, m.range());
    }
    for m in p.bearer.find_iter(text) {
        add(FindingKind::BearerToken, m.range());
    }
    for m in p.token.find_iter(text) {
        if random_looking(m.as_str()) {
            add(FindingKind::Token, m.range());
        }
    }
    for c in p.path.captures_iter(text) {
        if let Some(m) = c.get(1) {
            add(FindingKind::MachinePath, m.range());
        }
    }
    if let Some(home) = home {
        let mut from = 0;
        while let Some(at) = text[from..].find(home).map(|i| i + from) {
            let end = at + home.len();
            // The home folder itself, or something inside it; not `/home/alice2` for `/home/alice`.
            if text[end..].chars().next().is_none_or(|c| c == '/' || c == '\\' || !is_path_char(c)) {
                let stop = text[end..].find(|c: char| !is_path_char(c)).map_or(text.len(), |i| i + end);
                add(FindingKind::MachinePath, at..stop);
            }
            from = end;
        }
    }
    found.sort_by_key(|(_, r)| r.start);
    found.into_iter().map(|(k, r)| (k, &text[r])).collect()
}

fn is_path_char(c: char) -> bool {
    !(c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ')' | ']' | ','))
}

/// A long string of mixed-case letters and digits whose characters are spread out enough to be
/// random: a hex digest (16 symbols, at most 4 bits a character) or a long identifier made of
/// words does not pass.
fn random_looking(s: &str) -> bool {
    let has = |f: fn(&char) -> bool| s.chars().any(|c| f(&c));
    if !(has(char::is_ascii_digit) && has(char::is_ascii_lowercase) && has(char::is_ascii_uppercase)) {
        return false;
    }
    let mut counts = [0usize; 128];
    let mut n = 0usize;
    for b in s.bytes() {
        counts[usize::from(b & 0x7f)] += 1;
        n += 1;
    }
    let entropy: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n as f64;
            -p * p.log2()
        })
        .sum();
    entropy >= 4.2
}

/// A finding as it may be shown: a secret by its first characters and its length, a path
/// shortened; never a whole secret.
fn mask(kind: FindingKind, matched: &str) -> String {
    let chars = matched.chars().count();
    match kind {
        FindingKind::MachinePath => shorten(&one_line(matched), 48),
        FindingKind::PrivateKey => format!("{matched} (the key follows)"),
        FindingKind::BearerToken => {
            let token = matched.split_whitespace().nth(1).unwrap_or_default();
            format!("Bearer {}… ({} characters)", token.chars().take(4).collect::<String>(), token.chars().count())
        }
        _ => {
            // Show the prefix that says what kind of key it is, and at most a quarter of the rest.
            let shown = (chars / 4).clamp(3, 8).min(chars.saturating_sub(1));
            format!("{}… ({chars} characters)", matched.chars().take(shown).collect::<String>())
        }
    }
}
