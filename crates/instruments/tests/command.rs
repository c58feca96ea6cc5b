//! The command instrument with real child processes.
//!
//! The programs are POSIX shell scripts (`sh`, `mkfifo`, `sleep`), so these run on Unix only.
//!
//! No test depends on how fast the machine is: a program that must wait for the test waits on a
//! FIFO the test writes to, never on a sleep, and an ended process is polled for until it is gone.
//! The only time bound, [`HANG_GUARD`], keeps a broken build from hanging the suite; every program
//! that a broken build would wait for outlives it, so the guard is what fails then, not a pass
//! after a long wait.
#![cfg(unix)]

mod common;

use std::time::Duration;

use ensemble_instruments::command;
use ensemble_score::CommandSettings;

/// How long a test may take before it is declared hung: far beyond any load, far below the
/// hour that the programs which a broken build would wait for sleep.
const HANG_GUARD: Duration = Duration::from_secs(600);

fn sh(script: &str) -> CommandSettings {
    CommandSettings { program: "sh".into(), args: vec!["-c".into(), script.into()], ..CommandSettings::default() }
}

#[tokio::test]
async fn the_program_reads_the_prompt_on_stdin_and_its_stdout_is_the_output() {
    let (stage, _workspace) = common::stage();
    let (tx, mut rx) = common::tokens();
    let settings = CommandSettings { program: "cat".into(), ..CommandSettings::default() };
    let prompt = common::prompt();

    let played = command::play(&settings, &prompt, &stage, &tx).await.expect("cat succeeds");

    assert_eq!(played.output, prompt.full_text());
    assert_eq!(common::drain(&mut rx).concat(), prompt.full_text());
    let chars = |s: &str| s.chars().count() as u64;
    assert_eq!(played.usage.input_tokens, chars(&prompt.full_text()).div_ceil(4));
    assert_eq!(played.usage.output_tokens, chars(&played.output).div_ceil(4));
    assert_eq!(played.cost_usd, 0.0);
}

#[tokio::test]
async fn stdout_is_streamed_piece_by_piece_in_order() {
    let (stage, workspace) = common::stage();
    let (tx, mut rx) = common::tokens();
    // After each line the script waits for the test to answer through a FIFO, which the test does
    // only once it has received that line: output held back until exit would never arrive. One
    // FIFO per wait: with one for both, the second wait could open it while the first answer's
    // writer was still closing, read its end at once, and print line2 and line3 together.
    let fifos = [mkfifo(workspace.path(), "go1"), mkfifo(workspace.path(), "go2")];
    let settings = sh("echo line1; read a < go1; echo line2; read b < go2; echo line3");
    let prompt = common::prompt();

    let run = command::play(&settings, &prompt, &stage, &tx);
    let answer = async {
        let mut seen = String::new();
        for (line, fifo) in ["line1\n", "line2\n"].into_iter().zip(&fifos) {
            while !seen.ends_with(line) {
                seen.push_str(&rx.recv().await.expect("the program is still running"));
            }
            release(fifo).await;
        }
        seen
    };
    let (result, seen) = tokio::time::timeout(HANG_GUARD, futures::future::join(run, answer))
        .await
        .expect("each line arrives while the program waits");

    let played = result.expect("the script succeeds");
    assert_eq!(seen, "line1\nline2\n");
    assert_eq!(played.output, "line1\nline2\nline3\n");
    assert_eq!(seen + &common::drain(&mut rx).concat(), played.output);
}

/// Makes the FIFO `name` in `dir`, which a script reads from to wait for the test.
fn mkfifo(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let fifo = dir.join(name);
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo made the FIFO");
    fifo
}

/// Lets a script waiting with `read _ < go` go on (opening a FIFO blocks until both ends are open).
async fn release(fifo: &std::path::Path) {
    let fifo = fifo.to_path_buf();
    tokio::task::spawn_blocking(move || std::fs::write(fifo, "go\n")).await.expect("the writer ran").expect("the FIFO opens");
}

#[tokio::test]
async fn a_failing_program_reports_its_exit_code_stderr_and_partial_output() {
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let settings = sh("cat >/dev/null; echo halfway; echo 'first problem' >&2; echo 'tests failed: 3' >&2; exit 3");

    let error = command::play(&settings, &common::prompt(), &stage, &tx).await.expect_err("the script exits with 3");

    assert!(!error.transient);
    assert!(error.message.contains("exited with code 3"), "{}", error.message);
    assert!(error.message.contains("tests failed: 3"), "{}", error.message);
    assert_eq!(error.partial_output, "halfway\n");
}

