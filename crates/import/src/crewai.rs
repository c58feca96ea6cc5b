//! A CrewAI project (`agents.yaml` and `tasks.yaml`, CrewAI's YAML configuration) as a score.
//!
//! What maps to what, and why:
//! - each agent is a player: its role, goal and backstory open its part, and every task it is
//!   given follows in the order of `tasks.yaml` (description and expected output), because a
//!   player of a score plays one part and CrewAI gives one agent several tasks;
//! - `llm` becomes the instrument it names (see [`crate::llm`]); anything else plays on
//!   rehearsal until someone picks an instrument, and the report says so;
//! - tasks become cues in their order: a task is cued from the agents of its `context` tasks,
//!   or, without `context`, from the agent of the task before it (CrewAI's sequential process
//!   hands each task the output before it). Two tasks of one agent need no cue. A cue that would
//!   close a cycle (an agent handing back to an earlier one) is a loop cue that runs once;
//! - `human_input: true` puts a checkpoint on the cues that carry that task's output;
//! - the crew is one section, named after its process, which is read from `crew.py` beside the
//!   configuration when there is one (sequential otherwise, CrewAI's default).
//!
//! Everything else (tools, delegation, memory, output files, callbacks, unknown keys) is listed in
//! the report by key name; values are never quoted, since one could be a secret.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use ensemble_score::{
    FORMAT_VERSION, Instrument, Intent, Join, Player, Position, Score, Section, Size, Zone,
};
use serde_json::{Map, Value};

use crate::cues::{Added, Cues};
use crate::ids::{Ids, title_case};
use crate::ordered::Ordered;
use crate::report::Notes;
use crate::{ImportError, llm, read};

pub const MAX_AGENTS: usize = 200;
pub const MAX_TASKS: usize = 500;
const SECTION_ID: &str = "crew";
const MANAGER: &str = "manager";
/// A cue handing work back to an earlier agent plays once: the later task, then on.
const LOOP_LIMIT: u32 = 1;
/// Bounds the score itself accepts for a player's timeout and retries.
const MAX_TIMEOUT_SECS: u64 = 7 * 24 * 3600;
const MAX_RETRIES: u64 = 100;

/// Where a project's two files are, and what to call it.
#[derive(Debug, Clone, PartialEq)]
pub struct CrewFiles {
    pub agents: PathBuf,
    pub tasks: PathBuf,
    /// The project's name: the folder holding `config/`, or the folder of the files.
    pub name: String,
    /// `crew.py` beside `config/`, when there is one: it says which process the crew runs.
    pub crew_py: Option<PathBuf>,
}

/// The CrewAI files at `path`: a folder (the project, its `config/`, or `src/NAME/config/`),
/// or `agents.yaml` / `tasks.yaml` itself. `None` when `path` is not one of those.
pub fn locate(path: &Path) -> Result<Option<CrewFiles>, ImportError> {
    let folder = if path.is_dir() {
        let mut candidates = vec![path.to_path_buf(), path.join("config")];
        if let Ok(entries) = std::fs::read_dir(path.join("src")) {
            let mut inner: Vec<PathBuf> =
                entries.flatten().map(|e| e.path().join("config")).collect();
            inner.sort();
            candidates.extend(inner);
        }
        match candidates
            .into_iter()
            .find(|c| yaml_in(c, "agents").is_some() || yaml_in(c, "tasks").is_some())
        {
            Some(folder) => folder,
            None => return Ok(None),
        }
    } else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if !matches!(
            name.as_str(),
            "agents.yaml" | "agents.yml" | "tasks.yaml" | "tasks.yml"
        ) {
            return Ok(None);
        }
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let shape = |message: String| ImportError::Shape {
        path: folder.clone(),
        expected: "a CrewAI project",
        message,
    };
    let agents = yaml_in(&folder, "agents")
        .ok_or_else(|| shape("tasks.yaml is there but agents.yaml is missing".into()))?;
    let tasks = yaml_in(&folder, "tasks")
        .ok_or_else(|| shape("agents.yaml is there but tasks.yaml is missing".into()))?;
    let absolute = std::path::absolute(&folder).unwrap_or_else(|_| folder.clone());
    let home = if absolute.file_name().is_some_and(|n| n == "config") {
        absolute.parent().map(Path::to_path_buf)
    } else {
        None
    };
    let named = home.as_deref().unwrap_or(&absolute);
    let name = named
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "crew".into());
    let crew_py = home.map(|h| h.join("crew.py")).filter(|p| p.is_file());
    Ok(Some(CrewFiles {
        agents,
        tasks,
        name,
        crew_py,
    }))
}

