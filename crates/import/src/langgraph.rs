//! A LangGraph graph description as a score: the JSON of `graph.get_graph().to_json()`, i.e.
//! `{"nodes": [{"id", "type", "data"}], "edges": [{"source", "target", "conditional", "data"}]}`.
//!
//! Each node except `__start__` and `__end__` is a player on rehearsal (a node is Python code,
//! which says nothing about the model it calls). Each edge between two players is a cue. A
//! conditional edge becomes a verdict cue: LangGraph's routing function picks a branch by name
//! (the edge's `data`, else the target's id), so the player's part asks it to end its output
//! with the name of the branch it chooses, and the cue matches that name. Edges to `__end__`
//! need no cue; a cue that closes a cycle is a loop cue with a repeat limit, as the score
//! requires of every cycle.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use ensemble_score::{
    FORMAT_VERSION, Intent, Join, Player, Position, Score, Section, Size, When, Zone,
};
use serde_json::Value;

use crate::cues::{Added, Cues};
use crate::ids::{Ids, title_case};
use crate::report::Notes;
use crate::{ImportError, llm};

pub const MAX_NODES: usize = 500;
pub const MAX_EDGES: usize = 2_000;
/// How often a loop of the graph may run again: LangGraph loops until its router says stop, the
/// score needs a number.
pub const LOOP_LIMIT: u32 = 3;
const START: &str = "__start__";
const END: &str = "__end__";
const SECTION_ID: &str = "graph";

/// Whether a JSON value has the shape of a graph description (an object with `nodes` and `edges`).
pub fn looks_like_graph(value: &Value) -> bool {
    value.get("nodes").is_some_and(Value::is_array)
        && value.get("edges").is_some_and(Value::is_array)
}

/// The score of the graph described by `value`, read from `path` (for messages and the title).
pub(crate) fn import(path: &Path, value: &Value, notes: &mut Notes) -> Result<Score, ImportError> {
    let shape = |message: String| ImportError::Shape {
        path: path.to_path_buf(),
        expected: "a LangGraph graph description",
        message,
    };
    if !looks_like_graph(value) {
        return Err(shape("it needs a `nodes` list and an `edges` list".into()));
    }
    let nodes = value["nodes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let edges = value["edges"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if nodes.len() > MAX_NODES {
        return Err(ImportError::TooMany {
            limit_name: "nodes",
            count: nodes.len(),
            limit: MAX_NODES,
        });
    }
    if edges.len() > MAX_EDGES {
        return Err(ImportError::TooMany {
            limit_name: "edges",
            count: edges.len(),
            limit: MAX_EDGES,
        });
    }

    let mut ids = Ids::default();
    let mut players: Vec<Player> = Vec::new();
    let mut by_node: HashMap<String, usize> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        let node_id = node
            .get("id")
            .and_then(id_text)
            .ok_or_else(|| shape(format!("node {} has no id", i + 1)))?;
        if node_id == START || node_id == END {
            continue;
        }
        if by_node.contains_key(&node_id) {
            notes.add(
                format!("node {node_id}"),
                "is listed twice: the first was used",
            );
            continue;
        }
        let name = node
            .get("data")
            .and_then(|d| d.get("name"))
            .and_then(Value::as_str)
            .unwrap_or(&node_id);
        by_node.insert(node_id.clone(), players.len());
        players.push(Player {
            id: ids.make(&node_id),
            name: title_case(name),
            section: Some(SECTION_ID.into()),
            zone: None,
            join: Join::Any,
            timeout_secs: None,
            retries: None,
            position: Position::default(),
            part: format!("The step `{node_id}` of the graph."),
            instrument: llm::rehearsal(),
            tools: Default::default(),
        });
    }
    if players.is_empty() {
        return Err(shape("it has no node besides __start__ and __end__".into()));
    }

    let mut cues = Cues::default();
    // Per player, the branch names its conditional edges choose between, in order.
    let mut branches: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    // Per cue, the branch names that fire it.
    let mut verdicts: HashMap<usize, Vec<String>> = HashMap::new();
    let mut unconditional: Vec<usize> = Vec::new();
    for (i, edge) in edges.iter().enumerate() {
        let source = edge
            .get("source")
            .and_then(id_text)
            .ok_or_else(|| shape(format!("edge {} has no source", i + 1)))?;
        let target = edge
            .get("target")
            .and_then(id_text)
            .ok_or_else(|| shape(format!("edge {} has no target", i + 1)))?;
        let place = format!("edge {source} -> {target}");
        let conditional = edge.get("conditional").and_then(Value::as_bool) == Some(true);
        let label = edge
            .get("data")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .unwrap_or(&target)
            .to_string();
        if source == START {
            if conditional {
                notes.add(&place, "the graph chooses where to start by a condition: every such first step starts at once");
            }
            continue;
        }
        let Some(&from) = by_node.get(&source) else {
            notes.add(&place, "starts at a node the graph does not list: left out");
            continue;
        };
        if conditional {
            let list = branches.entry(from).or_default();
            if !list.contains(&label) {
                list.push(label.clone());
            }
        }
        if target == END {
            continue;
        }
        let Some(&to) = by_node.get(&target) else {
            notes.add(&place, "ends at a node the graph does not list: left out");
            continue;
        };
        let mut looped = false;
        match cues.add(&players[from].id, &players[to].id, LOOP_LIMIT, &mut looped) {
            Added::SelfCue => notes.add(&place, "a step that hands to itself has no cue in a score: left out; raise the player's retries if it repeats to retry"),
            Added::New(c) | Added::Existing(c) => {
                if conditional {
                    let list = verdicts.entry(c).or_default();
                    if !list.contains(&label) {
                        list.push(label.clone());
                    }
                } else {
                    unconditional.push(c);
                }
                if looped {
                    notes.add(&place, format!("closes a loop: the cue runs at most {LOOP_LIMIT} times (LangGraph loops until its router stops)"));
                }
            }
        }
    }
    // A cue that also exists without a condition always fires; the others fire on their branch.
    for (c, labels) in verdicts {
        if unconditional.contains(&c) {
            continue;
        }
        let cue = &mut cues.list[c];
        cue.when = When::Verdict;
        let alternatives: Vec<String> = labels.iter().map(|l| regex::escape(l)).collect();
        cue.verdict = Some(format!(
            r"(?m)^\s*NEXT:\s*(?:{})\s*$",
            alternatives.join("|")
        ));
    }
    for (from, labels) in &branches {
        let player = &mut players[*from];
        player.part.push_str(&format!(
            "\n\nEnd your output with one line `NEXT: <choice>`, where the choice is one of: {}.",
            labels.join(", ")
        ));
        notes.add(format!("node {}", player.id), "the routing function's logic is not carried over: the player names the branch it takes on a `NEXT:` line");
    }
    notes.add("graph", "nodes are Python code: every player plays on rehearsal until you choose its instrument and write its part");

    let stem = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = stem.strip_suffix(".json").unwrap_or(&stem);
    let title = title_case(if stem.is_empty() { "graph" } else { stem });
    Ok(Score {
        format: FORMAT_VERSION,
        title: title.clone(),
        intent: Intent {
            goal: format!("Carry out the LangGraph graph {title}."),
            ..Intent::default()
        },
        context: Default::default(),
        tempo: Default::default(),
        sections: vec![Section {
            id: SECTION_ID.into(),
            name: format!("{title} (graph)"),
            zone: Zone::Integrator,
            position: Position::default(),
            size: Size::default(),
        }],
        players,
        cues: cues.list,
    })
}

/// A node id as text: LangGraph writes names, or numbers for nodes it gave random ids.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
