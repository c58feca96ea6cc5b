//! Which process owns a performance, and whether that process is still alive.
//!
//! A performance with no finish event is either still being conducted or was interrupted (its
//! process was killed, crashed, or the machine restarted). The store tells them apart by the
//! owner recorded when the performance began: its pid, the boot it ran in, and the pid's start
//! time, so that neither a reboot nor a recycled pid makes a dead performance look alive.

/// The identity of a process, as far as this machine can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub pid: u32,
    /// The kernel's boot id (Linux), or empty where there is none.
    pub boot: String,
    /// When the process started, in clock ticks since boot (Linux), if known.
    pub start: Option<u64>,
}

impl Owner {
    /// This process.
    pub fn current() -> Owner {
        let pid = std::process::id();
        Owner { pid, boot: boot_id(), start: start_time(pid) }
    }

    /// Whether the recorded owner is still running: same boot, pid alive, same start time.
    pub fn is_alive(&self) -> bool {
        if self.boot != boot_id() {
            return false;
        }
        let Ok(pid) = i32::try_from(self.pid) else { return false };
        if pid <= 0 {
            return false;
        }
        // Signal 0 checks existence; EPERM means it exists but belongs to someone else.
        match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
            Ok(()) | Err(nix::errno::Errno::EPERM) => {}
            Err(_) => return false,
        }
        match (self.start, start_time(self.pid)) {
            (Some(recorded), Some(now)) => recorded == now && !is_zombie(self.pid),
            _ => !is_zombie(self.pid),
        }
    }
}

fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id").map(|s| s.trim().to_string()).unwrap_or_default()
}

/// Fields of `/proc/PID/stat` after the command name (which may itself hold spaces and parentheses).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    Some(rest.split_whitespace().map(str::to_string).collect())
}

fn start_time(pid: u32) -> Option<u64> {
    // After the command name: state is field 3, starttime is field 22 (so index 19 here).
    stat_fields(pid)?.get(19)?.parse().ok()
}

/// A killed child that its parent has not yet reaped still has a pid, but it is not running.
fn is_zombie(pid: u32) -> bool {
    stat_fields(pid).and_then(|f| f.first().cloned()).is_some_and(|state| state == "Z" || state == "X")
}
