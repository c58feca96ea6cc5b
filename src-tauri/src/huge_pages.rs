//! The studio and the WebKit processes it starts use no transparent huge pages. WebKit's allocator
//! asks the kernel for huge pages on its heap, so each of the few places it writes to in the
//! studio process becomes a whole 2 MiB page: about 18 MiB resident at idle for about 1 MiB of
//! data (bench/README.md). A window's heaps are small, so the pages' speed is not worth it. The
//! kernel passes the setting on to every program the process starts, which is how WebKit's web
//! and network processes get it; programs a score runs get the system's setting back
//! (`ensemble_instruments`' `huge_pages`).

/// Turns transparent huge pages off for this process and those it starts. First thing in `run`,
/// before the heaps take pages that would otherwise be huge ones. A kernel without the setting
/// (before Linux 3.15) leaves things as they are.
#[cfg(target_os = "linux")]
pub fn refuse() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments and no pointer; it sets a flag of this
    // process, which programs it starts inherit (the purpose).
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1 as libc::c_ulong, 0 as libc::c_ulong, 0 as libc::c_ulong, 0 as libc::c_ulong) };
}

#[cfg(not(target_os = "linux"))]
pub fn refuse() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// What `/proc/self/status` says of huge pages, as seen by a program started from here.
    fn child_says() -> String {
        let out = std::process::Command::new("grep").args(["THP_enabled", "/proc/self/status"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn programs_started_after_refuse_run_without_huge_pages() {
        // The flag is the test process's too from here on; nothing else in it depends on huge pages.
        assert!(!child_says().contains("THP_enabled:\t0"), "before, a program may use huge pages (else this test proves nothing)");
        super::refuse();
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        assert!(status.contains("THP_enabled:\t0"), "this process refuses huge pages");
        assert!(child_says().contains("THP_enabled:\t0"), "so does a program it starts, as WebKit's processes are started");
    }
}
