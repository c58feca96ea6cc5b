//! How the window is drawn on a Linux machine without a graphics device (a virtual machine, a
//! remote or virtual display). WebKitGTK composites pages with OpenGL; with no GPU that GL is
//! Mesa's software renderer, which maps LLVM into both the studio and its web process and keeps
//! large GL buffers: about 80 MB more at idle than WebKit's own non-composited drawing, and it
//! paints the first frame later (bench/README.md). So where no GPU render node exists,
//! compositing is turned off, unless the person set `WEBKIT_DISABLE_COMPOSITING_MODE` themselves.
//! Machines with a GPU keep WebKit's defaults.

#[cfg(any(target_os = "linux", test))]
use std::path::Path;

/// Where Linux lists the GPUs a program can render with (`renderD128`, ...).
#[cfg(target_os = "linux")]
const RENDER_NODES: &str = "/dev/dri";

/// Sets WebKit's drawing mode for this machine. Must run first in `main`, before any thread is
/// started: it changes the process environment, which is only sound while nothing else reads it.
#[cfg(target_os = "linux")]
pub fn choose() {
    const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(SWITCH).is_none() && !has_render_node(Path::new(RENDER_NODES)) {
        // SAFETY: called at the start of `run`, before the runtime, the window or any plugin
        // starts a thread (see above), so no other thread can be reading the environment.
        unsafe { std::env::set_var(SWITCH, "1") };
    }
}

#[cfg(not(target_os = "linux"))]
pub fn choose() {}

/// Whether `dir` holds a GPU render node; a missing or unreadable folder means none.
#[cfg(any(target_os = "linux", test))]
fn has_render_node(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_means_a_gpu_and_anything_else_means_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(&dir.path().join("missing")), "no /dev/dri at all: software rendering");
        std::fs::write(dir.path().join("card0"), "").unwrap();
        assert!(!has_render_node(dir.path()), "a display card without a render node cannot render for the studio");
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        assert!(has_render_node(dir.path()), "a render node is a GPU the web process can draw with");
    }
}