#[tokio::test]
async fn only_the_tail_of_a_long_stderr_is_reported() {
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let settings = sh("i=0; while [ $i -lt 500 ]; do echo \"noise line $i\" >&2; i=$((i+1)); done; echo 'the last word' >&2; exit 1");

    let error = command::play(&settings, &common::prompt(), &stage, &tx).await.expect_err("the script exits with 1");

    assert!(error.message.ends_with("the last word"), "{}", error.message);
    assert!(!error.message.contains("noise line 0\n"), "the start of stderr is cut");
    assert!(error.message.len() < 2048 + 200, "message is {} bytes", error.message.len());
}

#[tokio::test]
async fn only_allowed_environment_variables_reach_the_program() {
    common::set_key_var();
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let script = format!("echo \"path=${{PATH:+set}} listed=${{LISTED_TEST_VAR}} key=${{{}:-absent}}\"", common::KEY_VAR);
    let settings = CommandSettings { env: vec!["LISTED_TEST_VAR".into()], ..sh(&script) };
    // SAFETY: no other test in this binary reads or writes this variable.
    unsafe { std::env::set_var("LISTED_TEST_VAR", "passed") };

    let played = command::play(&settings, &common::prompt(), &stage, &tx).await.expect("echo succeeds");

    assert_eq!(played.output, "path=set listed=passed key=absent\n");
}

#[tokio::test]
async fn it_runs_in_the_workspace_or_a_folder_inside_it() {
    let (stage, workspace) = common::stage();
    std::fs::create_dir(workspace.path().join("docs")).expect("the workspace is writable");
    let (tx, _rx) = common::tokens();
    let root = workspace.path().canonicalize().expect("the workspace exists");

    let here = command::play(&sh("pwd"), &common::prompt(), &stage, &tx).await.expect("pwd succeeds");
    let inside = CommandSettings { cwd: Some("docs".into()), ..sh("pwd") };
    let there = command::play(&inside, &common::prompt(), &stage, &tx).await.expect("pwd succeeds");

    assert_eq!(here.output.trim_end(), root.to_str().expect("temp paths are text"));
    assert_eq!(there.output.trim_end(), root.join("docs").to_str().expect("temp paths are text"));
}

