//! The command instrument: a program on this machine plays the part.
//!
//! The program reads the whole prompt on stdin and answers on stdout, which is streamed as it
//! comes. It runs inside the workspace with a small environment (PATH, HOME, LANG and the names
//! the score lists), so a score cannot quietly hand a program the secrets of the studio's own
//! environment. It runs in a group of its own (a process group on Unix, a job object on
//! Windows): when it is cut off, or when it exits leaving background jobs behind, the whole group
//! ends with it. Its stdout is collected up to the per-attempt output limit: a program that
//! writes past it is stopped, and the attempt fails with the output up to the limit.

use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};

use ensemble_score::CommandSettings;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc::UnboundedSender;

use crate::limits::{Full, Output};
use crate::process_group::Group;
use crate::{PlayError, Played, Prompt, Stage, Usage};

/// Variables every program gets, when set here, besides the ones its settings name.
const BASE_ENV: [&str; 3] = ["PATH", "HOME", "LANG"];
/// How much of the end of stderr a failure message carries.
const STDERR_TAIL: usize = 2048;

pub async fn play(settings: &CommandSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let cwd = working_dir(&stage.workspace, settings.cwd.as_deref())?;
    let mut command = tokio::process::Command::new(program_path(&stage.workspace, &settings.program));
    command
        .args(&settings.args)
        .current_dir(&cwd)
        .env_clear()
        .envs(environment(&settings.env))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut group = Group::spawn(command).map_err(|e| spawn_error(&settings.program, &e))?;

    let input = prompt.full_text();
    let stdin = group.stdin().expect("stdin was piped above");
    let stdout = group.stdout().expect("stdout was piped above");
    let stderr = group.stderr().expect("stderr was piped above");
    // Written concurrently with reading stdout, so a program that answers before it has read
    // everything cannot deadlock on full pipes. A program that never reads stdin is fine too.
    let writer = tokio::spawn(write_all_and_close(stdin, input.clone().into_bytes()));
    let stderr_tail = tokio::spawn(tail(stderr));

    let mut reader = Streamed { stdout, text: Utf8Text::default(), output: Output::new(&stage.limits), full: None, open: true };
    let status = loop {
        tokio::select! {
            biased;
            _ = stage.cancel.cancelled() => {
                group.stop().await;
                writer.abort();
                stderr_tail.abort();
                let usage = Usage::estimate(&input, reader.output.as_str());
                return Err(PlayError::cut_off().with_partial(reader.output.into_string(), usage));
            }
            more = reader.read(tokens), if reader.open => reader.open = more,
            status = group.leader_exit() => break status,
        }
        if let Some(full) = reader.full {
            // Past the output limit: the program is stopped, whatever it was doing.
            group.stop().await;
            writer.abort();
            stderr_tail.abort();
            let usage = Usage::estimate(&input, reader.output.as_str());
            return Err(full.error(&settings.program).with_partial(reader.output.into_string(), usage));
        }
    };
    // The leader is done: whatever it left running in its group goes too, which closes the pipes
    // so the rest of its output can be read to the end.
    group.kill_rest();
    while reader.open {
        reader.open = reader.read(tokens).await;
    }
    reader.finish(tokens);
    writer.abort();
    let stderr_tail = stderr_tail.await.unwrap_or_default();
    if let Some(full) = reader.full {
        let usage = Usage::estimate(&input, reader.output.as_str());
        return Err(full.error(&settings.program).with_partial(reader.output.into_string(), usage));
    }

    let output = reader.output.into_string();
    let usage = Usage::estimate(&input, &output);
    let status = match status {
        Ok(status) => status,
        Err(e) => return Err(PlayError::fatal(format!("lost track of {}: {e}", settings.program)).with_partial(output, usage)),
    };
    if status.success() {
        return Ok(Played { output, usage, cost_usd: 0.0 });
    }
    let mut message = format!("{} {}", settings.program, exit_words(status));
    if !stderr_tail.trim().is_empty() {
        message.push_str("; stderr ends with:\n");
        message.push_str(stderr_tail.trim_end());
    }
    Err(PlayError::fatal(message).with_partial(output, usage))
}

