//! What a score would make this machine do or send, and a fingerprint of it for trusting.
//!
//! Scores are made to be shared, so a score is untrusted input. Three things it can do reach
//! beyond its own document, and each waits for the user's trust:
//!
//! - **run programs**: a `command` instrument, or a tool server with a `program`, runs with the
//!   user's rights;
//! - **send a named key to a host**: a model instrument with `key = { env = … }` or
//!   `{ keychain = … }` sends that secret to its `base_url` (Anthropic's default host when unset),
//!   and a tool server with a `url` and a `key` sends it to that URL;
//! - **read outside its own folder**: a workspace that is not inside the score's folder, or an
//!   attached file that resolves outside it (through `..` in the workspace, or a link).
//!
//! [`reach`] lists all of it for a score in a given folder, every value already made safe to
//! print (arguments quoted, control characters escaped), so a prompt cannot be spoofed by what it
//! shows. Its fingerprint is the full SHA-256 over everything that decides what runs and where:
//! programs, arguments, working directories, passed-through variable names, key-to-host pairs,
//! outside reads, and the canonical workspace and score folder (a relative program or working
//! directory resolves against them, so moving the score elsewhere is a different thing to trust).
//! Nothing here decides trust; it says what there is to trust.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::workspace;
use crate::{Instrument, KeyRef, Score, ToolServer};

/// Where an Anthropic instrument sends its key when the score sets no `base_url` (the
/// instruments crate sends to the same host; the model documents it as the default).
pub const ANTHROPIC_DEFAULT_HOST: &str = "https://api.anthropic.com";

/// A program the score would run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProgramRun {
    /// The player whose instrument it is.
    pub player: String,
    /// The program (resolved against the workspace when it is a relative path) and its
    /// arguments, each quoted when it is not plain, with control characters escaped.
    pub command: String,
    /// The folder it runs in, absolute when it can be resolved.
    pub cwd: String,
    /// Names of the variables the score passes through to it (besides the few every program gets).
    pub env: Vec<String>,
    /// The tool server this program is, when it is one (its `id`, quoted as the rest).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tool_server: Option<String>,
}

/// A secret the score would send, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeySend {
    pub player: String,
    /// The key reference as written: `env:NAME` or `keychain:NAME`.
    pub key: String,
    /// The origin the key goes to, e.g. `https://api.openai.com` (scheme, host and port).
    pub host: String,
}

/// Something the score would read outside its own folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OutsideRead {
    /// What it is: `the workspace` or `attached file "NAME"`.
    pub what: String,
    /// Where it resolves to, absolute.
    pub path: String,
}

/// Everything a score in a given folder would do on this machine that needs trust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    pub programs: Vec<ProgramRun>,
    pub key_sends: Vec<KeySend>,
    pub outside_reads: Vec<OutsideRead>,
    /// `sha256:` and 64 hex digits over all of the above and the canonical folders.
    pub fingerprint: String,
}

impl Reach {
    /// Whether anything here waits for the user's trust.
    pub fn needs_trust(&self) -> bool {
        !self.programs.is_empty() || !self.key_sends.is_empty() || !self.outside_reads.is_empty()
    }

    /// One line per thing, for a terminal or an error message; every value is already escaped.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for program in &self.programs {
            let who = match &program.tool_server {
                Some(server) => format!("{} (tool server {server})", program.player),
                None => program.player.clone(),
            };
            let mut line = format!("runs {who}: {} (in {}", program.command, program.cwd);
            if !program.env.is_empty() {
                line.push_str(&format!(", passing {}", program.env.join(", ")));
            }
            line.push(')');
            lines.push(line);
        }
        for send in &self.key_sends {
            lines.push(format!("sends key {} to {} (player {})", send.key, send.host, send.player));
        }
        for read in &self.outside_reads {
            lines.push(format!("reads {} at {}, outside the score's folder", read.what, read.path));
        }
        lines
    }
}

