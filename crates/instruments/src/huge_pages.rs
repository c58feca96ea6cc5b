//! Programs a score runs start with the system's setting for transparent huge pages.
//!
//! A process may turn huge pages off for itself (`PR_SET_THP_DISABLE`), and the kernel passes
//! that on to every program it starts. The studio does so for its own memory; without this, a
//! command player or a tool server started from the studio would run without huge pages while
//! the same score run by `ensemble` would not. A program that holds a model in memory, say,
//! must behave the same from both.

use std::io;

use tokio::process::Command;

/// Makes the program started by `command` take the system's huge-page setting, whatever this
/// process chose for itself.
pub fn system_setting(command: &mut Command) {
    // SAFETY: the closure runs in the forked child before exec and makes one async-signal-safe
    // system call with integer arguments; it allocates nothing (the error is a raw OS error code).
    unsafe {
        command.pre_exec(|| {
            // Kernels before 3.15 lack the setting (EINVAL): they gave it to nobody to inherit.
            if libc::prctl(libc::PR_SET_THP_DISABLE, 0 as libc::c_ulong, 0 as libc::c_ulong, 0 as libc::c_ulong, 0 as libc::c_ulong) == -1
                && io::Error::last_os_error().raw_os_error() != Some(libc::EINVAL)
            {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::process_group::Group;

    #[tokio::test]
    async fn a_program_gets_huge_pages_back_when_this_process_turned_them_off() {
        // This test process turns them off, as the studio does; nothing else here depends on them.
        // SAFETY: integer arguments only; sets a flag of this process.
        let set = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1 as libc::c_ulong, 0 as libc::c_ulong, 0 as libc::c_ulong, 0 as libc::c_ulong) };
        assert_eq!(set, 0, "this kernel has the setting");
        let own = std::fs::read_to_string("/proc/self/status").expect("readable");
        assert!(own.contains("THP_enabled:\t0"), "the test process runs without huge pages");

        let mut command = tokio::process::Command::new("grep");
        command.args(["THP_enabled", "/proc/self/status"]).stdout(std::process::Stdio::piped());
        let mut group = Group::spawn(command).expect("grep starts");
        let mut out = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut group.stdout().expect("piped"), &mut out).await.expect("readable");
        assert_eq!(out.trim(), "THP_enabled:\t1", "a program a score runs starts with the system's setting, not the studio's");
    }
}
