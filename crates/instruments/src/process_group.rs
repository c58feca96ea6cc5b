//! Ending a program together with everything it started.
//!
//! A command instrument runs in a group of its own, so that cutting it off reaches the programs
//! it started too (a shell's background jobs, a build's compilers). Killing only the direct child
//! would leave those running, still holding the output pipe open. The group is a process group
//! on Unix and a job object on Windows, both through `process-wrap`; a job object also ends its
//! members when its last handle closes, so even a studio that dies leaves nothing behind there.
//! On Linux the program itself is killed when the studio dies (see `parent_death`).

use std::io;
use std::process::ExitStatus;
use std::time::Duration;

use process_wrap::tokio::{ChildWrapper, CommandWrap, KillOnDrop};
use tokio::process::{ChildStderr, ChildStdin, ChildStdout, Command};

/// How long a cut-off program may take to exit after being asked to stop (SIGTERM) before the
/// whole group is killed. Windows has no such request for a console-less program: it is killed.
pub const GRACE: Duration = Duration::from_millis(500);

/// One running program and its group. Dropping it kills whatever is left of the group, so an
/// attempt whose future is dropped (rather than cancelled) leaves nothing running.
pub struct Group {
    /// The group's wrapper around the program, the group's leader.
    child: Box<dyn ChildWrapper>,
    /// False once the group was killed after its leader ended: from then on it is never
    /// signalled again, since on Unix its id may be reused once the group is empty.
    live: bool,
}

impl Group {
    /// Starts `command` as the leader of a new group. On Linux the program also dies with this
    /// process, however it ends (see [`crate::parent_death`]), and takes the system's huge-page
    /// setting (see [`crate::huge_pages`]).
    #[cfg(target_os = "linux")]
    pub fn spawn(mut command: Command) -> io::Result<Group> {
        crate::parent_death::die_with_parent(&mut command);
        crate::huge_pages::system_setting(&mut command);
        crate::parent_death::spawn_on_lasting_thread(move || Group::spawn_here(command))
    }

    /// Starts `command` as the leader of a new group.
    #[cfg(not(target_os = "linux"))]
    pub fn spawn(command: Command) -> io::Result<Group> {
        Group::spawn_here(command)
    }

    /// Starts `command` as the leader of a new group, from the calling thread.
    fn spawn_here(command: Command) -> io::Result<Group> {
        let mut command = CommandWrap::from(command);
        // Kills the leader if its handle is dropped; on Windows it also makes closing the job
        // object end every member of it.
        command.wrap(KillOnDrop);
        #[cfg(unix)]
        command.wrap(process_wrap::tokio::ProcessGroup::leader());
        #[cfg(windows)]
        command.wrap(process_wrap::tokio::JobObject);
        Ok(Group { child: command.spawn()?, live: true })
    }

    pub fn stdin(&mut self) -> Option<ChildStdin> {
        self.child.stdin().take()
    }

    pub fn stdout(&mut self) -> Option<ChildStdout> {
        self.child.stdout().take()
    }

    pub fn stderr(&mut self) -> Option<ChildStderr> {
        self.child.stderr().take()
    }

    /// Waits for the leader alone to exit. The group's own wait would also wait for every
    /// member (a job object's does), whereas a finished program's background jobs are to be
    /// ended, not waited for (see [`Group::kill_rest`]).
    pub async fn leader_exit(&mut self) -> io::Result<ExitStatus> {
        // The group wrapper wraps the program's own child handle directly.
        self.child.inner_mut().wait().await
    }

    /// Asks the group to stop, waits up to [`GRACE`] for the leader, then kills what is left
    /// and reaps the leader, so no zombie stays behind.
    pub async fn stop(&mut self) {
        if self.ask_to_stop() {
            let _ = tokio::time::timeout(GRACE, self.leader_exit()).await;
        }
        self.kill_rest();
        let _ = self.leader_exit().await;
    }

    /// Kills every member still running, e.g. background jobs left behind by a leader that exited.
    /// After this the group is never signalled again.
    pub fn kill_rest(&mut self) {
        self.kill();
        self.live = false;
    }

    fn kill(&mut self) {
        if self.live {
            // An error means the group is already empty, which is what we want.
            let _ = self.child.start_kill();
        }
    }

    /// Sends the whole group SIGTERM; true if it was sent.
    #[cfg(unix)]
    fn ask_to_stop(&self) -> bool {
        self.live && self.child.signal(libc::SIGTERM).is_ok()
    }

    /// Windows has no polite stop for a program without a console window.
    #[cfg(not(unix))]
    fn ask_to_stop(&self) -> bool {
        false
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill();
    }
}
