//! Writing a score canonically: stable key order, `"""` for multi-line text, comments kept.
//!
//! The canonical text is: `format`, `title`, then `[intent]`, `[context]`, `[tempo]`, then every
//! `[[sections]]`, `[[players]]` (each with its `[players.instrument]` table) and `[[cues]]`, with
//! keys in the order of the model's fields, one blank line before each table, positions and sizes as
//! inline tables, and text with line breaks as `"""` blocks. Saving what was loaded from a canonical
//! file gives the same bytes.
//!
//! Comments kept from the previous text, when it is given:
//! - comment lines before a key (including the block at the top of the file, which sits before
//!   `format`), and a comment at the end of a key's line;
//! - comment lines before a table header;
//! - comment lines at the end of the file.
//!
//! Tables are matched by their path; sections and players by `id`, cues by `from` and `to`, so a
//! comment follows its player when players are reordered. Comments inside inline tables or arrays,
//! and comments of keys or elements that no longer exist, are dropped. Blank lines inside a comment
//! block are collapsed to one.

use std::io::Write;
use std::path::Path;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::Score;

/// Why a score could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// A value TOML cannot hold (e.g. a whole number above 2^63 - 1).
    #[error("the score cannot be written as TOML: {0}")]
    Unrepresentable(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The canonical text of a score. When `previous` is the text it was loaded from, comments
/// in it are carried over to the matching keys and tables.
pub fn to_toml(score: &Score, previous: Option<&str>) -> Result<String, SaveError> {
    let mut doc = canonical(score)?;
    if let Some(previous) = previous
        && let Ok(old) = previous.parse::<DocumentMut>()
    {
        carry_comments(&old, &mut doc);
    }
    Ok(doc.to_string())
}

/// Writes the canonical text atomically (temporary file, then rename).
pub fn save(path: &Path, score: &Score, previous: Option<&str>) -> Result<(), SaveError> {
    let text = to_toml(score, previous)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The canonical document, without comments.
fn canonical(score: &Score) -> Result<DocumentMut, SaveError> {
    let mut doc = toml_edit::ser::to_document(score).map_err(|e| SaveError::Unrepresentable(e.to_string()))?;
    let root = doc.as_table_mut();
    // The model always serialises its lists and tables; a file leaves out what is empty or default.
    if score.context.is_empty() {
        root.remove("context");
    }
    if score.tempo.is_default() {
        root.remove("tempo");
    }
    for (key, empty) in [("sections", score.sections.is_empty()), ("players", score.players.is_empty()), ("cues", score.cues.is_empty())] {
        if empty {
            root.remove(key);
        }
    }
    for key in ["intent", "context", "tempo"] {
        if let Some(item) = root.get_mut(key) {
            let table = std::mem::take(item).into_table().map_err(|_| shape(key))?;
            *item = Item::Table(header(table));
        }
    }
    for key in ["sections", "players", "cues"] {
        if let Some(item) = root.get_mut(key) {
            let list = std::mem::take(item).into_array_of_tables().map_err(|_| shape(key))?;
            let mut out = ArrayOfTables::new();
            for mut table in list {
                if let Some(inner) = table.get_mut("instrument") {
                    let instrument = std::mem::take(inner).into_table().map_err(|_| shape("instrument"))?;
                    *inner = Item::Table(header(instrument));
                }
                tools_table(&mut table)?;
                out.push(header(table));
            }
            *item = Item::ArrayOfTables(out);
        }
    }
    drop_empty_lists(root);
    Ok(doc)
}

/// A player's `tools` as `[players.tools]` and one `[[players.tools.servers]]` per server, or
/// nothing when the player has no tools; an empty `approval` is left out (it reads back empty).
fn tools_table(player: &mut Table) -> Result<(), SaveError> {
    let Some(item) = player.get_mut("tools") else { return Ok(()) };
    let mut tools = std::mem::take(item).into_table().map_err(|_| shape("tools"))?;
    let servers = tools.remove("servers").unwrap_or_default();
    let servers = match servers {
        Item::None => Vec::new(),
        Item::ArrayOfTables(list) => list.into_iter().collect(),
        Item::Value(Value::Array(list)) => list
            .into_iter()
            .map(|v| match v {
                Value::InlineTable(t) => Ok(t.into_table()),
                _ => Err(shape("servers")),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(shape("servers")),
    };
    if tools.is_empty() && servers.is_empty() {
        player.remove("tools");
        return Ok(());
    }
    let mut list = ArrayOfTables::new();
    for mut server in servers {
        if server.get("approval").and_then(Item::as_table_like).is_some_and(|t| t.is_empty()) {
            server.remove("approval");
        }
        list.push(header(server));
    }
    if !list.is_empty() {
        tools.insert("servers", Item::ArrayOfTables(list));
    }
    player.insert("tools", Item::Table(header(tools)));
    Ok(())
}

/// Removes every empty array (and array of tables) from `table` and the tables inside it: every
/// list of the model defaults to empty, so leaving it out reads back the same.
fn drop_empty_lists(table: &mut Table) {
    table.retain(|_, item| match item {
        Item::Value(Value::Array(array)) => !array.is_empty(),
        Item::ArrayOfTables(list) => !list.is_empty(),
        _ => true,
    });
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(inner) => drop_empty_lists(inner),
            Item::ArrayOfTables(list) => list.iter_mut().for_each(drop_empty_lists),
            _ => {}
        }
    }
}

fn shape(key: &str) -> SaveError {
    SaveError::Unrepresentable(format!("`{key}` did not serialise as a table"))
}

/// A table written with its header after one blank line.
fn header(mut table: Table) -> Table {
    table.decor_mut().set_prefix("\n");
    table.decor_mut().set_suffix("");
    table
}

/// Copies comments from `old` onto the matching keys and tables of `new`.
fn carry_comments(old: &DocumentMut, new: &mut DocumentMut) {
    let (old_root, new_root) = (old.as_table(), new.as_table_mut());
    carry_table(old_root, new_root, false);
    for key in ["sections", "players", "cues"] {
        let Some(new_list) = new_root.get_mut(key).and_then(Item::as_array_of_tables_mut) else {
            continue;
        };
        let Some(old_list) = old_root.get(key).and_then(Item::as_array_of_tables) else {
            continue;
        };
        for table in new_list.iter_mut() {
            let Some(id) = identity(table) else { continue };
            if let Some(old_table) = old_list.iter().find(|t| identity(t).as_ref() == Some(&id)) {
                carry_table(old_table, table, true);
            }
        }
    }
    let trailing = comment_block(old.trailing().as_str().unwrap_or_default());
    if !trailing.is_empty() {
        new.set_trailing(format!("\n{trailing}"));
    }
}

/// How an element of a list is matched across saves: its `id`, or a cue's `from` and `to`.
fn identity(table: &Table) -> Option<(String, String)> {
    let s = |k: &str| table.get(k).and_then(Item::as_str).map(str::to_string);
    match s("id") {
        Some(id) => Some((id, String::new())),
        None => Some((s("from")?, s("to")?)),
    }
}

/// Copies the header comment of `old` onto `new`, and the comments of each key they share.
/// Sub-tables (`[intent]`, `[players.instrument]`) are followed; lists are matched by the caller.
fn carry_table(old: &Table, new: &mut Table, is_header: bool) {
    if is_header {
        let block = comment_block(old.decor().prefix().and_then(|p| p.as_str()).unwrap_or_default());
        new.decor_mut().set_prefix(format!("\n{block}"));
    }
    for (mut key, item) in new.iter_mut() {
        let Some((old_key, old_item)) = old.get_key_value(key.get()) else {
            continue;
        };
        match (item, old_item) {
            (Item::Table(t), Item::Table(o)) => carry_table(o, t, true),
            (Item::Value(v), Item::Value(o)) => {
                let prefix = old_key.leaf_decor().prefix().and_then(|p| p.as_str()).unwrap_or_default();
                key.leaf_decor_mut().set_prefix(comment_block(prefix));
                carry_line_comment(o, v);
            }
            _ => {}
        }
    }
}

/// Keeps a comment at the end of a value's line (`x = 1 # why`).
fn carry_line_comment(old: &Value, new: &mut Value) {
    let suffix = old.decor().suffix().and_then(|s| s.as_str()).unwrap_or_default();
    if let Some(at) = suffix.find('#') {
        new.decor_mut().set_suffix(format!(" {}", suffix[at..].trim_end()));
    }
}

/// The canonical form of the whitespace and comments before a key or header: comment lines with
/// their indentation removed, no leading blank line, runs of blank lines collapsed to one, and at
/// most one blank line after the block. Empty when there is no comment.
fn comment_block(raw: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    // The part after the last line break is the indentation of the key itself.
    let complete = match raw.rfind('\n') {
        Some(i) => &raw[..i],
        None => return String::new(),
    };
    for line in complete.split('\n') {
        let line = line.trim();
        if line.starts_with('#') {
            lines.push(line);
        } else if line.is_empty() && lines.last().is_some_and(|l| !l.is_empty()) {
            lines.push("");
        }
    }
    if !lines.iter().any(|l| !l.is_empty()) {
        return String::new();
    }
    let mut out = String::new();
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}
