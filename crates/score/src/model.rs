//! The score as data: what a `.score.toml` file holds and what the studio edits.
//!
//! These types are the one description of a score. The file format, the JSON Schema shipped in
//! `assets/`, and the TypeScript types of the studio are all generated from them, so a field is
//! added here and nowhere else. Field order is the order keys are written in a file: keep it
//! stable, because saving a loaded canonical file must give the same bytes.
//!
//! Every list and table is always present when a score is serialised as data (JSON over IPC,
//! events), so the studio never has to default a missing one; the file format leaves empty lists
//! and default tables out when saving (see `save`), and reads them back as empty.
//!
//! No secret ever lives in a score: an instrument names where its key comes from ([`KeyRef`]),
//! never the key itself.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The version of the file format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The whole document: intent, shared context, tempo, sections, players and cues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Score {
    /// File format version; this build reads and writes format 1.
    pub format: u32,
    /// A short name for the score, shown in the studio and in performance lists.
    pub title: String,
    /// What the ensemble is building, why, for whom, and when it is done.
    pub intent: Intent,
    /// Material every player receives, identically and first.
    #[serde(default)]
    pub context: SharedContext,
    /// How the performance advances, and the budgets the conductor enforces.
    #[serde(default)]
    pub tempo: Tempo,
    /// Groups of players on the canvas, each with a capability zone.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// The agents (or people) that play parts.
    #[serde(default)]
    pub players: Vec<Player>,
    /// Hand-offs between players: `to` is cued with the output of `from`.
    #[serde(default)]
    pub cues: Vec<Cue>,
}

/// The composer's statement of intent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Intent {
    /// What the ensemble is building.
    pub goal: String,
    /// Why it matters.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub why: String,
    /// Who the result is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub for_whom: String,
    /// How everyone knows the work is done.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub done_when: String,
    /// Constraints every player must respect.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub constraints: String,
}

/// Material every player receives before its part: notes, attached files and a workspace.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SharedContext {
    /// Free-form notes for every player (glossary, conventions, background).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub notes: String,
    /// Files attached to the shared context, relative to the workspace folder.
    #[serde(default)]
    pub files: Vec<String>,
    /// The workspace folder, relative to the score file (`"."` when absent).
    /// Attached files and command working directories must stay inside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub workspace: Option<String>,
}

impl SharedContext {
    pub fn is_empty(&self) -> bool {
        self == &SharedContext::default()
    }
}

/// How the performance advances, and its budgets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Tempo {
    #[serde(default, skip_serializing_if = "TempoMode::is_default")]
    #[ts(as = "Option<TempoMode>", optional)]
    pub mode: TempoMode,
    /// Longest the whole performance may take, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_wall_secs: Option<u64>,
    /// Most tokens (input plus output, all players) the performance may use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_tokens: Option<u64>,
    /// Most money the performance may cost, in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_cost_usd: Option<f64>,
}

impl Tempo {
    pub fn is_default(&self) -> bool {
        self == &Tempo::default()
    }
}

/// How the conductor releases cues.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TempoMode {
    /// Every ready player starts at once.
    #[default]
    Autonomous,
    /// The person conducting releases each cue with "step".
    Step,
    /// Every cue waits for the person's approval, as if each were marked `checkpoint`.
    Checkpoints,
}

impl TempoMode {
    pub fn is_default(&self) -> bool {
        *self == TempoMode::Autonomous
    }
}

/// The four capability zones of an ensemble.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Zone {
    /// The soloist: vision, discovery, new options.
    Innovator,
    /// The keys: bridges analysis and implementation across the band.
    Integrator,
    /// The bass: quality and reliability.
    Improver,
    /// The drums: keeps operations grounded and efficient.
    Stabilizer,
}

impl Zone {
    pub const ALL: [Zone; 4] = [Zone::Innovator, Zone::Integrator, Zone::Improver, Zone::Stabilizer];
}

/// A point on the canvas, in absolute canvas coordinates (a player's position is not relative
/// to its section; a player belongs to the section whose frame holds its centre).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Position {
    pub x: f64,
    pub y: f64,
}

/// A size on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

impl Default for Size {
    fn default() -> Self {
        Size { width: 360.0, height: 240.0 }
    }
}

/// A group of players on the canvas, with a capability zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Section {
    /// Unique among sections; players refer to it.
    pub id: String,
    pub name: String,
    /// The zone its players play in unless they say otherwise.
    pub zone: Zone,
    #[serde(default)]
    pub position: Position,
    #[serde(default)]
    pub size: Size,
}

