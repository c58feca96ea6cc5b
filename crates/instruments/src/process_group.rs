//! Ending a program together with everything it started.
//!
//! A command instrument runs in a process group of its own, so that cutting it off reaches the
//! programs it started too (a shell's background jobs, a build's compilers). Killing only the
//! direct child would leave those running, still holding the output pipe open.

use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::process::Child;

/// How long a cut-off program may take to exit after SIGTERM before the group gets SIGKILL.
pub const GRACE: Duration = Duration::from_millis(500);

/// The process group of one running program. Dropping it kills whatever is left of the group,
/// so an attempt whose future is dropped (rather than cancelled) leaves nothing running.
pub struct Group {
    id: Option<Pid>,
}

impl Group {
    /// The group led by `child`, which was spawned with `process_group(0)`.
    pub fn led_by(child: &Child) -> Group {
        Group { id: child.id().and_then(|pid| i32::try_from(pid).ok()).map(Pid::from_raw) }
    }

    /// Asks the group to stop, waits up to [`GRACE`] for the leader, then kills what is left
    /// and reaps the leader, so no zombie stays behind.
    pub async fn stop(&mut self, leader: &mut Child) {
        self.signal(Signal::SIGTERM);
        let _ = tokio::time::timeout(GRACE, leader.wait()).await;
        self.kill_rest();
        let _ = leader.wait().await;
    }

    /// Kills every member still running, e.g. background jobs left behind by a leader that exited.
    /// After this the group is never signalled again: its id may be reused once it is empty.
    pub fn kill_rest(&mut self) {
        self.signal(Signal::SIGKILL);
        self.id = None;
    }

    fn signal(&self, signal: Signal) {
        if let Some(id) = self.id {
            // ESRCH means the group is already empty, which is what we want.
            let _ = killpg(id, signal);
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.signal(Signal::SIGKILL);
    }
}
