//! The rules a well-formed score must keep, checked on the model (for the studio, which has no text).
//!
//! Each rule produces a [`Problem`] and a [`Spot`]: which element of the score and which key in it
//! is at fault. The studio only needs the problem; the loader uses the spot to find the line and
//! column in the file, so the rules are written once for both.

use std::collections::{HashMap, HashSet};
use std::path::Path;

mod tools;

use crate::workspace::{self, PathTrouble};
use crate::{Cue, Instrument, Problem, Rule, Score, Target, When};

/// Where in a score a problem sits: an element and a key path inside it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spot {
    pub element: Element,
    pub path: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Element {
    /// The top level of the file.
    Root,
    Section(usize),
    Player(usize),
    Cue(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    Key(&'static str),
    Index(usize),
}

/// A broken rule and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub problem: Problem,
    pub spot: Spot,
}

/// Longest budgets and limits we accept: beyond these a value is a typo, not a plan.
const MAX_WALL_SECS: u64 = 30 * 24 * 3600;
const MAX_TOKENS: u64 = 10_000_000_000;
const MAX_COST_USD: f64 = 100_000.0;
const MAX_TIMEOUT_SECS: u64 = 7 * 24 * 3600;
const MAX_RETRIES: u32 = 100;
const MAX_REPEATS: u32 = 1_000;
const MAX_LATENCY_MS: u64 = 3_600_000;
/// The fastest stream a rehearsal may play: faster than any model streams.
const MAX_TOKENS_PER_SEC: u32 = 10_000;

/// Every rule broken by `score`, without line numbers. `base_dir` is the folder of the score file;
/// when given, attached files are checked on disk.
pub fn validate(score: &Score, base_dir: Option<&Path>) -> Vec<Problem> {
    findings(score, base_dir).into_iter().map(|f| f.problem).collect()
}

pub(crate) fn findings(score: &Score, base_dir: Option<&Path>) -> Vec<Finding> {
    let mut out = Findings::default();
    if score.format != crate::FORMAT_VERSION {
        out.add(Rule::Format, Target::Score, Element::Root, &[Key("format")], format!(
            "this score is format {}; this build of Ensemble Studio reads format {}",
            score.format, crate::FORMAT_VERSION
        ));
    }
    sections(score, &mut out);
    players(score, base_dir, &mut out);
    cues(score, &mut out);
    cycles(score, &mut out);
    tempo(score, &mut out);
    context(score, base_dir, &mut out);
    out.0
}

#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, rule: Rule, target: Target, element: Element, path: &[Step], message: String) {
        self.0.push(Finding {
            problem: Problem { rule, message, line: None, column: None, target },
            spot: Spot { element, path: path.to_vec() },
        });
    }
}

use Step::Key;

fn sections(score: &Score, out: &mut Findings) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, section) in score.sections.iter().enumerate() {
        let target = Target::Section { id: section.id.clone() };
        let el = Element::Section(i);
        if section.id.trim().is_empty() {
            out.add(Rule::EmptyId, target, el, &[Key("id")], format!(
                "section {} has an empty `id`; give it a short unique name such as `reviewers`", i + 1
            ));
        } else if let Some(first) = seen.get(section.id.as_str()) {
            out.add(Rule::DuplicateId, target, el, &[Key("id")], format!(
                "section id `{}` is used by sections {} and {}; section ids must be unique",
                section.id, first + 1, i + 1
            ));
        } else {
            seen.insert(&section.id, i);
        }
        let size = section.size;
        if !(size.width > 0.0 && size.height > 0.0 && size.width.is_finite() && size.height.is_finite()) {
            out.add(Rule::WrongType, Target::Section { id: section.id.clone() }, el, &[Key("size")], format!(
                "section `{}` has size {} x {}; width and height must be positive numbers",
                section.id, size.width, size.height
            ));
        }
    }
}

