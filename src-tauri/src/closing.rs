//! Closing the studio mid-performance: every running performance is cut off and given a moment
//! to finish, so its programs are stopped (whole process groups) and its end is recorded, rather
//! than the programs running on unseen and the performance showing as interrupted.

use std::time::{Duration, Instant};

use ensemble_conductor::{Command, Control};
use tauri::{AppHandle, Manager};

use crate::studio::{Playing, Studio};

/// How long closing waits for cut-off performances to finish: long enough for the conductor to
/// stop every program (its grace, then SIGKILL), short enough that closing never seems to hang.
pub const CLOSE_BOUND: Duration = Duration::from_secs(3);

/// Cuts off every performance on the stage and waits up to [`CLOSE_BOUND`] for them to end.
/// Performances run on the async runtime, so waiting here (the main thread, at exit) does not
/// hold them up; each leaves the stage once its end is recorded.
pub fn cut_off_everything(app: &AppHandle) {
    let studio = app.state::<Studio>();
    if cut_off(&studio, |_| true) == 0 {
        return;
    }
    let started = Instant::now();
    while !studio.stage.controls().is_empty() && started.elapsed() < CLOSE_BOUND {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Cuts off the performances streaming to a window that was closed while others stay open (the
/// last window's close ends the studio, and [`cut_off_everything`] waits for those). No wait
/// here: each performance records its end and leaves the stage on its own.
pub fn window_closed(app: &AppHandle, window: &str) {
    cut_off(&app.state::<Studio>(), |playing| playing.window == window);
}

/// Sends a cut-off to each performance on the stage that `which` picks; returns how many. The
/// stage is not held while sending, so a performance that ends meanwhile can leave it.
fn cut_off(studio: &Studio, which: impl Fn(&Playing) -> bool) -> usize {
    let controls: Vec<Control> = studio.stage.controls().values().filter(|p| which(p)).map(|p| p.control.clone()).collect();
    for control in &controls {
        control.send(Command::CutOff);
    }
    controls.len()
}