fn yaml_in(folder: &Path, stem: &str) -> Option<PathBuf> {
    ["yaml", "yml"]
        .into_iter()
        .map(|ext| folder.join(format!("{stem}.{ext}")))
        .find(|p| p.is_file())
}

/// How the crew runs its tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Process {
    Sequential,
    Hierarchical,
}

/// The process `crew.py` asks for: hierarchical only when it says so, as CrewAI defaults to
/// sequential. Only the text is looked at; nothing of it runs.
fn process(crew_py: Option<&Path>) -> Result<Process, ImportError> {
    let Some(path) = crew_py else {
        return Ok(Process::Sequential);
    };
    let text = read::text(path)?;
    Ok(if text.contains("Process.hierarchical") {
        Process::Hierarchical
    } else {
        Process::Sequential
    })
}

/// The score of the crew at `files`, and the notes of what was not carried over.
pub(crate) fn import(files: &CrewFiles, notes: &mut Notes) -> Result<Score, ImportError> {
    let agents = read::yaml(&files.agents)?;
    let tasks = read::yaml(&files.tasks)?;
    let process = process(files.crew_py.as_deref())?;
    if agents.entries.len() > MAX_AGENTS {
        return Err(ImportError::TooMany {
            limit_name: "agents",
            count: agents.entries.len(),
            limit: MAX_AGENTS,
        });
    }
    if tasks.entries.len() > MAX_TASKS {
        return Err(ImportError::TooMany {
            limit_name: "tasks",
            count: tasks.entries.len(),
            limit: MAX_TASKS,
        });
    }
    if agents.entries.is_empty() {
        return Err(ImportError::Shape {
            path: files.agents.clone(),
            expected: "a CrewAI agents file",
            message: "it names no agent".into(),
        });
    }
    Crew::new(files, notes).build(&agents, &tasks, process)
}

/// A task that found its player, in the order of `tasks.yaml`.
struct Kept {
    name: String,
    /// Index of the player (agent) that plays it.
    player: usize,
    /// The earlier tasks whose output it takes; `None` without a `context` key (the task
    /// before it, as CrewAI's sequential process hands on).
    context: Option<Vec<String>>,
    /// `human_input`: a person reviews its output before it is handed on.
    human_input: bool,
}

/// One agent while its part is being written.
struct Agent {
    player: Player,
    tasks: Vec<String>,
}

struct Crew<'a> {
    files: &'a CrewFiles,
    notes: &'a mut Notes,
    ids: Ids,
    agents: Vec<Agent>,
    by_key: HashMap<String, usize>,
    placeholders: BTreeSet<String>,
}

impl<'a> Crew<'a> {
    fn new(files: &'a CrewFiles, notes: &'a mut Notes) -> Self {
        Crew {
            files,
            notes,
            ids: Ids::default(),
            agents: Vec::new(),
            by_key: HashMap::new(),
            placeholders: BTreeSet::new(),
        }
    }

