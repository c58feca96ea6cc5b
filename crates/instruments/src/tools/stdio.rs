//! Starting a tool server that speaks MCP over its stdin and stdout.
//!
//! The server is a program like a command instrument's: it runs inside the workspace with a
//! small environment (PATH, HOME, LANG and the names the score lists) and in a group of its own,
//! so stopping it reaches whatever it started (`npx` starts node, which may start more). Its
//! stdout is read through [`Bounded`], which refuses a line longer than [`MAX_LINE_BYTES`]: the
//! SDK collects a message line in memory until it ends, so a server that never ends one would
//! otherwise grow it without end. Its stderr is drained and dropped, so a chatty server cannot
//! block on a full pipe.

use std::io;
use std::path::Path;
use std::pin::Pin;
use std::process::Stdio;
use std::task::{Context, Poll};

use ensemble_score::ToolServer;
use tokio::io::{AsyncRead, AsyncReadExt, ReadBuf};

use crate::command::{environment, working_dir};
use crate::process_group::Group;

/// Longest message line a server may send (16 MiB plus room for JSON framing); a result is
/// capped much lower before it reaches a model, but the line is held whole until it ends.
pub const MAX_LINE_BYTES: usize = 17 << 20;

/// A started server: its group, and the ends of its pipes the MCP client speaks through.
pub struct Started {
    pub group: Group,
    pub stdout: Bounded<tokio::process::ChildStdout>,
    pub stdin: tokio::process::ChildStdin,
}

/// Starts `server` (which has a `program`) in `workspace`.
pub fn start(server: &ToolServer, program: &str, workspace: &Path) -> Result<Started, String> {
    let cwd = working_dir(workspace, server.cwd.as_deref()).map_err(|e| e.message)?;
    let mut command = tokio::process::Command::new(ensemble_score::program_in(workspace, program));
    command
        .args(&server.args)
        .current_dir(&cwd)
        .env_clear()
        .envs(environment(&server.env))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut group = Group::spawn(command).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => format!("could not start {program}: no such program (is it installed and on PATH?)"),
        _ => format!("could not start {program}: {e}"),
    })?;
    let stdin = group.stdin().expect("stdin was piped above");
    let stdout = group.stdout().expect("stdout was piped above");
    let mut stderr = group.stderr().expect("stderr was piped above");
    tokio::spawn(async move {
        let mut sink = [0u8; 8192];
        while matches!(stderr.read(&mut sink).await, Ok(n) if n > 0) {}
    });
    Ok(Started { group, stdout: Bounded::new(stdout, MAX_LINE_BYTES), stdin })
}

/// A reader that fails once a line runs past `max` bytes without a line break.
pub struct Bounded<R> {
    inner: R,
    line: usize,
    max: usize,
}

impl<R> Bounded<R> {
    pub fn new(inner: R, max: usize) -> Bounded<R> {
        Bounded { inner, line: 0, max }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for Bounded<R> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                for &byte in &buf.filled()[before..] {
                    this.line = if byte == b'\n' { 0 } else { this.line + 1 };
                    if this.line > this.max {
                        // A failed read hands over nothing, as the reader's contract asks.
                        buf.set_filled(before);
                        return Poll::Ready(Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("the server sent a message longer than {} bytes", this.max),
                        )));
                    }
                }
                Poll::Ready(Ok(()))
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bounded;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn a_line_past_the_bound_is_an_error_and_short_lines_pass() {
        let mut ok = Bounded::new(&b"12345\n12345\n"[..], 5);
        let mut text = String::new();
        ok.read_to_string(&mut text).await.expect("lines of five bytes fit a bound of five");
        assert_eq!(text, "12345\n12345\n");
        let mut long = Bounded::new(&b"123456\n"[..], 5);
        let err = long.read_to_string(&mut String::new()).await.expect_err("six bytes on one line pass a bound of five");
        assert!(err.to_string().contains("longer than 5 bytes"), "{err}");
    }
}
