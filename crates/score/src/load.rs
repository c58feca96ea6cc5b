//! Reading a `.score.toml` file: every problem at once, each with its line and column.
//!
//! The text is parsed with `toml_edit`, which keeps the place of every key and value. Each part of
//! the score (the top-level tables, every section, player, instrument and cue) is then read on its
//! own, so one broken player does not hide the problems of another. Unknown keys are found by
//! comparing each table with the fields of the model (taken from its JSON Schema, so the list is
//! never written twice); the remaining keys are handed to serde. Only when nothing is wrong are the
//! model rules of [`crate::validate`] run, and their problems are placed back in the text.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use schemars::JsonSchema;
use serde::de::{DeserializeOwned, IntoDeserializer};
use toml_edit::{Item, TableLike, Value};

use crate::text::{self, place_of, problem_at};
use crate::validate::{self, Element, Spot, Step};
use crate::{
    AnthropicSettings, CommandSettings, Cue, FORMAT_VERSION, HumanSettings, Instrument, Intent, OpenaiSettings,
    Player, Problem, RehearsalSettings, Rule, Score, Section, SharedContext, Target, Tempo,
};

/// A score read from a file, with the text it came from (kept so saving can keep its comments).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub text: String,
    pub score: Score,
}

/// Why a score could not be loaded. Never a half-loaded score.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {} problem(s)", problems.len())]
    Invalid { path: PathBuf, problems: Vec<Problem> },
}

/// Parses and validates score text. `base_dir` is the folder of the score file; when given,
/// attached files are checked on disk.
pub fn parse(text: &str, base_dir: Option<&Path>) -> Result<Score, Vec<Problem>> {
    text::check_text(text).map_err(|p| vec![p])?;
    let doc = match toml_edit::Document::parse(text) {
        Ok(doc) => doc,
        Err(err) => {
            let place = err.span().map(|s| place_of(text, s.start));
            let message = err.message().trim().to_string();
            return Err(vec![problem_at(
                Rule::Syntax,
                format!("this is not valid TOML: {message}"),
                place,
                Target::Score,
            )]);
        }
    };
    let mut reader = Reader { text, problems: Vec::new(), schemas: HashMap::new() };
    let score = reader.score(doc.as_item());
    if !reader.problems.is_empty() {
        return Err(reader.problems);
    }
    let score = score.expect("a score is built whenever no problem was found");
    let findings = validate::findings(&score, base_dir);
    if findings.is_empty() {
        return Ok(score);
    }
    Err(findings
        .into_iter()
        .map(|f| {
            let mut problem = f.problem;
            if let Some(place) = locate(doc.as_item(), &f.spot).map(|span| place_of(text, span.start)) {
                problem.line = Some(place.line);
                problem.column = Some(place.column);
            }
            problem
        })
        .collect())
}

/// Reads, parses and validates a score file.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    use std::io::Read;
    let io = |source| LoadError::Io { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    // Read one byte past the limit, so a huge file is refused without being read whole.
    let mut bytes = Vec::new();
    file.take(text::MAX_SCORE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(io)?;
    let invalid = |problems| LoadError::Invalid { path: path.to_path_buf(), problems };
    let text = text::decode(&bytes).map_err(|p| invalid(vec![p]))?;
    let base_dir = path.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
    let score = parse(text, base_dir).map_err(invalid)?;
    Ok(Loaded { path: path.to_path_buf(), text: text.to_string(), score })
}

/// Finds the text span of a spot: the deepest key path that exists, preferring values over keys.
pub(crate) fn locate(root: &Item, spot: &Spot) -> Option<Range<usize>> {
    let (mut node, mut best) = match spot.element {
        Element::Root => (root, None),
        Element::Section(i) => element(root, "sections", i)?,
        Element::Player(i) => element(root, "players", i)?,
        Element::Cue(i) => element(root, "cues", i)?,
    };
    for step in &spot.path {
        let (next, key_span) = match step {
            Step::Key(k) => match node.as_table_like().and_then(|t| t.get_key_value(k)) {
                Some((key, item)) => (item, key.span()),
                None => break,
            },
            Step::Index(i) => match node.get(*i) {
                Some(item) => (item, None),
                None => break,
            },
        };
        node = next;
        best = next.span().or(key_span).or(best);
    }
    best
}

/// The `index`th table of the array `key`, with the best span we have for it.
fn element<'a>(root: &'a Item, key: &str, index: usize) -> Option<(&'a Item, Option<Range<usize>>)> {
    let (key_item, list) = root.as_table_like()?.get_key_value(key)?;
    let item = list.get(index)?;
    Some((item, item.span().or(list.span()).or(key_item.span())))
}