fn players(score: &Score, base_dir: Option<&Path>, out: &mut Findings) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, player) in score.players.iter().enumerate() {
        let target = || Target::Player { id: player.id.clone() };
        let el = Element::Player(i);
        if player.id.trim().is_empty() {
            out.add(Rule::EmptyId, target(), el, &[Key("id")], format!(
                "player {} has an empty `id`; give it a short unique name such as `coder`", i + 1
            ));
        } else if let Some(first) = seen.get(player.id.as_str()) {
            out.add(Rule::DuplicateId, target(), el, &[Key("id")], format!(
                "player id `{}` is used by players {} and {}; player ids must be unique (cues refer to them)",
                player.id, first + 1, i + 1
            ));
        } else {
            seen.insert(&player.id, i);
        }
        match &player.section {
            Some(section) if score.section(section).is_none() => {
                out.add(Rule::PlayerInMissingSection, target(), el, &[Key("section")], format!(
                    "player `{}` sits in section `{}`, which does not exist; {}",
                    player.id, section, known("sections", score.sections.iter().map(|s| s.id.as_str()))
                ));
            }
            None if player.zone.is_none() => {
                out.add(Rule::MissingZone, target(), el, &[Key("id")], format!(
                    "player `{}` has no zone and sits in no section; set `zone` (innovator, integrator, \
                     improver or stabilizer) or put it in a section",
                    player.id
                ));
            }
            _ => {}
        }
        if let Some(t) = player.timeout_secs
            && (t == 0 || t > MAX_TIMEOUT_SECS)
        {
            out.add(Rule::BudgetOutOfRange, target(), el, &[Key("timeout_secs")], format!(
                "player `{}` has timeout_secs = {t}; use 1 to {MAX_TIMEOUT_SECS} (seven days), or remove it",
                player.id
            ));
        }
        if let Some(r) = player.retries
            && r > MAX_RETRIES
        {
            out.add(Rule::BudgetOutOfRange, target(), el, &[Key("retries")], format!(
                "player `{}` has retries = {r}; use at most {MAX_RETRIES}", player.id
            ));
        }
        instrument(score, player.id.as_str(), &player.instrument, el, base_dir, out);
        tools::rules(score, player, el, base_dir, out);
    }
}

fn instrument(score: &Score, id: &str, instrument: &Instrument, el: Element, base_dir: Option<&Path>, out: &mut Findings) {
    let target = || Target::Player { id: id.to_string() };
    let mut bad = |key: &'static str, what: String| {
        out.add(Rule::BadInstrumentSetting, target(), el, &[Key("instrument"), Key(key)], format!(
            "the instrument of player `{id}`: {what}"
        ));
    };
    match instrument {
        Instrument::Rehearsal(s) => {
            if !(0.0..=1.0).contains(&s.failure_rate) {
                bad("failure_rate", format!("failure_rate = {} must be between 0 and 1", s.failure_rate));
            }
            if s.latency_ms > MAX_LATENCY_MS {
                bad("latency_ms", format!("latency_ms = {} is over an hour; use at most {MAX_LATENCY_MS}", s.latency_ms));
            }
            if let Some(rate) = s.tokens_per_sec
                && !(1..=MAX_TOKENS_PER_SEC).contains(&rate)
            {
                bad("tokens_per_sec", format!("tokens_per_sec = {rate} must be between 1 and {MAX_TOKENS_PER_SEC}"));
            }
        }
        Instrument::Command(s) => {
            if s.program.trim().is_empty() {
                bad("program", "`program` is empty; name the program to run".into());
            }
            if let Some(cwd) = &s.cwd
                && let Some(t) = cwd_trouble(score, cwd, base_dir)
            {
                let rule = if t.is_escape() { Rule::OutsideWorkspace } else { Rule::BadInstrumentSetting };
                out.add(rule, target(), el, &[Key("instrument"), Key("cwd")], format!(
                    "the instrument of player `{id}`: working directory `{cwd}` {}; it must be a folder inside the workspace",
                    t.describe()
                ));
            }
        }
        Instrument::Openai(s) => {
            url(&s.base_url, &mut bad);
            model(&s.model, &mut bad);
            temperature(s.temperature, crate::OPENAI_MAX_TEMPERATURE, &mut bad);
            if s.max_tokens == Some(0) {
                bad("max_tokens", "max_tokens = 0 leaves no room for an answer; use 1 or more, or remove it".into());
            }
            key_name(s.key.as_ref(), &mut bad);
            prices(s.usd_per_mtok_in, s.usd_per_mtok_out, &mut bad);
        }
        Instrument::Anthropic(s) => {
            if let Some(u) = &s.base_url {
                url(u, &mut bad);
            }
            model(&s.model, &mut bad);
            temperature(s.temperature, crate::ANTHROPIC_MAX_TEMPERATURE, &mut bad);
            if s.max_tokens == Some(0) {
                bad("max_tokens", "max_tokens = 0 leaves no room for an answer; use 1 or more, or remove it".into());
            }
            key_name(Some(&s.key), &mut bad);
            prices(s.usd_per_mtok_in, s.usd_per_mtok_out, &mut bad);
        }
        Instrument::Human(_) => {}
    }
}