/// The working directory: the workspace, or a folder inside it. Anything that resolves outside
/// (`..`, an absolute path, a symlink pointing out) is refused.
pub(crate) fn working_dir(workspace: &Path, cwd: Option<&str>) -> Result<PathBuf, PlayError> {
    let root = workspace
        .canonicalize()
        .map_err(|e| PlayError::fatal(format!("the workspace folder {} cannot be used: {e}", workspace.display())))?;
    let Some(cwd) = cwd else { return Ok(root) };
    let dir = root
        .join(cwd)
        .canonicalize()
        .map_err(|e| PlayError::fatal(format!("the working directory {cwd:?} cannot be used: {e}")))?;
    if !dir.starts_with(&root) {
        return Err(PlayError::fatal(format!(
            "the working directory {cwd:?} is outside the workspace {}; a command runs inside its workspace",
            root.display()
        )));
    }
    Ok(dir)
}

/// A bare name is looked up on PATH; a relative path is taken from the workspace, not from
/// whatever the studio's own working directory happens to be.
pub(crate) fn program_path(workspace: &Path, program: &str) -> PathBuf {
    let path = Path::new(program);
    if path.is_relative() && path.components().count() > 1 { workspace.join(path) } else { path.to_path_buf() }
}

pub(crate) fn environment(names: &[String]) -> Vec<(String, OsString)> {
    BASE_ENV
        .iter()
        .copied()
        .chain(names.iter().map(String::as_str))
        .filter_map(|name| std::env::var_os(name).map(|value| (name.to_string(), value)))
        .collect()
}

fn spawn_error(program: &str, error: &std::io::Error) -> PlayError {
    match error.kind() {
        ErrorKind::NotFound => PlayError::fatal(format!(
            "program {program:?} was not found (a bare name is looked up on PATH, a path is taken from the workspace)"
        )),
        ErrorKind::PermissionDenied => PlayError::fatal(format!("program {program:?} cannot be run: permission denied (is it executable?)")),
        _ => PlayError::fatal(format!("program {program:?} could not be started: {error}")),
    }
}

fn exit_words(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with code {code}");
    }
    // Only Unix ends a process without an exit code, by a signal; Windows always has a code.
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return format!("was killed by signal {signal}");
    }
    "failed".to_string()
}

async fn write_all_and_close(mut stdin: tokio::process::ChildStdin, bytes: Vec<u8>) {
    // A program may exit without reading its input; the broken pipe that follows is not a failure.
    let _ = stdin.write_all(&bytes).await;
    let _ = stdin.shutdown().await;
}

/// The last [`STDERR_TAIL`] bytes of a stream, as text.
async fn tail(mut stream: impl AsyncRead + Unpin) -> String {
    let mut kept = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Ok(n @ 1..) = stream.read(&mut buffer).await {
        kept.extend_from_slice(&buffer[..n]);
        if kept.len() > 2 * STDERR_TAIL {
            kept.drain(..kept.len() - STDERR_TAIL);
        }
    }
    let start = kept.len().saturating_sub(STDERR_TAIL);
    String::from_utf8_lossy(&kept[start..]).trim_start_matches('\u{FFFD}').to_string()
}

/// Stdout being read: streamed to the token channel and collected, up to the output limit.
struct Streamed {
    stdout: tokio::process::ChildStdout,
    text: Utf8Text,
    output: Output,
    /// Set once the output reached its limit; nothing more is read.
    full: Option<Full>,
    open: bool,
}

impl Streamed {
    /// Reads one chunk; false once stdout is closed or the output is full.
    async fn read(&mut self, tokens: &UnboundedSender<String>) -> bool {
        let mut buffer = [0u8; 8192];
        match self.stdout.read(&mut buffer).await {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                let piece = self.text.push(&buffer[..n]);
                self.emit(&piece, tokens);
                self.full.is_none()
            }
        }
    }

    fn finish(&mut self, tokens: &UnboundedSender<String>) {
        let rest = self.text.finish();
        self.emit(&rest, tokens);
    }

    fn emit(&mut self, piece: &str, tokens: &UnboundedSender<String>) {
        if self.full.is_none() {
            self.full = self.output.push(piece, tokens).err();
        }
    }
}

/// Decodes a byte stream as UTF-8 piece by piece, holding back a character split across reads;
/// invalid bytes become U+FFFD.
#[derive(Default)]
struct Utf8Text {
    pending: Vec<u8>,
}

impl Utf8Text {
    fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let mut text = String::new();
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    text.push_str(valid);
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    text.push_str(std::str::from_utf8(valid).expect("valid_up_to marks a valid prefix"));
                    match e.error_len() {
                        // An incomplete character at the end: wait for the next read.
                        None => {
                            rest = after;
                            break;
                        }
                        Some(bad) => {
                            text.push('\u{FFFD}');
                            rest = &after[bad..];
                        }
                    }
                }
            }
        }
        self.pending = rest.to_vec();
        text
    }

    fn finish(&mut self) -> String {
        let rest = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        rest
    }
}
