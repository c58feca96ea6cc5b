//! Programs that die with the process that started them (Linux).
//!
//! Cutting a performance off stops its programs, but a studio or `ensemble` killed outright
//! (SIGKILL, the out-of-memory killer, a crash) gets no chance to. So each program asks the
//! kernel to kill it when its parent dies (`PR_SET_PDEATHSIG`, SIGKILL).
//!
//! Linux sends that signal when the *thread* that started the program ends, not when the process
//! does. Programs must therefore not be started from a thread that may end while the process
//! lives on: tokio's blocking pool retires idle threads, and a runtime (a test's, or one built for
//! a single job) ends its threads when it is dropped. So every program is started on one thread
//! kept for the whole life of the process, [`spawn_on_lasting_thread`], which only ever waits for
//! the next program to start; the program then dies exactly when the process does.
//!
//! The signal reaches the program itself, which is what a score names. Programs that it starts in
//! turn are in its process group, which a cut-off ends; the kernel has no parent-death signal for
//! a whole group, so after a SIGKILL of the studio those are left to end on their own.

use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::OnceLock;
use std::sync::mpsc::{Sender, channel, sync_channel};

use tokio::process::Command;

/// Something to run on the lasting thread.
type Job = Box<dyn FnOnce() + Send>;

/// The lasting thread's queue; `None` if the thread could not be started.
static LASTING: OnceLock<Option<Sender<Job>>> = OnceLock::new();

/// Makes the program started by `command` be killed when this process dies, and refuses to start
/// it if this process already died between the fork and the request (the kernel would then never
/// send the signal: the new parent is some other process).
pub fn die_with_parent(command: &mut Command) {
    let parent = std::process::id();
    // SAFETY: the closure runs in the forked child before exec and only makes two system calls,
    // both async-signal-safe; it allocates nothing (the error is a raw OS error code).
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0) == -1 {
                return Err(io::Error::last_os_error());
            }
            if libc::getppid() as u32 != parent {
                return Err(io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
}

/// Runs `start` (which starts a program) on the lasting thread, inside the caller's tokio runtime
/// so that the program's pipes and exit are watched by that runtime, and returns its result.
/// The caller waits as it would for starting the program itself: starting is quick, and the
/// lasting thread does nothing else.
///
/// Must be called within a tokio runtime.
pub fn spawn_on_lasting_thread<T: Send + 'static>(start: impl FnOnce() -> io::Result<T> + Send + 'static) -> io::Result<T> {
    let runtime = tokio::runtime::Handle::try_current().map_err(io::Error::other)?;
    let (reply, answer) = sync_channel(1);
    let job: Job = Box::new(move || {
        let _inside = runtime.enter();
        let _ = reply.send(start());
    });
    let lasting = LASTING.get_or_init(start_lasting_thread).as_ref();
    lasting
        .ok_or_else(|| io::Error::other("the thread that starts programs could not be created"))?
        .send(job)
        .map_err(|_| io::Error::other("the thread that starts programs has stopped"))?;
    answer.recv().map_err(|_| io::Error::other("starting the program failed unexpectedly"))?
}

/// Starts the lasting thread. It never returns: its end would kill every program it started.
/// A job that panics is contained, for the same reason.
fn start_lasting_thread() -> Option<Sender<Job>> {
    let (queue, jobs) = channel::<Job>();
    std::thread::Builder::new()
        .name("ensemble-program-starter".into())
        .spawn(move || {
            for job in jobs {
                let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
            }
        })
        .ok()?;
    Some(queue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_started_on_one_thread_whatever_runtime_asks() {
        // Two runtimes, each dropped (with its threads) after its request: both are served by
        // the same lasting thread, which is not one of theirs.
        let starter = || {
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime can be built").block_on(async {
                let asking = std::thread::current().id();
                let (serving, name) =
                    spawn_on_lasting_thread(|| Ok((std::thread::current().id(), std::thread::current().name().map(str::to_owned))))
                        .expect("the lasting thread answers");
                assert_ne!(serving, asking, "the program is not started on the asking thread");
                (serving, name)
            })
        };
        let first = std::thread::spawn(starter).join().expect("the first runtime's thread ran");
        let second = std::thread::spawn(starter).join().expect("the second runtime's thread ran");
        assert_eq!(first.0, second.0, "one thread starts every program, so none dies with a retired thread");
        assert_eq!(first.1.as_deref(), Some("ensemble-program-starter"));
    }

    #[test]
    fn a_panicking_start_leaves_the_thread_serving() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime can be built");
        runtime.block_on(async {
            let failed = spawn_on_lasting_thread::<()>(|| panic!("a start that panics"));
            assert!(failed.is_err(), "the caller hears of the failure instead of waiting forever");
            let served = spawn_on_lasting_thread(|| Ok(7));
            assert_eq!(served.expect("the thread still serves after a panic"), 7);
        });
    }
}