/// Collects problems while reading the parts of a score.
struct Reader<'t> {
    text: &'t str,
    problems: Vec<Problem>,
    /// JSON Schemas of the model types by name, to know each table's keys. Shared, so a check
    /// that reports problems while walking one does not copy it (per player of a big score).
    schemas: HashMap<String, Rc<serde_json::Value>>,
}

/// What a part of the score is called in messages, and what the studio selects for it.
struct Part {
    /// e.g. "player `coder`", "the instrument of player `coder`", "`[tempo]`".
    name: String,
    target: Target,
    /// Where to point when the problem has no key of its own (e.g. a missing key).
    span: Option<Range<usize>>,
}

impl Reader<'_> {
    fn add(&mut self, rule: Rule, message: String, span: Option<Range<usize>>, target: Target) {
        let place = span.map(|s| place_of(self.text, s.start));
        self.problems.push(problem_at(rule, message, place, target));
    }

    fn score(&mut self, root: &Item) -> Option<Score> {
        let table = root.as_table_like().expect("a parsed document is a table");
        let start = Some(0..0);
        if !self.format(table) {
            return None;
        }
        let top = Part { name: "the score".into(), target: Target::Score, span: start.clone() };
        // Only the top-level keys are checked here (the tables are read on their own below), on a
        // copy because reporting removes what it reports.
        let mut top_keys = root.clone();
        let top_keys = top_keys.as_table_like_mut().expect("a copy of a table is a table");
        self.unknown_keys::<Score>(top_keys, &top, false);
        self.missing_keys::<Score>(table, &top, Rule::MissingKey);

        let title = match table.get("title") {
            Some(item) => match item.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    self.add(Rule::WrongType, "`title` must be text, e.g. `title = \"Feature trio\"`".into(), item.span(), Target::Score);
                    None
                }
            },
            None => None,
        };
        let intent = self.top::<Intent>(table, "intent", Target::Intent);
        let context = self.top::<SharedContext>(table, "context", Target::Context);
        let tempo = self.top::<Tempo>(table, "tempo", Target::Tempo);
        let sections = self.list(table, "sections", |r, item, i| r.section(item, i));
        let players = self.list(table, "players", |r, item, i| r.player(item, i));
        let cues = self.list(table, "cues", |r, item, i| r.cue(item, i));
        Some(Score {
            format: FORMAT_VERSION,
            title: title?,
            intent: intent??,
            context: context?.unwrap_or_default(),
            tempo: tempo?.unwrap_or_default(),
            sections: sections?,
            players: players?,
            cues: cues?,
        })
    }

    /// Checks `format`; false when the file is of another format and nothing else should be read.
    fn format(&mut self, table: &dyn TableLike) -> bool {
        let Some((key, item)) = table.get_key_value("format") else {
            self.add(
                Rule::Format,
                format!("this file has no `format` key; add `format = {FORMAT_VERSION}` as its first line"),
                Some(0..0),
                Target::Score,
            );
            return true;
        };
        let span = item.span().or(key.span());
        match item.as_integer() {
            Some(n) if n == i64::from(FORMAT_VERSION) => true,
            Some(n) if n > i64::from(FORMAT_VERSION) => {
                self.add(
                    Rule::Format,
                    format!(
                        "this file is format {n}; this build of Ensemble Studio reads format {FORMAT_VERSION} — \
                         open it with a newer Ensemble Studio, or ask its author for a format {FORMAT_VERSION} copy"
                    ),
                    span,
                    Target::Score,
                );
                false
            }
            Some(n) => {
                self.add(
                    Rule::Format,
                    format!(
                        "format {n} does not exist; this build of Ensemble Studio reads format {FORMAT_VERSION} — \
                         set `format = {FORMAT_VERSION}`"
                    ),
                    span,
                    Target::Score,
                );
                false
            }
            None => {
                self.add(
                    Rule::WrongType,
                    format!("`format` must be a whole number: `format = {FORMAT_VERSION}`"),
                    span,
                    Target::Score,
                );
                true
            }
        }
    }

    /// Reads a top-level table such as `[intent]`: `Some(None)` when absent, `None` when broken.
    fn top<T: DeserializeOwned + JsonSchema>(&mut self, root: &dyn TableLike, key: &str, target: Target) -> Option<Option<T>> {
        let Some((k, item)) = root.get_key_value(key) else {
            return Some(None);
        };
        let part = Part { name: format!("`[{key}]`"), target, span: item.span().or(k.span()) };
        self.table::<T>(item, &part, Rule::MissingKey).map(Some)
    }

    /// Reads every element of the list `key` (`[[key]]` tables or an inline array of tables).
    /// `None` when any element is broken; each is read whatever happened to the others.
    fn list<T>(&mut self, root: &dyn TableLike, key: &str, mut read: impl FnMut(&mut Self, &Item, usize) -> Option<T>) -> Option<Vec<T>> {
        let Some((k, item)) = root.get_key_value(key) else {
            return Some(Vec::new());
        };
        let len = match item {
            Item::ArrayOfTables(a) => a.len(),
            Item::Value(Value::Array(a)) => a.len(),
            _ => {
                self.add(
                    Rule::WrongType,
                    format!("`{key}` must be a list of tables, written `[[{key}]]`"),
                    item.span().or(k.span()),
                    Target::Score,
                );
                return None;
            }
        };
        let mut out = Some(Vec::with_capacity(len));
        for i in 0..len {
            let element = item.get(i).expect("index is below the list's length");
            match (read(self, element, i), out.as_mut()) {
                (Some(t), Some(v)) => v.push(t),
                _ => out = None,
            }
        }
        out
    }

    fn section(&mut self, item: &Item, i: usize) -> Option<Section> {
        let id = str_key(item, "id");
        let part = Part {
            name: id.as_deref().map_or(format!("section {}", i + 1), |id| format!("section `{id}`")),
            target: Target::Section { id: id.unwrap_or_default() },
            span: item.span(),
        };
        self.table::<Section>(item, &part, Rule::MissingKey)
    }

    fn cue(&mut self, item: &Item, i: usize) -> Option<Cue> {
        let (from, to) = (str_key(item, "from"), str_key(item, "to"));
        let name = match (&from, &to) {
            (Some(f), Some(t)) => format!("cue {f} → {t}"),
            _ => format!("cue {}", i + 1),
        };
        let part = Part {
            name,
            target: Target::Cue { from: from.unwrap_or_default(), to: to.unwrap_or_default() },
            span: item.span(),
        };
        self.table::<Cue>(item, &part, Rule::MissingKey)
    }

    /// A player is read in two parts: its instrument on its own (so its problems carry their own
    /// places and messages), then the rest of the player with a stand-in instrument.
    fn player(&mut self, item: &Item, i: usize) -> Option<Player> {
        let id = str_key(item, "id");
        let part = Part {
            name: id.as_deref().map_or(format!("player {}", i + 1), |id| format!("player `{id}`")),
            target: Target::Player { id: id.unwrap_or_default() },
            span: item.span(),
        };
        let mut value = self.as_inline_table(item, &part)?;
        let table = value.as_inline_table_mut().expect("as_inline_table returns an inline table");
        self.unknown_keys::<Player>(table, &part, true);
        let missing = self.missing_keys::<Player>(table, &part, Rule::MissingKey);
        let instrument = match table.get("instrument").cloned() {
            Some(v) => {
                // The converted copy has lost the place of a `[players.instrument]` header; take it
                // from the original.
                let span = item.as_table_like().and_then(|t| t.get("instrument")).and_then(Item::span);
                let instrument = self.instrument(&v, span, &part);
                let mut stand_in = toml_edit::InlineTable::new();
                stand_in.insert("kind", "human".into());
                table.insert("instrument", Value::InlineTable(stand_in));
                instrument
            }
            None => None,
        };
        let player: Option<Player> = self.deserialize(value, &part, missing);
        let mut player = player?;
        player.instrument = instrument?;
        Some(player)
    }

    fn instrument(&mut self, value: &Value, span: Option<Range<usize>>, player: &Part) -> Option<Instrument> {
        let part = Part {
            name: format!("the instrument of {}", player.name),
            target: player.target.clone(),
            span: span.or(value.span()).or(player.span.clone()),
        };
        let Some(table) = value.as_inline_table() else {
            self.add(Rule::WrongType, format!("{}: `instrument` must be a table with a `kind`", player.name), part.span, part.target);
            return None;
        };
        const KINDS: [&str; 5] = ["rehearsal", "command", "openai", "anthropic", "human"];
        let Some((kind_key, kind)) = table.get_key_value("kind") else {
            self.add(
                Rule::MissingInstrumentSetting,
                format!("{} has no `kind`; use one of: {}", part.name, KINDS.join(", ")),
                part.span,
                part.target,
            );
            return None;
        };
        let kind_span = kind.span().or(kind_key.span());
        let Some(kind) = kind.as_str() else {
            self.add(Rule::WrongType, format!("{}: `kind` must be text, one of: {}", part.name, KINDS.join(", ")), kind_span, part.target);
            return None;
        };
        let mut settings = table.clone();
        settings.remove("kind");
        let settings = Item::Value(Value::InlineTable(settings));
        let rule = Rule::MissingInstrumentSetting;
        match kind {
            "rehearsal" => self.table::<RehearsalSettings>(&settings, &part, rule).map(Instrument::Rehearsal),
            "command" => self.table::<CommandSettings>(&settings, &part, rule).map(Instrument::Command),
            "openai" => self.table::<OpenaiSettings>(&settings, &part, rule).map(Instrument::Openai),
            "anthropic" => self.table::<AnthropicSettings>(&settings, &part, rule).map(Instrument::Anthropic),
            "human" => self.table::<HumanSettings>(&settings, &part, rule).map(Instrument::Human),
            other => {
                let hint = match suggest(other, &KINDS) {
                    Some(s) => format!(" (did you mean `{s}`?)"),
                    None => String::new(),
                };
                self.add(
                    Rule::UnknownInstrument,
                    format!(
                        "{}: unknown instrument kind `{other}`{hint}; use one of: {}. For Ollama, LM Studio or \
                         any OpenAI-compatible server use `openai` with its `base_url`",
                        player.name,
                        KINDS.join(", ")
                    ),
                    kind_span,
                    part.target,
                );
                None
            }
        }
    }

    /// Reads one table-shaped part: unknown keys, missing keys, then the values themselves.
    fn table<T: DeserializeOwned + JsonSchema>(&mut self, item: &Item, part: &Part, missing_rule: Rule) -> Option<T> {
        let mut value = self.as_inline_table(item, part)?;
        let table = value.as_inline_table_mut().expect("as_inline_table returns an inline table");
        self.unknown_keys::<T>(table, part, true);
        let missing = self.missing_keys::<T>(table, part, missing_rule);
        self.deserialize(value, part, missing)
    }

    fn as_inline_table(&mut self, item: &Item, part: &Part) -> Option<Value> {
        match item {
            Item::Table(t) => Some(Value::InlineTable(t.clone().into_inline_table())),
            Item::Value(v @ Value::InlineTable(_)) => Some(v.clone()),
            other => {
                self.add(Rule::WrongType, format!("{} must be a table", part.name), other.span().or(part.span.clone()), part.target.clone());
                None
            }
        }
    }

    fn deserialize<T: DeserializeOwned>(&mut self, value: Value, part: &Part, missing_reported: bool) -> Option<T> {
        match T::deserialize(value.into_deserializer()) {
            Ok(t) => Some(t),
            Err(err) => {
                let message = err.message().trim();
                if !(missing_reported && message.starts_with("missing field")) {
                    let span = err.span().or(part.span.clone());
                    self.add(Rule::WrongType, format!("{}: {message}", part.name), span, part.target.clone());
                }
                None
            }
        }
    }

    /// Reports every key of `table` (and of its nested tables) that the model does not have, and
    /// removes it so the rest can still be read.
    fn unknown_keys<T: JsonSchema>(&mut self, table: &mut dyn TableLike, part: &Part, nested: bool) {
        let root = Rc::clone(self.schema::<T>());
        self.unknown_in(table, &root, &root, part, "", nested);
    }

    fn unknown_in(&mut self, table: &mut dyn TableLike, root: &serde_json::Value, node: &serde_json::Value, part: &Part, prefix: &str, nested: bool) {
        let Some(properties) = resolve(root, node).and_then(|n| n.get("properties")).and_then(|p| p.as_object()) else {
            return;
        };
        let known: Vec<&str> = properties.keys().map(String::as_str).collect();
        let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
        for key in keys {
            match properties.get(&key) {
                None => {
                    let span = table.key(&key).and_then(|k| k.span());
                    let hint = match suggest(&key, &known) {
                        Some(s) => format!(" (did you mean `{s}`?)"),
                        None => format!("; known keys: {}", known.join(", ")),
                    };
                    self.add(Rule::UnknownKey, format!("unknown key `{prefix}{key}` in {}{hint}", part.name), span, part.target.clone());
                    table.remove(&key);
                }
                Some(child) if nested => {
                    if let Some(inner) = table.get_mut(&key).and_then(|i| i.as_table_like_mut()) {
                        self.unknown_in(inner, root, child, part, &format!("{prefix}{key}."), nested);
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// Reports each required key of `T` that `table` lacks; true when any was missing.
    fn missing_keys<T: JsonSchema>(&mut self, table: &dyn TableLike, part: &Part, rule: Rule) -> bool {
        let root = self.schema::<T>();
        let required: Vec<String> = root
            .get("required")
            .and_then(|r| r.as_array())
            .map(|r| r.iter().filter_map(|k| k.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let mut any = false;
        for key in required {
            // `format` is required of a score, but checked first and on its own (see `format`).
            if key == "format" {
                continue;
            }
            if !table.contains_key(&key) {
                any = true;
                self.add(rule, format!("{} has no `{key}`, which is required", part.name), part.span.clone(), part.target.clone());
            }
        }
        any
    }

    fn schema<T: JsonSchema>(&mut self) -> &Rc<serde_json::Value> {
        self.schemas
            .entry(T::schema_name().into_owned())
            .or_insert_with(|| Rc::new(schemars::schema_for!(T).to_value()))
    }
}

/// Follows `$ref` (and a lone `allOf`) to the definition a schema node stands for.
fn resolve<'a>(root: &'a serde_json::Value, node: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
    if let Some(reference) = node.get("$ref").and_then(|r| r.as_str()) {
        let name = reference.strip_prefix("#/$defs/")?;
        return root.get("$defs")?.get(name);
    }
    if let Some([only]) = node.get("allOf").and_then(|a| a.as_array()).map(Vec::as_slice) {
        return resolve(root, only);
    }
    Some(node)
}

/// A string value of `key` in a table item, to name the element in messages.
fn str_key(item: &Item, key: &str) -> Option<String> {
    item.as_table_like()?.get(key)?.as_str().map(str::to_string)
}

/// Words people reach for instead of our keys.
const SYNONYMS: [(&str, &str); 21] = [
    ("ollama", "openai"),
    ("lmstudio", "openai"),
    ("lm_studio", "openai"),
    ("llama.cpp", "openai"),
    ("vllm", "openai"),
    ("claude", "anthropic"),
    ("person", "human"),
    ("script", "command"),
    ("mock", "rehearsal"),
    ("prompt", "part"),
    ("promt", "part"),
    ("role", "part"),
    ("system", "part"),
    ("system_prompt", "part"),
    ("instructions", "part"),
    ("type", "kind"),
    ("url", "base_url"),
    ("endpoint", "base_url"),
    ("api_key", "key"),
    ("condition", "when"),
    ("group", "section"),
];

/// The known name closest to a misspelt one, when one is close enough to be a likely typo.
fn suggest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    if let Some((_, to)) = SYNONYMS.iter().find(|(from, to)| *from == lower && known.contains(to)) {
        return known.iter().copied().find(|k| k == to);
    }
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, k), *k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_and_synonyms() {
        let keys = ["id", "name", "section", "zone", "part", "instrument"];
        assert_eq!(suggest("promt", &keys), Some("part"));
        assert_eq!(suggest("instrumnet", &keys), Some("instrument"));
        assert_eq!(suggest("zome", &keys), Some("zone"));
        assert_eq!(suggest("colour", &keys), None);
        assert_eq!(suggest("Ollama", &["rehearsal", "openai"]), Some("openai"));
    }

}
