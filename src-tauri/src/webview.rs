//! How a studio window's web view is set up on Linux, where WebKitGTK would otherwise run it as
//! a web browser. The studio shows one local page that never navigates, plays no media and draws
//! no WebGL, so it asks WebKit for the smallest caches (the "document viewer" cache model) and
//! turns off what only a browser needs: the back/forward page cache, WebGL, media, WebAudio,
//! WebRTC and media streams. Together these save about 4 MiB at idle (bench/README.md, with the
//! switches tried and not kept). Other systems keep their web view's defaults.

use tauri::WebviewWindow;

/// Applies the settings above to `window`'s web view. Call it once per window, as soon as the
/// window exists: the settings reach the page's process while the page runs.
#[cfg(target_os = "linux")]
pub fn tune(window: &WebviewWindow) {
    use webkit2gtk::{CacheModel, SettingsExt, WebContextExt, WebViewExt};
    let tuned = window.with_webview(|webview| {
        let webview = webview.inner();
        if let Some(context) = webview.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if let Some(settings) = WebViewExt::settings(&webview) {
            settings.set_enable_page_cache(false);
            settings.set_enable_webgl(false);
            settings.set_enable_media(false);
            settings.set_enable_webaudio(false);
            settings.set_enable_webrtc(false);
            settings.set_enable_media_stream(false);
        }
    });
    if let Err(error) = tuned {
        // The window works with WebKit's defaults, only with more memory.
        eprintln!("the window's web view keeps its default caches: {error}");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn tune(_window: &WebviewWindow) {}
