//! Files a person opens with the studio from outside it. The studio edits one score per window,
//! so of the files one launch names the first goes to the first window ("main") and each further
//! one opens in a window of its own: `ensemble-studio a.score.toml b.score.toml`, or a file
//! manager opening two files at once, shows both. At the very first launch the main window finds
//! its file through `startup`; a later launch (a second studio, which passes its arguments to
//! this one through the single-instance plugin and exits, or the macOS "open file" event) hands
//! its first file to the running main window, which opens it like File > Open, and the rest go
//! to new windows the same way. Which arguments are files, and how each opens, is decided in
//! `ensemble_api::launch`; here they are only routed to windows and the window is raised.
//!
//! The main window subscribes once it has started (`watch_opened_files`); files that arrive
//! before that wait in the inbox, so a double-click during start-up is not lost.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use ensemble_api::launch::{self, FileToOpen};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State, WebviewWindow, WebviewWindowBuilder};

/// The label of the window the studio starts with (Tauri's default for the configured window).
pub const MAIN_WINDOW: &str = "main";

/// Files waiting for the main window, the main window's channel once it listens, and the file
/// each window was opened for.
#[derive(Default)]
pub struct OpenedFiles {
    inbox: Mutex<Inbox>,
    /// By window label: the file that window opens when its page starts (and again on reload).
    started_with: Mutex<HashMap<String, FileToOpen>>,
    /// Windows opened so far for further files, so each gets a label of its own.
    windows_opened: AtomicUsize,
}

#[derive(Default)]
struct Inbox {
    window: Option<Channel<Vec<FileToOpen>>>,
    waiting: Vec<FileToOpen>,
}

