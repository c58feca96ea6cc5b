//! Files the operating system hands to a studio that is already running: a score or bundle
//! double-clicked while the window is open starts a second studio, which passes its arguments to
//! this one through the single-instance plugin and exits; on macOS the same arrives as an "open
//! file" event. Which arguments are files, and how each opens, is decided in
//! `ensemble_api::launch`; here they are only queued for the window and the window is raised.
//!
//! The window subscribes once it has started (`watch_opened_files`); files that arrive before
//! that wait in the inbox, so a double-click during start-up is not lost.

use std::ffi::OsString;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use ensemble_api::launch::{self, FileToOpen};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

/// Files waiting for the window, and the window's channel once it listens.
#[derive(Default)]
pub struct OpenedFiles {
    inbox: Mutex<Inbox>,
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

/// The window listens for files opened from outside from now on; any that came earlier are
/// sent at once. A reloaded page subscribes again and replaces the old channel.
#[tauri::command]
pub fn watch_opened_files(opened: State<'_, OpenedFiles>, on_files: Channel<Vec<FileToOpen>>) {
    opened.watch(on_files);
}

/// A second launch of the studio: `argv` is its command line (program name first), `cwd` the
/// directory it was started from. Its files go to this window, which is brought to the front
/// even when no file was named (starting the studio again means "show me the studio").
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
    if !files.is_empty() {
        app.state::<OpenedFiles>().deliver(files);
    }
    if let Some(window) = app.get_webview_window("main") {
        // Best effort: a window manager may refuse focus; the files open either way.
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
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