    fn build(
        mut self,
        agents: &Ordered,
        tasks: &Ordered,
        process: Process,
    ) -> Result<Score, ImportError> {
        for (key, value) in &agents.entries {
            let fields = self.mapping(&self.files.agents, "agent", key, value)?;
            self.agent(key, fields);
        }

        let mut kept: Vec<Kept> = Vec::new();
        for (name, value) in &tasks.entries {
            let fields = self.mapping(&self.files.tasks, "task", name, value)?;
            if let Some(task) = self.task(name, fields, &kept) {
                kept.push(task);
            }
        }

        let mut cues = Cues::default();
        // Which cues carry each task's output onwards.
        let mut carried: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, task) in kept.iter().enumerate() {
            let (name, player) = (&task.name, task.player);
            let sources: Vec<&str> = match &task.context {
                Some(context) => context.iter().map(String::as_str).collect(),
                None => i
                    .checked_sub(1)
                    .map(|p| kept[p].name.as_str())
                    .into_iter()
                    .collect(),
            };
            for source in sources {
                let Some(from) = kept.iter().find(|k| k.name == source).map(|k| k.player) else {
                    continue;
                };
                let (from_id, to_id) = (
                    self.agents[from].player.id.clone(),
                    self.agents[player].player.id.clone(),
                );
                let mut looped = false;
                match cues.add(&from_id, &to_id, LOOP_LIMIT, &mut looped) {
                    Added::New(c) | Added::Existing(c) => {
                        carried.entry(source.to_string()).or_default().push(c)
                    }
                    Added::SelfCue => {}
                }
                if looped {
                    self.notes.add(format!("task {name}"), format!(
                        "hands work from {from_id} back to {to_id}, which played earlier: the cue is a loop cue that runs at most {LOOP_LIMIT} time"
                    ));
                }
            }
        }
        for task in kept.iter().filter(|t| t.human_input) {
            let name = &task.name;
            match carried.get(name) {
                Some(list) if !list.is_empty() => list.iter().for_each(|&c| cues.list[c].checkpoint = true),
                _ => self.notes.add(format!("task {name}"), "human_input: no hand-off follows this task, so there is no cue to hold for review; set the tempo to checkpoints or add a person as a player"),
            }
        }

        if process == Process::Hierarchical {
            self.notes.add("crew", "hierarchical process: the manager that assigns and checks tasks is not carried over; tasks are cued in the order of tasks.yaml");
        }
        if !self.placeholders.is_empty() {
            let list: Vec<String> = self
                .placeholders
                .iter()
                .map(|p| format!("{{{p}}}"))
                .collect();
            self.notes.add(
                "crew",
                format!(
                    "inputs {} are filled in when the crew is started; replace them in the parts",
                    list.join(", ")
                ),
            );
        }
        self.notes.add("crew", "the intent was written from the tasks: say what the ensemble is for, and choose each player's zone (all start as Integrator)");