/// What `score`, whose file is in `score_dir`, would run, send and read outside that folder.
pub fn reach(score: &Score, score_dir: &Path) -> Reach {
    let folder = score_dir.canonicalize().ok();
    let ws = workspace::workspace_dir(score, score_dir).ok();
    let mut print = Fingerprint::new();
    print.field("score folder");
    print.path(folder.as_deref().unwrap_or(score_dir));
    print.field("workspace");
    match &ws {
        Some(ws) => print.path(ws),
        None => print.field(score.context.workspace.as_deref().unwrap_or(".")),
    }
    let base = ws.clone().unwrap_or_else(|| score_dir.join(score.context.workspace.as_deref().unwrap_or(".")));

    let mut programs = Vec::new();
    let mut key_sends = Vec::new();
    for player in &score.players {
        match &player.instrument {
            Instrument::Command(command) => {
                let cwd = resolved_cwd(&base, command.cwd.as_deref());
                print.field("program");
                for field in [player.id.as_str(), command.program.as_str(), command.cwd.as_deref().unwrap_or("")] {
                    print.field(field);
                }
                print.path(&cwd);
                print.list(&command.args);
                print.list(&command.env);
                programs.push(ProgramRun {
                    player: quoted(&player.id),
                    command: command_line(&base, &command.program, &command.args),
                    cwd: quoted(&cwd.to_string_lossy()),
                    env: command.env.iter().map(|name| quoted(name)).collect(),
                    tool_server: None,
                });
            }
            instrument => {
                if let Some((key, base_url)) = named_key(instrument) {
                    let host = origin(&base_url);
                    print.field("key send");
                    for field in [player.id.as_str(), &key_ref(key), &host, &base_url] {
                        print.field(field);
                    }
                    key_sends.push(KeySend { player: quoted(&player.id), key: quoted(&key_ref(key)), host: quoted(&host) });
                }
            }
        }
        for server in &player.tools.servers {
            if let Some(program) = &server.program {
                let cwd = resolved_cwd(&base, server.cwd.as_deref());
                print.field("tool program");
                for field in [player.id.as_str(), server.id.as_str(), program.as_str(), server.cwd.as_deref().unwrap_or("")] {
                    print.field(field);
                }
                print.path(&cwd);
                print.list(&server.args);
                print.list(&server.env);
                programs.push(ProgramRun {
                    player: quoted(&player.id),
                    command: command_line(&base, program, &server.args),
                    cwd: quoted(&cwd.to_string_lossy()),
                    env: server.env.iter().map(|name| quoted(name)).collect(),
                    tool_server: Some(quoted(&server.id)),
                });
            }
            if let Some((key, host)) = tool_key_send(server) {
                print.field("tool key send");
                for field in [player.id.as_str(), server.id.as_str(), &key, &host, server.url.as_deref().unwrap_or("")] {
                    print.field(field);
                }
                key_sends.push(KeySend { player: quoted(&player.id), key: quoted(&key), host: quoted(&host) });
            }
        }
    }

    let mut outside_reads = Vec::new();
    if let (Some(folder), Some(ws)) = (&folder, &ws) {
        if !ws.starts_with(folder) {
            outside_reads.push(OutsideRead { what: "the workspace".into(), path: quoted(&ws.to_string_lossy()) });
        }
        for file in &score.context.files {
            if let Ok(path) = workspace::resolve(ws, file, false)
                && !path.starts_with(folder)
            {
                outside_reads.push(OutsideRead { what: format!("attached file {}", quoted(file)), path: quoted(&path.to_string_lossy()) });
            }
        }
    }
    for read in &outside_reads {
        print.field("outside read");
        print.field(&read.path);
    }
    Reach { programs, key_sends, outside_reads, fingerprint: print.finish() }
}

/// The named key an instrument sends and the base URL it sends it to, if it sends one.
fn named_key(instrument: &Instrument) -> Option<(&KeyRef, String)> {
    match instrument {
        Instrument::Openai(settings) => settings.key.as_ref().map(|key| (key, settings.base_url.clone())),
        Instrument::Anthropic(settings) => {
            Some((&settings.key, settings.base_url.clone().unwrap_or_else(|| ANTHROPIC_DEFAULT_HOST.to_string())))
        }
        _ => None,
    }
}