#[tokio::test]
async fn a_working_directory_outside_the_workspace_is_refused() {
    let (stage, workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let marker = workspace.path().join("ran");
    std::os::unix::fs::symlink("/", workspace.path().join("root-link")).expect("the workspace is writable");

    for cwd in ["..", "/tmp", "root-link"] {
        let settings = CommandSettings { cwd: Some(cwd.into()), ..sh(&format!("touch {}", marker.display())) };
        let error = command::play(&settings, &common::prompt(), &stage, &tx).await.expect_err("the folder is outside");
        assert!(error.message.contains("outside the workspace"), "{cwd}: {}", error.message);
    }
    assert!(!marker.exists(), "the program never ran");
}

#[tokio::test]
async fn a_relative_program_path_is_taken_from_the_workspace() {
    let (stage, workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let script = workspace.path().join("check.sh");
    std::fs::write(&script, "#!/bin/sh\necho checked\n").expect("the workspace is writable");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("the script is ours");
    let settings = CommandSettings { program: "./check.sh".into(), ..CommandSettings::default() };

    let played = command::play(&settings, &common::prompt(), &stage, &tx).await.expect("the script runs");

    assert_eq!(played.output, "checked\n");
}

#[tokio::test]
async fn a_missing_program_is_named_in_a_clear_message() {
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    let settings = CommandSettings { program: "no-such-program-ensemble".into(), ..CommandSettings::default() };

    let error = command::play(&settings, &common::prompt(), &stage, &tx).await.expect_err("there is no such program");

    assert!(!error.transient);
    assert!(error.message.contains("\"no-such-program-ensemble\" was not found"), "{}", error.message);
}

#[tokio::test]
async fn output_split_inside_a_character_arrives_whole() {
    let (stage, workspace) = common::stage();
    let (tx, mut rx) = common::tokens();
    // "é" is two bytes: the first is written, and the second only once the test has seen "caf",
    // so the two always arrive in separate reads.
    let fifo = mkfifo(workspace.path(), "go");
    let settings = sh("printf 'caf\\303'; read a < go; printf '\\251 ok'");
    let prompt = common::prompt();

    let run = command::play(&settings, &prompt, &stage, &tx);
    let answer = async {
        let first = rx.recv().await.expect("the program is still running");
        release(&fifo).await;
        first
    };
    let (result, first) = tokio::time::timeout(HANG_GUARD, futures::future::join(run, answer)).await.expect("the program ends once released");

    assert_eq!(first, "caf", "the half character is held back, not sent as a replacement character");
    assert_eq!(result.expect("printf succeeds").output, "café ok");
    assert_eq!(first + &common::drain(&mut rx).concat(), "café ok", "the rest streams whole");
}

/// Whether `pid` is still running (a zombie waiting for its parent counts as ended).
#[cfg(target_os = "linux")]
fn running(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => false,
        // The state follows the parenthesised command name.
        Ok(stat) => stat.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
    }
}

/// Whether `pid` is still running (a zombie waiting for its parent counts as ended), where there
/// is no `/proc` (macOS): `ps` prints the state, or nothing for a process that is gone.
#[cfg(not(target_os = "linux"))]
fn running(pid: i32) -> bool {
    let out = std::process::Command::new("ps").args(["-o", "stat=", "-p", &pid.to_string()]).output().expect("ps runs");
    let state = String::from_utf8_lossy(&out.stdout);
    !state.trim().is_empty() && !state.trim_start().starts_with('Z')
}

/// Waits until `pid` has ended; false if it still runs at [`HANG_GUARD`]. A SIGKILL is finished by
/// the kernel asynchronously, so a process just killed may still show for a moment.
async fn gone(pid: i32) -> bool {
    tokio::time::timeout(HANG_GUARD, async {
        while running(pid) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn cancelling_kills_the_whole_process_group_including_grandchildren() {
    let (stage, _workspace) = common::stage();
    let (tx, mut rx) = common::tokens();
    // The shell starts a background sleep (a grandchild of ours) and reports its pid and its own.
    let settings = sh("sleep 3600 & echo \"$! $$\"; sleep 3600");

    let prompt = common::prompt();
    let attempt = command::play(&settings, &prompt, &stage, &tx);
    let cut = async {
        let line = rx.recv().await.expect("the script prints the pids first");
        stage.cancel.cancel();
        line
    };
    let (result, line) = tokio::time::timeout(HANG_GUARD, futures::future::join(attempt, cut))
        .await
        .expect("a cancelled program is stopped instead of sleeping on");

    let error = result.expect_err("the attempt was cut off");
    assert!(error.message.contains("cut off"), "{}", error.message);
    assert_eq!(error.partial_output, line);
    let pids: Vec<i32> = line.split_whitespace().map(|p| p.parse().expect("the script prints pids")).collect();
    assert_eq!(pids.len(), 2, "{line}");
    let (grandchild, child) = (pids[0], pids[1]);
    assert!(!running(child), "the shell was reaped");
    assert!(gone(grandchild).await, "the background sleep {grandchild} survived the cut-off");
}

#[tokio::test]
async fn background_jobs_left_by_a_finished_program_are_ended() {
    let (stage, _workspace) = common::stage();
    let (tx, _rx) = common::tokens();
    // The background sleep holds stdout open; the attempt must still end when the shell does.
    let settings = sh("sleep 3600 & echo $!");

    let played = tokio::time::timeout(HANG_GUARD, command::play(&settings, &common::prompt(), &stage, &tx))
        .await
        .expect("the attempt ends with the shell, not with its background job")
        .expect("the shell exits with 0");

    let pid: i32 = played.output.trim().parse().expect("the script prints a pid");
    assert!(gone(pid).await, "the background sleep {pid} outlived its program");
}

#[tokio::test]
async fn a_program_that_writes_without_end_is_stopped_at_the_output_limit() {
    let (mut stage, workspace) = common::stage();
    stage.limits.max_output_bytes = 100_000;
    let (tx, _rx) = common::tokens();
    // Writes its pid, then "y" lines forever.
    let settings = sh("echo $$ > pid; exec yes");

    let error = tokio::time::timeout(HANG_GUARD, command::play(&settings, &common::prompt(), &stage, &tx))
        .await
        .expect("the limit ends the attempt")
        .expect_err("an endless output fails the attempt");

    assert!(!error.transient, "another attempt would write without end as well");
    assert!(error.message.contains("sh produced more than 100000 bytes") && error.message.contains("output limit"), "{}", error.message);
    assert_eq!(error.partial_output.len(), 100_000, "the output up to the limit is kept");
    assert!(error.partial_output.starts_with("y\ny\n"));
    let pid: i32 = std::fs::read_to_string(workspace.path().join("pid")).expect("the program wrote its pid").trim().parse().expect("a pid");
    // The group was stopped and its leader reaped, so the pid names no running process.
    assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists() || !cfg!(target_os = "linux"), "the program was stopped");
}