        let title = title_case(&self.files.name);
        let last = kept.last().map(|k| k.name.clone());
        let done_when = last
            .as_deref()
            .and_then(|name| tasks.entries.iter().find(|(k, _)| k == name))
            .and_then(|(_, v)| text_field(v.as_object()?, "expected_output"))
            .unwrap_or_default();
        let process_name = match process {
            Process::Sequential => "sequential",
            Process::Hierarchical => "hierarchical",
        };
        let players: Vec<Player> = self
            .agents
            .into_iter()
            .map(|mut a| {
                if !a.tasks.is_empty() {
                    a.player.part.push_str("\n\n");
                    a.player.part.push_str(&a.tasks.join("\n\n"));
                }
                a.player
            })
            .collect();
        Ok(Score {
            format: FORMAT_VERSION,
            title: title.clone(),
            intent: Intent {
                goal: format!(
                    "Carry out the work of the CrewAI crew {title}: {} task(s) in order.",
                    kept.len()
                ),
                done_when,
                ..Intent::default()
            },
            context: Default::default(),
            tempo: Default::default(),
            sections: vec![Section {
                id: SECTION_ID.into(),
                name: format!("{title} ({process_name} process)"),
                zone: Zone::Integrator,
                position: Position::default(),
                size: Size::default(),
            }],
            players,
            cues: cues.list,
        })
    }

    fn mapping<'v>(
        &self,
        file: &Path,
        what: &str,
        key: &str,
        value: &'v Value,
    ) -> Result<&'v Map<String, Value>, ImportError> {
        value.as_object().ok_or_else(|| ImportError::Shape {
            path: file.to_path_buf(),
            expected: "a CrewAI configuration file",
            message: format!("{what} `{key}` should be a mapping of settings"),
        })
    }

    fn agent(&mut self, key: &str, fields: &Map<String, Value>) {
        let place = format!("agent {key}");
        let mut part = Vec::new();
        for (field, label) in [
            ("role", "Role"),
            ("goal", "Goal"),
            ("backstory", "Backstory"),
        ] {
            match text_field(fields, field) {
                Some(text) => {
                    self.placeholders.extend(placeholders(&text));
                    part.push(format!("{label}: {text}"));
                }
                None => self.notes.add(&place, format!("has no {field}")),
            }
        }
        let mut player = Player {
            id: self.ids.make(key),
            name: title_case(key),
            section: Some(SECTION_ID.into()),
            zone: None,
            join: Join::All,
            timeout_secs: None,
            retries: None,
            position: Position::default(),
            part: part.join("\n\n"),
            instrument: llm::rehearsal(),
            tools: Default::default(),
        };
        player.instrument = self.instrument(&place, fields.get("llm"));
        for (field, value) in fields {
            match field.as_str() {
                "role" | "goal" | "backstory" | "llm" | "verbose" => {}
                "max_execution_time" => match value
                    .as_u64()
                    .filter(|s| (1..=MAX_TIMEOUT_SECS).contains(s))
                {
                    Some(secs) => player.timeout_secs = Some(secs),
                    None => self.notes.add(
                        &place,
                        "max_execution_time is not a number of seconds the score accepts: left out",
                    ),
                },
                "max_retry_limit" => match value.as_u64().filter(|n| *n <= MAX_RETRIES) {
                    Some(n) => player.retries = Some(n as u32),
                    None => self.notes.add(
                        &place,
                        format!(
                            "max_retry_limit is not a whole number up to {MAX_RETRIES}: left out"
                        ),
                    ),
                },
                "allow_delegation" => {
                    if value.as_bool() != Some(false) {
                        self.notes.add(&place, "allow_delegation: delegating to other agents is not carried over; players hand on work through cues");
                    }
                }
                "tools" => self.tools(&place, value),
                other => self
                    .notes
                    .add(&place, format!("`{other}` is not carried over")),
            }
        }
        self.by_key.insert(key.to_string(), self.agents.len());
        self.agents.push(Agent {
            player,
            tasks: Vec::new(),
        });
    }

    fn instrument(&mut self, place: &str, llm: Option<&Value>) -> Instrument {
        let model = match llm {
            None | Some(Value::Null) => {
                self.notes.add(place, "no llm: CrewAI would use its default model; the player plays on rehearsal until you choose an instrument");
                return llm::rehearsal();
            }
            Some(Value::String(model)) => model.clone(),
            Some(Value::Object(settings)) => match settings.get("model").and_then(Value::as_str) {
                Some(model) => {
                    if settings.keys().any(|k| k != "model") {
                        let others: Vec<&str> = settings
                            .keys()
                            .filter(|k| *k != "model")
                            .map(String::as_str)
                            .collect();
                        self.notes.add(place, format!("llm settings {} are not carried over (keys are named, never copied)", others.join(", ")));
                    }
                    model.to_string()
                }
                None => {
                    self.notes.add(
                        place,
                        "llm has no model: plays on rehearsal until you choose an instrument",
                    );
                    return llm::rehearsal();
                }
            },
            Some(_) => {
                self.notes.add(place, "llm is neither a model name nor settings: plays on rehearsal until you choose an instrument");
                return llm::rehearsal();
            }
        };
        match llm::instrument(&model) {
            Some(instrument) => instrument,
            None => {
                let shown: String = model.chars().filter(|c| !c.is_control()).take(80).collect();
                self.notes.add(place, format!("llm `{shown}` has no matching instrument: plays on rehearsal until you choose one"));
                llm::rehearsal()
            }
        }
    }

    fn tools(&mut self, place: &str, value: &Value) {
        let names: Vec<String> = match value {
            Value::Array(items) => items
                .iter()
                .map(|t| {
                    t.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| "(unnamed)".into())
                })
                .collect(),
            Value::Null => Vec::new(),
            _ => vec!["(not a list)".into()],
        };
        if !names.is_empty() {
            let shown: Vec<String> = names
                .iter()
                .map(|n| n.chars().filter(|c| !c.is_control()).take(60).collect())
                .collect();
            self.notes.add(
                place,
                format!(
                    "tools {} are not carried over: give the player its tools in the studio",
                    shown.join(", ")
                ),
            );
        }
    }

    /// A task into its agent's part; `None` when it cannot be placed. `earlier` are the tasks
    /// kept before it, the only ones its `context` may name.
    fn task(&mut self, name: &str, fields: &Map<String, Value>, earlier: &[Kept]) -> Option<Kept> {
        let place = format!("task {name}");
        let player = match fields.get("agent") {
            Some(Value::String(agent)) => {
                match self.by_key.get(agent.trim()) {
                    Some(&i) => i,
                    None => {
                        self.notes.add(&place, "names an agent that agents.yaml does not define: the task was left out");
                        return None;
                    }
                }
            }
            _ => self.manager(&place),
        };
        let description = text_field(fields, "description");
        let expected = text_field(fields, "expected_output");
        if description.is_none() {
            self.notes.add(&place, "has no description");
        }
        let mut text = format!("Task {name}:");
        for (label, value) in [("", &description), ("Expected output: ", &expected)] {
            if let Some(value) = value {
                self.placeholders.extend(placeholders(value));
                text.push_str(&format!("\n{label}{value}"));
            }
        }
        self.agents[player].tasks.push(text);

        // `None` without a `context` key: the task takes the output of the task before it.
        let mut context = None;
        let mut human_input = false;
        for (field, value) in fields {
            match field.as_str() {
                "description" | "expected_output" | "agent" | "name" => {}
                "context" => {
                    let context = context.get_or_insert_with(Vec::new);
                    let names: Vec<&str> = value
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    if names.is_empty()
                        && !value.is_null()
                        && value.as_array().is_none_or(|a| !a.is_empty())
                    {
                        self.notes
                            .add(&place, "context is not a list of task names: left out");
                    }
                    for source in names {
                        if earlier.iter().any(|k| k.name == source) {
                            context.push(source.to_string());
                        } else {
                            let shown: String = source
                                .chars()
                                .filter(|c| !c.is_control())
                                .take(60)
                                .collect();
                            self.notes.add(&place, format!("context names `{shown}`, which is not a task before this one: that hand-off was left out"));
                        }
                    }
                }
                "human_input" => human_input = value.as_bool() == Some(true),
                "async_execution" => {
                    if value.as_bool() == Some(true) {
                        self.notes.add(&place, "async_execution: the player starts when its cues fire; independent players already play at the same time");
                    }
                }
                "tools" => self.tools(&place, value),
                other => self
                    .notes
                    .add(&place, format!("`{other}` is not carried over")),
            }
        }
        Some(Kept {
            name: name.to_string(),
            player,
            context,
            human_input,
        })
    }

    /// The player for tasks without an agent, made when first needed.
    fn manager(&mut self, place: &str) -> usize {
        self.notes.add(
            place,
            "has no agent: it was given to a Manager player on rehearsal",
        );
        if let Some(&i) = self.by_key.get(MANAGER) {
            return i;
        }
        let player = Player {
            id: self.ids.make(MANAGER),
            name: "Manager".into(),
            section: Some(SECTION_ID.into()),
            zone: None,
            join: Join::All,
            timeout_secs: None,
            retries: None,
            position: Position::default(),
            part: "Role: manager of the crew\n\nGoal: carry out the tasks no agent was given"
                .into(),
            instrument: llm::rehearsal(),
            tools: Default::default(),
        };
        self.by_key.insert(MANAGER.into(), self.agents.len());
        self.agents.push(Agent {
            player,
            tasks: Vec::new(),
        });
        self.agents.len() - 1
    }
}

/// A text setting, trimmed; `None` when missing or empty. Numbers and booleans are written out.
fn text_field(fields: &Map<String, Value>, key: &str) -> Option<String> {
    let text = match fields.get(key)? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// The `{name}` inputs a text expects CrewAI to fill in.
fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        rest = &rest[start + 1..];
        if let Some(end) = rest.find('}') {
            let name = &rest[..end];
            if !name.is_empty()
                && name.len() <= 64
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                out.push(name.to_string());
            }
        }
    }
    out
}
