//! A stopped `ensemble` leaves no program behind: SIGTERM, SIGHUP and a second Ctrl-C each cut
//! the performance off, the program's process is gone afterwards, and the performance is
//! recorded as finished, cut off.
#![cfg(unix)]

mod support;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use support::{chain_score, ensemble, run, text};

/// Polls `done` every 20 ms for up to `limit`; whether it became true.
fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

/// Whether `pid` still names a running process (a zombie waiting to be reaped has ended).
fn running(pid: i32) -> bool {
    if !Path::new("/proc/self").exists() {
        return kill(Pid::from_raw(pid), None).is_ok();
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => !stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// Starts `ensemble run` on a one-player score whose program writes its pid and sleeps; returns
/// the CLI and the program's pid once it is running.
fn start(dir: &Path) -> (Child, i32) {
    let pid_file = dir.join("pid");
    let program = format!("program = \"sh\"\nargs = [\"-c\", \"echo $$ > {}; exec sleep 120\"]", pid_file.display());
    let score = dir.join("sleeper.score.toml");
    std::fs::write(&score, chain_score("Sleeper", &["sleeper"], &format!("kind = \"command\"\n{program}"))).expect("writable");
    let db = dir.join("store.sqlite3");
    let child = ensemble()
        .args(["run", &score.display().to_string(), "--db", &db.display().to_string(), "--trust"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ensemble starts");
    let written = wait_for(Duration::from_secs(60), || std::fs::read_to_string(&pid_file).is_ok_and(|t| t.ends_with('\n')));
    assert!(written, "the program started and wrote its pid");
    let pid = std::fs::read_to_string(&pid_file).expect("written above").trim().parse().expect("a pid");
    (child, pid)
}

fn stopped_cleanly(signals: &[Signal]) {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let (mut cli, pid) = start(dir.path());
    assert!(running(pid), "the program runs before the signal");
    for &signal in signals {
        kill(Pid::from_raw(cli.id() as i32), signal).expect("the CLI can be signalled");
        std::thread::sleep(Duration::from_millis(100));
    }
    let exited = wait_for(Duration::from_secs(30), || cli.try_wait().expect("the CLI can be waited for").is_some());
    assert!(exited, "{signals:?} ends ensemble within the cut-off grace");
    let output = cli.wait_with_output().expect("the CLI's stderr can be read");
    assert!(wait_for(Duration::from_secs(5), || !running(pid)), "{signals:?}: the program {pid} is gone: {}", text(&output.stderr));

    let db = dir.path().join("store.sqlite3").display().to_string();
    let listed = run(&["performances", "--db", &db, "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("performances --json prints JSON");
    assert_eq!(list[0]["status"], "finished", "{signals:?}: the performance's end was recorded: {list}");
    assert_eq!(list[0]["outcome"], "cut_off", "{signals:?}: recorded as cut off: {list}");
}

#[test]
fn sigterm_cuts_off_and_leaves_no_program_running() {
    stopped_cleanly(&[Signal::SIGTERM]);
}

#[test]
fn sighup_cuts_off_and_leaves_no_program_running() {
    stopped_cleanly(&[Signal::SIGHUP]);
}

#[test]
fn a_second_ctrl_c_still_kills_the_programs_before_exiting() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let (mut cli, pid) = start(dir.path());
    kill(Pid::from_raw(cli.id() as i32), Signal::SIGINT).expect("signalled");
    kill(Pid::from_raw(cli.id() as i32), Signal::SIGINT).expect("signalled");
    let exited = wait_for(Duration::from_secs(30), || cli.try_wait().expect("waitable").is_some());
    assert!(exited, "two Ctrl-C end ensemble");
    assert!(wait_for(Duration::from_secs(5), || !running(pid)), "the program {pid} is gone");
}

/// Killed outright, `ensemble` can stop nothing itself: on Linux the kernel ends its program with it.
#[cfg(target_os = "linux")]
#[test]
fn a_program_dies_with_ensemble_killed_by_sigkill() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let (mut cli, pid) = start(dir.path());
    assert!(running(pid), "the program runs before the kill");
    kill(Pid::from_raw(cli.id() as i32), Signal::SIGKILL).expect("the CLI can be killed");
    cli.wait().expect("the killed CLI is reaped");
    // The program sleeps for two minutes: only its parent's death can end it within this bound,
    // which is there so that a broken build fails instead of waiting (it is not a speed target).
    assert!(wait_for(Duration::from_secs(60), || !running(pid)), "the program {pid} outlived the killed ensemble");
}