/// What is wrong with a working directory `cwd` (relative to the workspace), if anything.
fn cwd_trouble(score: &Score, cwd: &str, base_dir: Option<&Path>) -> Option<PathTrouble> {
    match (workspace::check_relative(cwd), base_dir) {
        (Err(t), _) => Some(t),
        (Ok(()), Some(base)) => match workspace::workspace_dir(score, base) {
            Ok(ws) => workspace::resolve(&ws, cwd, true).err(),
            // The workspace itself is reported by the context rules.
            Err(_) => None,
        },
        (Ok(()), None) => None,
    }
}

fn url(u: &str, bad: &mut impl FnMut(&'static str, String)) {
    if u.trim().is_empty() {
        bad("base_url", "`base_url` is empty; e.g. `http://127.0.0.1:11434/v1` for Ollama".into());
    } else if !(u.starts_with("http://") || u.starts_with("https://")) {
        bad("base_url", format!("base_url `{u}` must start with http:// or https://"));
    }
}

fn model(m: &str, bad: &mut impl FnMut(&'static str, String)) {
    if m.trim().is_empty() {
        bad("model", "`model` is empty; name the model, e.g. `llama3.2`".into());
    }
}

fn temperature(t: Option<f64>, max: f64, bad: &mut impl FnMut(&'static str, String)) {
    if let Some(t) = t
        && !(0.0..=max).contains(&t)
    {
        bad("temperature", format!("temperature = {t} must be between 0 and {max}"));
    }
}

fn key_name(key: Option<&crate::KeyRef>, bad: &mut impl FnMut(&'static str, String)) {
    let name = match key {
        Some(crate::KeyRef::Env(n)) | Some(crate::KeyRef::Keychain(n)) => n,
        None => return,
    };
    if name.trim().is_empty() {
        bad("key", "the `key` names no variable or keychain entry; e.g. `key = { env = \"OPENAI_API_KEY\" }`".into());
    }
}

fn prices(inp: Option<f64>, outp: Option<f64>, bad: &mut impl FnMut(&'static str, String)) {
    for (key, price) in [("usd_per_mtok_in", inp), ("usd_per_mtok_out", outp)] {
        if let Some(p) = price
            && !(0.0..=MAX_COST_USD).contains(&p)
        {
            bad(key, format!("{key} = {p} must be a price of 0 or more (US dollars per million tokens)"));
        }
    }
}

fn cue_target(cue: &Cue) -> Target {
    Target::Cue { from: cue.from.clone(), to: cue.to.clone() }
}

fn cues(score: &Score, out: &mut Findings) {
    let ids = || score.players.iter().map(|p| p.id.as_str());
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, cue) in score.cues.iter().enumerate() {
        let el = Element::Cue(i);
        for (key, id) in [("from", &cue.from), ("to", &cue.to)] {
            if score.player(id).is_none() {
                out.add(Rule::CueToMissingPlayer, cue_target(cue), el, &[Key(key)], format!(
                    "cue {} → {}: there is no player `{id}`; {}", cue.from, cue.to, known("players", ids())
                ));
            }
        }
        if cue.from == cue.to {
            out.add(Rule::SelfCue, cue_target(cue), el, &[Key("to")], format!(
                "cue {} → {} cues a player with its own output; to let a player revise its work, \
                 cue it from a reviewer and set `max_repeats`",
                cue.from, cue.to
            ));
        }
        match seen.get(&(cue.from.as_str(), cue.to.as_str())) {
            Some(first) => out.add(Rule::DuplicateCue, cue_target(cue), el, &[Key("to")], format!(
                "cues {} and {} both go from `{}` to `{}`; keep one (a cue can carry one condition)",
                first + 1, i + 1, cue.from, cue.to
            )),
            None => {
                seen.insert((&cue.from, &cue.to), i);
            }
        }
        match (cue.when, &cue.verdict) {
            (When::Verdict, None) => out.add(Rule::BadVerdict, cue_target(cue), el, &[Key("when")], format!(
                "cue {} → {} has `when = \"verdict\"` but no `verdict`; add a pattern such as \
                 `verdict = \"(?m)^VERDICT: APPROVED\"`",
                cue.from, cue.to
            )),
            (When::Verdict, Some(pattern)) => {
                // Bounded as the conductor compiles it: a pattern of gigabytes is refused here.
                if let Err(err) = regex::RegexBuilder::new(pattern).size_limit(1 << 20).dfa_size_limit(1 << 20).build() {
                    let reason = err.to_string().lines().last().unwrap_or_default().trim().to_string();
                    out.add(Rule::BadVerdict, cue_target(cue), el, &[Key("verdict")], format!(
                        "cue {} → {}: `verdict` is not a valid regular expression ({reason})", cue.from, cue.to
                    ));
                }
            }
            (_, Some(_)) => out.add(Rule::BadVerdict, cue_target(cue), el, &[Key("verdict")], format!(
                "cue {} → {} has a `verdict` but `when` is not \"verdict\", so the pattern is never used; \
                 set `when = \"verdict\"` or remove `verdict`",
                cue.from, cue.to
            )),
            (_, None) => {}
        }
        if let Some(n) = cue.max_repeats
            && (n == 0 || n > MAX_REPEATS)
        {
            out.add(Rule::BudgetOutOfRange, cue_target(cue), el, &[Key("max_repeats")], format!(
                "cue {} → {} has max_repeats = {n}; use 1 to {MAX_REPEATS} (how many times the loop may go round)",
                cue.from, cue.to
            ));
        }
    }
}

/// Every cycle of cues must pass through a cue with `max_repeats`, or the performance never ends.
/// Depth-first search over the graph of cues without a limit; each back edge closes a cycle.
fn cycles(score: &Score, out: &mut Findings) {
    let index: HashMap<&str, usize> = score.players.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let n = score.players.len();
    // Edges: player -> (next player, cue index). Self cues are their own rule.
    let mut edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (ci, cue) in score.cues.iter().enumerate() {
        if cue.max_repeats.is_some() || cue.from == cue.to {
            continue;
        }
        if let (Some(&a), Some(&b)) = (index.get(cue.from.as_str()), index.get(cue.to.as_str())) {
            edges[a].push((b, ci));
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Mark { New, Open, Done }
    let mut mark = vec![Mark::New; n];
    let mut reported: HashSet<Vec<usize>> = HashSet::new();
    for start in 0..n {
        if mark[start] != Mark::New {
            continue;
        }
        // An explicit stack (player, next edge to look at) so deep graphs cannot overflow the call stack.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&(to, cue)) = edges[node].get(*next) {
                *next += 1;
                match mark[to] {
                    Mark::New => {
                        mark[to] = Mark::Open;
                        stack.push((to, 0));
                    }
                    Mark::Open => {
                        let from_pos = stack.iter().position(|(p, _)| *p == to).expect("an open player is on the stack");
                        let members: Vec<usize> = stack[from_pos..].iter().map(|(p, _)| *p).collect();
                        let mut key = members.clone();
                        key.sort_unstable();
                        if reported.insert(key) {
                            let mut names: Vec<&str> = members.iter().map(|&p| score.players[p].id.as_str()).collect();
                            names.push(&score.players[to].id);
                            let c = &score.cues[cue];
                            out.add(Rule::CycleWithoutRepeatLimit, cue_target(c), Element::Cue(cue), &[Key("to")], format!(
                                "players {} form a loop with no repeat limit, so it could run for ever; \
                                 set `max_repeats` on one of its cues (e.g. the cue {} → {})",
                                names.join(" → "), c.from, c.to
                            ));
                        }
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
}

fn tempo(score: &Score, out: &mut Findings) {
    let t = &score.tempo;
    let mut add = |key: &'static str, message: String| {
        out.add(Rule::BudgetOutOfRange, Target::Tempo, Element::Root, &[Key("tempo"), Key(key)], message);
    };
    if let Some(s) = t.max_wall_secs
        && (s == 0 || s > MAX_WALL_SECS)
    {
        add("max_wall_secs", format!("tempo: max_wall_secs = {s}; use 1 to {MAX_WALL_SECS} (30 days), or remove it"));
    }
    if let Some(n) = t.max_tokens
        && (n == 0 || n > MAX_TOKENS)
    {
        add("max_tokens", format!("tempo: max_tokens = {n}; use 1 to {MAX_TOKENS}, or remove it"));
    }
    if let Some(c) = t.max_cost_usd
        && !(c > 0.0 && c <= MAX_COST_USD)
    {
        add("max_cost_usd", format!("tempo: max_cost_usd = {c}; use more than 0 and at most {MAX_COST_USD}, or remove it"));
    }
}

fn context(score: &Score, base_dir: Option<&Path>, out: &mut Findings) {
    let ctx = &score.context;
    let workspace = match base_dir {
        Some(base) => match workspace::workspace_dir(score, base) {
            Ok(ws) => Some(ws),
            Err(t) => {
                let rule = if t.is_escape() { Rule::OutsideWorkspace } else { Rule::AttachedFileMissing };
                let shown = ctx.workspace.as_deref().unwrap_or(".");
                out.add(rule, Target::Context, Element::Root, &[Key("context"), Key("workspace")], format!(
                    "the workspace folder `{shown}` {} (it is relative to the score file's folder)",
                    t.describe()
                ));
                None
            }
        },
        None => None,
    };
    for (i, file) in ctx.files.iter().enumerate() {
        let checked = match &workspace {
            Some(ws) => workspace::resolve(ws, file, false).map(|_| ()),
            None => workspace::check_relative(file),
        };
        if let Err(t) = checked {
            let rule = if t.is_escape() { Rule::OutsideWorkspace } else { Rule::AttachedFileMissing };
            let hint = match t {
                PathTrouble::Missing => "; check the name, or remove it from `files`",
                _ => "; attached files must be files inside the workspace",
            };
            out.add(rule, Target::Context, Element::Root, &[Key("context"), Key("files"), Step::Index(i)], format!(
                "attached file `{file}` {}{hint}", t.describe()
            ));
        }
    }
}

/// "known sections: a, b" or "there are none", to finish a message about a missing id.
fn known<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let ids: Vec<String> = ids.filter(|i| !i.is_empty()).map(|i| format!("`{i}`")).collect();
    if ids.is_empty() { format!("the score has no {what} yet") } else { format!("known {what}: {}", ids.join(", ")) }
}