/// The key send of one instrument, as [`reach`] lists it (for checking a single instrument, as
/// "Test connection" does): the key reference as written and the origin, both unescaped, so
/// they can be compared with what the user trusted.
pub fn key_send(instrument: &Instrument) -> Option<(String, String)> {
    named_key(instrument).map(|(key, base_url)| (key_ref(key), origin(&base_url)))
}

/// The key send of one tool server, as [`key_send`] gives an instrument's: a server at a URL
/// with a `key` sends it to that URL's origin.
pub fn tool_key_send(server: &ToolServer) -> Option<(String, String)> {
    match (&server.url, &server.key) {
        (Some(url), Some(key)) => Some((key_ref(key), origin(url))),
        _ => None,
    }
}

/// Every key send of the score, unescaped as [`key_send`] gives them, for recording trust.
pub fn key_pairs(score: &Score) -> Vec<(String, String)> {
    score
        .players
        .iter()
        .flat_map(|player| key_send(&player.instrument).into_iter().chain(player.tools.servers.iter().filter_map(tool_key_send)))
        .collect()
}

/// As a command instrument and a tool server start it: a bare name from PATH, a relative path
/// (with a folder in it) from the workspace. Public so the one who starts it and the trust prompt
/// agree on what runs.
pub fn program_in(workspace: &Path, program: &str) -> PathBuf {
    program_path(workspace, program)
}

/// `env:NAME` or `keychain:NAME`, as the score writes it.
pub fn key_ref(key: &KeyRef) -> String {
    match key {
        KeyRef::Env(name) => format!("env:{name}"),
        KeyRef::Keychain(name) => format!("keychain:{name}"),
    }
}

/// The origin a key goes to: scheme, host and port as an HTTP client reads the URL (so userinfo
/// such as `https://api.openai.com@elsewhere.example/` names `elsewhere.example`). A URL that
/// does not parse is kept as written; nothing can be sent to it anyway.
fn origin(base_url: &str) -> String {
    match url::Url::parse(base_url.trim()) {
        Ok(parsed) if parsed.origin().is_tuple() => parsed.origin().ascii_serialization(),
        _ => base_url.to_string(),
    }
}

fn resolved_cwd(workspace: &Path, cwd: Option<&str>) -> PathBuf {
    let dir = match cwd {
        Some(cwd) => workspace.join(cwd),
        None => workspace.to_path_buf(),
    };
    dir.canonicalize().unwrap_or(dir)
}