impl OpenedFiles {
    fn inbox(&self) -> MutexGuard<'_, Inbox> {
        // Each use is one push, take or replace, so a poisoned lock holds nothing half-done.
        self.inbox.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sends `files` to the window, or keeps them until it listens (or when the send fails,
    /// as while the page reloads).
    fn deliver(&self, files: Vec<FileToOpen>) {
        let mut inbox = self.inbox();
        if let Some(window) = &inbox.window
            && window.send(files.clone()).is_ok()
        {
            return;
        }
        inbox.waiting.extend(files);
    }

    /// The file the window labelled `label` opens at its start, if it was opened for one.
    pub fn started_with(&self, label: &str) -> Option<FileToOpen> {
        // Each use is one insert or lookup, so a poisoned lock holds nothing half-done.
        self.started_with.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(label).cloned()
    }

    fn start_with(&self, label: &str, file: FileToOpen) {
        self.started_with.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(label.to_string(), file);
    }

    /// A label no window of this run has had: `file-1`, `file-2`, ...
    fn next_label(&self) -> String {
        format!("file-{}", self.windows_opened.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// From now on files go to `window`; those that waited are sent first.
    fn watch(&self, window: Channel<Vec<FileToOpen>>) {
        let mut inbox = self.inbox();
        let waiting = std::mem::take(&mut inbox.waiting);
        if !waiting.is_empty()
            && let Err(error) = window.send(waiting.clone())
        {
            eprintln!("the window did not take the files opened from outside: {error}");
            inbox.waiting = waiting;
        }
        inbox.window = Some(window);
    }
}

/// The main window listens for files opened from outside from now on; any that came earlier
/// are sent at once. A reloaded page subscribes again and replaces the old channel. Other
/// windows open only the file they were made for, so their subscription is not kept.
#[tauri::command]
pub fn watch_opened_files(window: WebviewWindow, opened: State<'_, OpenedFiles>, on_files: Channel<Vec<FileToOpen>>) {
    if window.label() == MAIN_WINDOW {
        opened.watch(on_files);
    }
}

/// Where one launch's files go: the first to the main window while it is open (`None` when it
/// is closed or no file was named), every other one to a new window, in the order named.
fn route(files: Vec<FileToOpen>, main_open: bool) -> (Option<FileToOpen>, Vec<FileToOpen>) {
    let mut files = files.into_iter();
    let to_main = if main_open { files.next() } else { None };
    (to_main, files.collect())
}

/// The studio's own launch, before its window has a page: the first file named on the command
/// line is the main window's (`startup` gives it to the page), each further one gets a window.
pub fn first_launch(app: &AppHandle) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let (to_main, others) = route(launch::files_to_open(std::env::args_os().skip(1), &cwd), true);
    let opened = app.state::<OpenedFiles>();
    if let Some(file) = to_main {
        opened.start_with(MAIN_WINDOW, file);
    }
    for file in others {
        open_window(app, file);
    }
}

/// A second launch of the studio: `argv` is its command line (program name first), `cwd` the
/// directory it was started from. Its files are routed as at the first launch, and the main
/// window is brought to the front even when no file was named (starting the studio again means
/// "show me the studio").
pub fn second_launch(app: &AppHandle, argv: Vec<String>, cwd: String) {
    let files = launch::files_to_open(argv.into_iter().skip(1).map(OsString::from), Path::new(&cwd));
    hand_over(app, files);
}

/// The macOS "open file" event: file URLs of scores or bundles opened with the studio, at
/// start or later. Other URLs name no file and are left out.
#[cfg(any(target_os = "macos", target_os = "ios"))]
pub fn opened_urls(app: &AppHandle, urls: Vec<tauri::Url>) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let paths: Vec<std::path::PathBuf> = urls.iter().filter_map(|url| url.to_file_path().ok()).collect();
    let files = paths.iter().map(|path| launch::file_to_open(path, &cwd)).collect();
    hand_over(app, files);
}

fn hand_over(app: &AppHandle, files: Vec<FileToOpen>) {
    let main = app.get_webview_window(MAIN_WINDOW);
    let (to_main, others) = route(files, main.is_some());
    if let Some(file) = to_main {
        app.state::<OpenedFiles>().deliver(vec![file]);
    }
    if let Some(window) = main {
        // Best effort: a window manager may refuse focus; the files open either way.
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    for file in others {
        open_window(app, file);
    }
}

/// Opens a window like the main one (size, title, limits from the configuration) whose page
/// opens `file` at its start. A window that cannot be made is reported on stderr: there is no
/// page yet to show the message in, and the other files still open.
fn open_window(app: &AppHandle, file: FileToOpen) {
    let opened = app.state::<OpenedFiles>();
    let label = opened.next_label();
    let Some(mut config) = app.config().app.windows.first().cloned() else {
        eprintln!("no window is configured, so {} cannot open in one of its own", file.path);
        return;
    };
    config.label = label.clone();
    let path = file.path.clone();
    opened.start_with(&label, file);
    match WebviewWindowBuilder::from_config(app, &config).and_then(|builder| builder.build()) {
        Ok(window) => crate::webview::tune(&window),
        Err(error) => eprintln!("a window for {path} could not be opened: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tauri::ipc::InvokeResponseBody;

    use super::*;

    fn file(path: &str) -> FileToOpen {
        launch::file_to_open(Path::new(path), Path::new("/"))
    }

    /// A channel that records what the window would receive, as JSON text.
    fn window() -> (Channel<Vec<FileToOpen>>, Arc<Mutex<Vec<String>>>) {
        let received = Arc::new(Mutex::new(vec![]));
        let sink = received.clone();
        let channel = Channel::new(move |body| {
            let InvokeResponseBody::Json(json) = body else { panic!("files are sent as JSON") };
            sink.lock().unwrap().push(json);
            Ok(())
        });
        (channel, received)
    }

    fn paths(files: &[FileToOpen]) -> Vec<&str> {
        files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn the_first_file_of_a_launch_goes_to_the_main_window_and_each_other_to_a_new_one() {
        let named = vec![file("/s/a.score.toml"), file("/s/b.score.zip"), file("/s/c.score.toml")];
        let (to_main, others) = route(named.clone(), true);
        assert_eq!(to_main.map(|f| f.path), Some("/s/a.score.toml".to_string()), "the main window opens the first file named");
        assert_eq!(paths(&others), ["/s/b.score.zip", "/s/c.score.toml"], "every other file gets a window, in the order named");

        let (to_main, others) = route(named, false);
        assert_eq!(to_main, None, "with the main window closed nothing waits for it");
        assert_eq!(paths(&others), ["/s/a.score.toml", "/s/b.score.zip", "/s/c.score.toml"], "so every file gets a window of its own");

        assert_eq!(route(vec![], true), (None, vec![]), "a launch without files opens no window");
    }

    #[test]
    fn each_window_starts_with_its_own_file_under_a_label_of_its_own() {
        let opened = OpenedFiles::default();
        let labels = [opened.next_label(), opened.next_label()];
        assert_eq!(labels, ["file-1", "file-2"], "labels are numbered so no two windows share one");
        opened.start_with(MAIN_WINDOW, file("/s/a.score.toml"));
        opened.start_with(&labels[0], file("/s/b.score.toml"));
        assert_eq!(opened.started_with(MAIN_WINDOW).map(|f| f.path).as_deref(), Some("/s/a.score.toml"));
        assert_eq!(opened.started_with("file-1").map(|f| f.path).as_deref(), Some("/s/b.score.toml"));
        assert_eq!(opened.started_with("file-2"), None, "a window opened for no file starts empty");
        assert_eq!(opened.started_with(MAIN_WINDOW).map(|f| f.path).as_deref(), Some("/s/a.score.toml"), "a reloaded page opens its file again");
    }

    #[test]
    fn files_wait_until_the_window_listens_then_arrive_in_order() {
        let opened = OpenedFiles::default();
        opened.deliver(vec![file("/scores/band.score.toml")]);
        opened.deliver(vec![file("/mail/trio.score.zip")]);
        assert_eq!(opened.inbox().waiting.len(), 2, "without a window both launches' files are kept");

        let (channel, received) = window();
        opened.watch(channel);
        opened.deliver(vec![file("/scores/quartet.score.toml")]);
        assert_eq!(
            *received.lock().unwrap(),
            vec![
                r#"[{"path":"/scores/band.score.toml","kind":"score"},{"path":"/mail/trio.score.zip","kind":"bundle"}]"#,
                r#"[{"path":"/scores/quartet.score.toml","kind":"score"}]"#,
            ],
            "the waiting files arrive together as soon as the window listens, later ones as they come"
        );
        assert!(opened.inbox().waiting.is_empty(), "nothing is left waiting once sent");
    }
}
