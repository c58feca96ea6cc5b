//! How the window is drawn on a Linux machine without a graphics device (a virtual machine, a
//! remote or virtual display). WebKitGTK composites pages with OpenGL; with no GPU that GL is
//! Mesa's software renderer, which maps LLVM into both the studio and its web process and keeps
//! large GL buffers: about 80 MB more at idle than WebKit's own non-composited drawing, and it
//! paints the first frame later (bench/README.md). So where no GPU render node exists,
//! compositing is turned off, unless the person set `WEBKIT_DISABLE_COMPOSITING_MODE` themselves.
//! Machines with a GPU keep WebKit's defaults.
//!
//! Without compositing, only the web process draws with GL; the studio process paints what it
//! sends with cairo. Yet GTK (choosing GL visuals) and WebKit (probing an EGL display) would still
//! load Mesa and LLVM into the studio process, about 30 MB of it resident. So, on the same
//! machines with an X11 display, the studio process keeps GL out of itself: GTK's GL is switched
//! off, and the EGL library (glvnd) is made to read an empty list of drivers, once, before it is
//! unset again, so that the web process, started later with the studio's environment, finds
//! Mesa as usual.

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
    if has_render_node(Path::new(RENDER_NODES)) {
        return;
    }
    match std::env::var_os(SWITCH) {
        // SAFETY: called at the start of `run`, before the runtime, the window or any plugin
        // starts a thread (see above), so no other thread can be reading the environment.
        None => unsafe { std::env::set_var(SWITCH, "1") },
        // The person turned compositing on: WebKit draws with GL in both processes.
        Some(value) if value == "0" => return,
        // The person turned it off themselves (WebKit reads any value but "0" so).
        Some(_) => {}
    }
    keep_gl_out_of_this_process();
}

/// GTK's GL switch, and glvnd's lists of EGL drivers (files, folders) a person may have set.
#[cfg(target_os = "linux")]
const GL_SWITCHES: [&str; 3] = ["GDK_GL", "__EGL_VENDOR_LIBRARY_FILENAMES", "__EGL_VENDOR_LIBRARY_DIRS"];

/// Leaves GL to the web process (see the module's documentation), on an X11 display only: there
/// the studio process draws through X and needs no EGL, which is what the end-to-end scenarios
/// check; a Wayland session's window may need EGL in the studio process, so it is left as it is.
/// Does nothing either where the person set any of `GL_SWITCHES`: they chose their GL themselves.
/// Same soundness rule as `choose`.
#[cfg(target_os = "linux")]
fn keep_gl_out_of_this_process() {
    const VENDORS: &str = "__EGL_VENDOR_LIBRARY_FILENAMES";
    // A Wayland display is a socket: named by its path, or by its name in the session's folder.
    let wayland_socket = |name: &std::ffi::OsStr| match Path::new(name) {
        path if path.is_absolute() => path.exists(),
        _ => std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| Path::new(&dir).join(name).exists()),
    };
    if !on_x11(|name| std::env::var_os(name), wayland_socket) || GL_SWITCHES.iter().any(|name| std::env::var_os(name).is_some()) {
        return;
    }
    // SAFETY: as in `choose`, no other thread exists yet.
    unsafe {
        std::env::set_var("GDK_GL", "disable");
        // A file that cannot exist: glvnd then loads no driver into this process.
        std::env::set_var(VENDORS, "/dev/null/no-egl-driver.json");
    }
    load_egl_drivers();
    // SAFETY: as above. From here on, processes started by the studio see glvnd's own lists.
    unsafe { std::env::remove_var(VENDORS) };
}

/// Makes glvnd's EGL library read its list of drivers now. It reads it once, on the first call
/// that needs a driver; asking for the client extensions is such a call and needs no display. A
/// system without `libEGL.so.1` (or one whose EGL is not glvnd) is left as it is.
#[cfg(target_os = "linux")]
fn load_egl_drivers() {
    const EGL_EXTENSIONS: libc::c_int = 0x3055;
    type QueryString = unsafe extern "C" fn(display: *mut libc::c_void, name: libc::c_int) -> *const libc::c_char;
    // SAFETY: dlopen and dlsym take NUL-terminated names; the symbol is cast to eglQueryString's C
    // signature, and EGL_NO_DISPLAY (null) with EGL_EXTENSIONS is a valid call, made for what it
    // does in passing: glvnd loads its drivers (none, as set above) to answer it. The library is
    // only looked up, not loaded: WebKit links it, so it is already there, or else left alone.
    unsafe {
        let library = libc::dlopen(c"libEGL.so.1".as_ptr(), libc::RTLD_LAZY | libc::RTLD_NOLOAD);
        if library.is_null() {
            return;
        }
        let symbol = libc::dlsym(library, c"eglQueryString".as_ptr());
        if !symbol.is_null() {
            let query: QueryString = std::mem::transmute(symbol);
            query(std::ptr::null_mut(), EGL_EXTENSIONS);
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub fn choose() {}

/// Whether GTK will open an X11 display, given the environment `var` and whether a Wayland
/// socket of a given name or path exists (`socket`). GTK tries Wayland first unless
/// `GDK_BACKEND` names X11 first, and a Wayland client finds its compositor through
/// `WAYLAND_SOCKET`, `WAYLAND_DISPLAY`, or else the socket `wayland-0`.
#[cfg(any(target_os = "linux", test))]
fn on_x11(var: impl Fn(&str) -> Option<std::ffi::OsString>, socket: impl Fn(&std::ffi::OsStr) -> bool) -> bool {
    if var("DISPLAY").is_none() {
        return false;
    }
    let backend = var("GDK_BACKEND").map(|b| b.to_string_lossy().into_owned()).unwrap_or_default();
    if backend.trim_start().starts_with("x11") {
        return true;
    }
    let display = var("WAYLAND_DISPLAY").unwrap_or_else(|| "wayland-0".into());
    let wayland = var("WAYLAND_SOCKET").is_some() || (!display.is_empty() && socket(&display));
    !wayland && backend.is_empty()
}

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

    #[test]
    fn gl_stays_out_of_the_studio_process_only_on_an_x11_display() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| std::ffi::OsString::from(v))
        };
        let none = |_: &std::ffi::OsStr| false;
        let sockets = |name: &std::ffi::OsStr| name == "wayland-0" || name == "wayland-1";
        assert!(on_x11(env(&[("DISPLAY", ":0")]), none), "an X11 session");
        assert!(!on_x11(env(&[("DISPLAY", ":0"), ("WAYLAND_DISPLAY", "wayland-1")]), sockets), "Wayland with XWayland: GTK takes Wayland");
        assert!(on_x11(env(&[("DISPLAY", ":0"), ("WAYLAND_DISPLAY", "wayland-1"), ("GDK_BACKEND", "x11")]), sockets), "X11 asked for");
        assert!(!on_x11(env(&[("DISPLAY", ":0"), ("GDK_BACKEND", "wayland,x11")]), none), "Wayland asked for first");
        assert!(!on_x11(env(&[("DISPLAY", ":0"), ("WAYLAND_SOCKET", "5")]), none), "a compositor's own socket handed over");
        assert!(!on_x11(env(&[("DISPLAY", ":0")]), sockets), "no WAYLAND_DISPLAY, but the default socket of a running session");
        assert!(on_x11(env(&[("DISPLAY", ":0"), ("WAYLAND_DISPLAY", "wayland-9")]), sockets), "a named display whose socket is gone");
        assert!(!on_x11(env(&[("WAYLAND_DISPLAY", "wayland-1")]), sockets), "Wayland only");
        assert!(!on_x11(env(&[]), none), "no display at all");
    }
}