/// One agent (or a person) with a part, an instrument and a zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Player {
    /// Unique among players; cues refer to it.
    pub id: String,
    pub name: String,
    /// The section the player sits in, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub section: Option<String>,
    /// The player's zone; defaults to its section's zone. Required for a player outside any section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub zone: Option<Zone>,
    /// When the player starts: once all its incoming cues fired (the default) or any one of them.
    #[serde(default, skip_serializing_if = "Join::is_default")]
    #[ts(as = "Option<Join>", optional)]
    pub join: Join,
    /// Longest one attempt may take, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub timeout_secs: Option<u64>,
    /// How many times a failed attempt is tried again (with backoff) before the player fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retries: Option<u32>,
    #[serde(default)]
    pub position: Position,
    /// The role prompt: what the player does and what it hands on.
    pub part: String,
    /// What plays the part.
    pub instrument: Instrument,
    /// The tools the player may call while it plays (model and rehearsal instruments only).
    /// Left out when the player has none, like `join` at its default, so the studio's players
    /// without tools need not spell it.
    #[serde(default, skip_serializing_if = "Tools::is_empty")]
    #[ts(as = "Option<Tools>", optional)]
    pub tools: Tools,
}

/// What a player may call while it plays: MCP servers, and how much it may call them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Tools {
    /// Most tool calls in one chorus; 16 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_calls: Option<u32>,
    /// Longest one tool call may take, in seconds; 60 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub timeout_secs: Option<u64>,
    /// Most bytes of one tool result handed to the model; 65536 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_output_bytes: Option<u64>,
    /// The MCP servers whose tools the player may call.
    #[serde(default)]
    pub servers: Vec<ToolServer>,
}

impl Tools {
    // The defaults as the fields are typed; each is defined once, in `ToolLimit` (crate::limits),
    // which also checks at compile time that `max_calls` fits a u32.
    pub const DEFAULT_MAX_CALLS: u32 = crate::limits::ToolLimit::MAX_CALLS.default as u32;
    pub const DEFAULT_TIMEOUT_SECS: u64 = crate::limits::ToolLimit::TIMEOUT_SECS.default;
    pub const DEFAULT_MAX_OUTPUT_BYTES: u64 = crate::limits::ToolLimit::MAX_OUTPUT_BYTES.default;

    pub fn is_empty(&self) -> bool {
        self == &Tools::default()
    }
}

/// One MCP server: a program spoken to over stdio (`program`) or a streamable HTTP endpoint
/// (`url`), never both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ToolServer {
    /// Unique among the player's servers; events name a tool as `server.tool`.
    pub id: String,
    /// A program on this machine, spoken to over stdin and stdout (looked up on PATH, or
    /// relative to the workspace). It runs only once the score is trusted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub program: Option<String>,
    #[serde(default)]
    pub args: Vec<String>,
    /// Working directory of the program, relative to the workspace (the workspace when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cwd: Option<String>,
    /// Names of environment variables passed through to the program; no other is.
    #[serde(default)]
    pub env: Vec<String>,
    /// A streamable HTTP endpoint, e.g. `http://127.0.0.1:8000/mcp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub url: Option<String>,
    /// Where the key sent to `url` comes from (as a bearer token), if it needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<KeyRef>,
    /// The tools the player may call; every tool the server offers when empty.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Per tool, whether a person approves each call. A tool not named here is asked about
    /// unless the server marks it read-only and not destructive.
    #[serde(default)]
    pub approval: std::collections::BTreeMap<String, Approval>,
}

impl ToolServer {
    /// Whether the player may call `tool` of this server: `allow` names it, or is empty.
    pub fn allows(&self, tool: &str) -> bool {
        self.allow.is_empty() || self.allow.iter().any(|a| a == tool)
    }

    /// Whether a call of `tool` waits for a person: the score's approval for it, else
    /// `unnamed`, what the server's hints about the tool imply.
    pub fn asks(&self, tool: &str, unnamed: Approval) -> bool {
        self.approval.get(tool).copied().unwrap_or(unnamed) == Approval::Ask
    }
}

/// Whether a tool call waits for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Approval {
    /// A person approves, rejects or edits each call before it runs.
    Ask,
    /// Calls run without asking.
    Allow,
}

/// When a player with several incoming cues starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Join {
    /// Wait until every incoming cue has fired.
    #[default]
    All,
    /// Start as soon as any incoming cue fires.
    Any,
}

impl Join {
    pub fn is_default(&self) -> bool {
        *self == Join::All
    }
}