/// As the command instrument starts it: a bare name from PATH, a relative path from the workspace.
/// The program as it will be started and its arguments, each quoted, as the trust prompt shows them.
fn command_line(workspace: &Path, program: &str, args: &[String]) -> String {
    std::iter::once(quoted(&program_path(workspace, program).to_string_lossy()))
        .chain(args.iter().map(|arg| quoted(arg)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn program_path(workspace: &Path, program: &str) -> PathBuf {
    let path = Path::new(program);
    if path.is_relative() && path.components().count() > 1 { workspace.join(path) } else { path.to_path_buf() }
}

/// `text` as it may be printed: as is when it is plain (letters, digits and `-_./=:,+@%`),
/// else in double quotes with quotes, backslashes, control and invisible characters escaped, so a
/// newline or an ANSI escape in an argument shows as `\n` or `\u{1b}` and cannot rewrite the prompt.
pub fn quoted(text: &str) -> String {
    let plain = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain { text.to_string() } else { format!("\"{}\"", text.escape_debug()) }
}

/// SHA-256 over length-prefixed fields, so no two different settings hash alike by concatenation.
struct Fingerprint(Sha256);

impl Fingerprint {
    fn new() -> Fingerprint {
        Fingerprint(Sha256::new())
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn field(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    fn list(&mut self, items: &[String]) {
        self.0.update((items.len() as u64).to_le_bytes());
        for item in items {
            self.field(item);
        }
    }

    fn path(&mut self, path: &Path) {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            self.bytes(path.as_os_str().as_bytes());
        }
        #[cfg(not(unix))]
        self.bytes(path.as_os_str().to_string_lossy().as_bytes());
    }

    fn finish(self) -> String {
        format!("sha256:{}", hex::encode(self.0.finalize()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CommandSettings, Intent, OpenaiSettings, Player, Position, RehearsalSettings, FORMAT_VERSION};

    fn score(instruments: Vec<Instrument>) -> Score {
        Score {
            format: FORMAT_VERSION,
            title: "t".into(),
            intent: Intent { goal: "g".into(), ..Intent::default() },
            context: Default::default(),
            tempo: Default::default(),
            sections: vec![],
            players: instruments
                .into_iter()
                .enumerate()
                .map(|(i, instrument)| Player {
                    id: format!("p{i}"),
                    name: format!("P{i}"),
                    section: None,
                    zone: Some(crate::Zone::Improver),
                    join: Default::default(),
                    timeout_secs: None,
                    retries: None,
                    position: Position::default(),
                    part: "x".into(),
                    instrument,
                    tools: Default::default(),
                })
                .collect(),
            cues: vec![],
        }
    }

    fn command(program: &str, args: &[&str]) -> Instrument {
        Instrument::Command(CommandSettings { program: program.into(), args: args.iter().map(|a| a.to_string()).collect(), ..Default::default() })
    }

    fn rehearsal() -> Instrument {
        Instrument::Rehearsal(RehearsalSettings::default())
    }

    #[test]
    fn a_score_without_programs_keys_or_outside_reads_needs_no_trust() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let local = Instrument::Openai(OpenaiSettings { base_url: "http://127.0.0.1:11434/v1".into(), model: "m".into(), ..Default::default() });
        let reach = reach(&score(vec![rehearsal(), local]), dir.path());
        assert!(!reach.needs_trust(), "a local model without a key sends no secret: {reach:?}");
    }

    #[test]
    fn any_change_to_what_runs_changes_the_full_fingerprint() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let base = score(vec![command("sh", &["-c", "echo hi"]), rehearsal()]);
        let print = reach(&base, dir.path()).fingerprint;
        assert_eq!(print.len(), "sha256:".len() + 64, "the whole SHA-256, not a prefix: {print}");
        assert_eq!(reach(&base.clone(), dir.path()).fingerprint, print, "the fingerprint is stable");
        let differs = |changed: &Score, why: &str| assert_ne!(reach(changed, dir.path()).fingerprint, print, "{why}");
        differs(&score(vec![command("sh", &["-c", "rm -rf ~"]), rehearsal()]), "other arguments");
        differs(&score(vec![command("sh", &["-c echo", "hi"]), rehearsal()]), "arguments split differently");
        let mut with_env = base.clone();
        if let Instrument::Command(c) = &mut with_env.players[0].instrument {
            c.env.push("AWS_SECRET_ACCESS_KEY".into());
        }
        differs(&with_env, "a passed-through variable");
        let mut reworded = base.clone();
        reworded.players[0].part = "a different part".into();
        assert_eq!(reach(&reworded, dir.path()).fingerprint, print, "editing a part does not ask for trust again");
    }

    #[test]
    fn quoting_escapes_what_could_rewrite_a_terminal() {
        assert_eq!(quoted("plain-arg_1.txt"), "plain-arg_1.txt");
        assert_eq!(quoted("two words"), "\"two words\"");
        assert_eq!(quoted(""), "\"\"");
        let hostile = quoted("ok\n\u{1b}[2K\u{202e}evil\"");
        assert!(!hostile.chars().any(|c| c.is_control() || c == '\u{202e}'), "no raw control or bidi character: {hostile}");
        assert_eq!(hostile, "\"ok\\n\\u{1b}[2K\\u{202e}evil\\\"\"");
    }

    #[test]
    fn the_host_is_the_one_a_client_would_reach() {
        assert_eq!(origin("https://api.openai.com/v1"), "https://api.openai.com");
        assert_eq!(origin("https://api.openai.com@elsewhere.example/v1"), "https://elsewhere.example");
        assert_eq!(origin("http://127.0.0.1:8080/v1/"), "http://127.0.0.1:8080");
        assert_eq!(origin("HTTPS://API.Example.COM:443/v1"), "https://api.example.com");
    }
}
