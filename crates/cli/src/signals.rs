//! Stopping on a signal without leaving programs behind.
//!
//! Ctrl-C, SIGTERM and SIGHUP (a closed terminal, `kill`, a service manager stopping us) all cut
//! the performance off through the conductor: it reaches every instrument, a command's whole
//! process group is stopped, and the finish is recorded, after which `ensemble` exits on its own.
//! A second signal means "now": it still gives the conductor up to [`FORCE_BOUND`] to kill the
//! process groups (they get [`ensemble_instruments`]' short grace, then SIGKILL) before exiting,
//! so even an impatient stop leaves no program running.

use std::time::Duration;

use ensemble_conductor::{Command, Control};
use tokio::sync::watch;

/// How long a second signal waits for the conductor to finish cutting off before exiting.
pub const FORCE_BOUND: Duration = Duration::from_secs(3);

/// Watches for stop signals for as long as the performance runs; `finished` turns true once
/// the conductor has recorded the end. Abort the task when the performance is over.
pub fn watch(control: Control, mut finished: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Ok(mut signals) = Signals::new() else { return };
        if signals.next().await.is_none() {
            return;
        }
        control.send(Command::CutOff);
        if signals.next().await.is_none() {
            return;
        }
        // Every event so far is already in the store; the programs still have to go.
        let _ = tokio::time::timeout(FORCE_BOUND, finished.wait_for(|done| *done)).await;
        std::process::exit(130);
    })
}

/// The stop signals of this platform.
struct Signals {
    #[cfg(unix)]
    streams: [tokio::signal::unix::Signal; 3],
    #[cfg(windows)]
    ctrl_break: tokio::signal::windows::CtrlBreak,
}

impl Signals {
    #[cfg(unix)]
    fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals { streams: [signal(SignalKind::interrupt())?, signal(SignalKind::terminate())?, signal(SignalKind::hangup())?] })
    }

    #[cfg(windows)]
    fn new() -> std::io::Result<Signals> {
        Ok(Signals { ctrl_break: tokio::signal::windows::ctrl_break()? })
    }

    /// The next stop signal; `None` if signals can no longer be received.
    #[cfg(unix)]
    async fn next(&mut self) -> Option<()> {
        let [interrupt, terminate, hangup] = &mut self.streams;
        tokio::select! {
            got = interrupt.recv() => got,
            got = terminate.recv() => got,
            got = hangup.recv() => got,
        }
    }

    #[cfg(windows)]
    async fn next(&mut self) -> Option<()> {
        tokio::select! {
            got = tokio::signal::ctrl_c() => got.ok(),
            got = self.ctrl_break.recv() => got,
        }
    }
}