/// What plays a part. The `kind` key chooses the variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Instrument {
    /// An offline stand-in for dry runs: deterministic for a seed, always labelled as rehearsal.
    Rehearsal(RehearsalSettings),
    /// A program on this machine: the cue on stdin, its stdout is the output.
    Command(CommandSettings),
    /// Any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, LM Studio, llama.cpp, vLLM, OpenRouter).
    Openai(OpenaiSettings),
    /// Anthropic's Messages API.
    Anthropic(AnthropicSettings),
    /// A person, who answers in the studio or at the terminal.
    Human(HumanSettings),
}

impl Instrument {
    /// The `kind` as written in a file.
    pub fn kind(&self) -> &'static str {
        match self {
            Instrument::Rehearsal(_) => "rehearsal",
            Instrument::Command(_) => "command",
            Instrument::Openai(_) => "openai",
            Instrument::Anthropic(_) => "anthropic",
            Instrument::Human(_) => "human",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RehearsalSettings {
    /// Simulated time to play the part, in milliseconds.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    #[ts(as = "Option<u64>", optional)]
    pub latency_ms: u64,
    /// Chance, from 0 to 1, that an attempt fails.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    #[ts(as = "Option<f64>", optional)]
    pub failure_rate: f64,
    /// Verdict lines the output ends with, one per chorus (the last repeats), to exercise
    /// verdict cues and review loops: e.g. `["CHANGES REQUESTED", "APPROVED"]`.
    #[serde(default)]
    pub verdicts: Vec<String>,
    /// Stream the output in pieces of about one token, this many a second, for `latency_ms`
    /// (the output repeats to fill the time): a fast stream, to try the studio under load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tokens_per_sec: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CommandSettings {
    /// The program to run (looked up on PATH, or relative to the workspace).
    pub program: String,
    #[serde(default)]
    pub args: Vec<String>,
    /// Working directory, relative to the workspace (the workspace itself when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cwd: Option<String>,
    /// Names of environment variables passed through to the program; no other is.
    #[serde(default)]
    pub env: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct OpenaiSettings {
    /// Base URL up to and including `/v1`, e.g. `http://127.0.0.1:11434/v1` for Ollama.
    pub base_url: String,
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_tokens: Option<u32>,
    /// Where the API key comes from; none for local servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<KeyRef>,
    /// Price per million input tokens, in US dollars, for cost accounting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub usd_per_mtok_in: Option<f64>,
    /// Price per million output tokens, in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub usd_per_mtok_out: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AnthropicSettings {
    /// Defaults to `https://api.anthropic.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub base_url: Option<String>,
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub temperature: Option<f64>,
    /// The Messages API requires a limit; 1024 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_tokens: Option<u32>,
    /// Where the API key comes from.
    pub key: KeyRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub usd_per_mtok_in: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub usd_per_mtok_out: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct HumanSettings {
    /// Who is asked, shown beside the question (e.g. "release manager").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub who: Option<String>,
}

/// Where a secret comes from. The secret itself is never stored in a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeyRef {
    /// An environment variable of that name: `key = { env = "OPENAI_API_KEY" }`.
    Env(String),
    /// An entry of that name in the OS keychain: `key = { keychain = "openai" }`.
    Keychain(String),
}

/// A hand-off: `to` is cued with the output of `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Cue {
    pub from: String,
    pub to: String,
    /// When the cue fires, judged on how `from` ended.
    #[serde(default, skip_serializing_if = "When::is_default")]
    #[ts(as = "Option<When>", optional)]
    pub when: When,
    /// With `when = "verdict"`: a regular expression matched against the output of `from`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub verdict: Option<String>,
    /// Makes this a loop cue: it may re-cue `to` at most this many times. Every cycle needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_repeats: Option<u32>,
    /// The person conducting approves or rejects the hand-off before it fires.
    #[serde(default, skip_serializing_if = "is_false")]
    #[ts(as = "Option<bool>", optional)]
    pub checkpoint: bool,
}

/// The condition of a cue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum When {
    #[default]
    Always,
    Success,
    Failure,
    /// `from` succeeded and its output matches the cue's `verdict` pattern.
    Verdict,
}

impl When {
    pub fn is_default(&self) -> bool {
        *self == When::Always
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

fn is_zero_f64(n: &f64) -> bool {
    *n == 0.0
}

impl Score {
    pub fn player(&self, id: &str) -> Option<&Player> {
        self.players.iter().find(|p| p.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The zone a player plays in: its own, else its section's.
    pub fn zone_of(&self, player: &Player) -> Option<Zone> {
        player
            .zone
            .or_else(|| player.section.as_deref().and_then(|s| self.section(s)).map(|s| s.zone))
    }
}
