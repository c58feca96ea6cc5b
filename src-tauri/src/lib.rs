//! The studio's shell: Tauri commands over the operations layer (`ensemble_api`). Each command
//! maps its arguments, calls one operation off the main thread and maps the error; the store is
//! opened once, here, and held in managed state.

mod autosave;
mod bindings;
mod closing;
mod compare;
mod connection;
mod diagnose;
mod error;
mod fork;
mod huge_pages;
mod ipc_client;
mod keys;
mod launch;
mod perform;
mod rendering;
mod report;
mod score_commands;
mod share;
mod startup;
mod studio;
mod templates;
mod tools;
mod trust;
mod webview;

pub use error::UiError;
use tauri::Manager;

pub fn run() {
    huge_pages::refuse();
    rendering::choose();
    tauri::Builder::default()
        // First, so a second launch hands its files to the running studio before anything else starts.
        .plugin(tauri_plugin_single_instance::init(launch::second_launch))
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        // `ENSEMBLE_DB` chooses another file (tests, several profiles), as for the CLI.
        .manage(studio::Studio::open(&ensemble_store::Store::default_path()))
        .manage(launch::OpenedFiles::default())
        .setup(|app| {
            if let Some(window) = app.get_webview_window(launch::MAIN_WINDOW) {
                webview::tune(&window);
            }
            launch::first_launch(app.handle());
            Ok(())
        })
        // A window closed while it conducts cuts off what it was conducting.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event {
                closing::window_closed(window.app_handle(), window.label());
            }
        })
        .invoke_handler(tauri::generate_handler![
            startup::startup,
            launch::watch_opened_files,
            templates::list_templates,
            score_commands::new_score,
            score_commands::open_score,
            score_commands::parse_score,
            score_commands::validate_score,
            score_commands::save_score,
            score_commands::score_text,
            score_commands::context_badge,
            autosave::autosave,
            autosave::discard_autosave,
            connection::test_connection,
            keys::keychain_status,
            keys::set_key,
            keys::key_is_set,
            keys::delete_key,
            perform::perform,
            perform::conduct,
            perform::performances,
            perform::performance_events,
            perform::resume_performance,
            compare::compare_performances,
            compare::previous_performance,
            compare::performance_players,
            fork::fork_performance,
            trust::score_trust,
            trust::trust_score,
            tools::test_tool_server,
            diagnose::diagnose,
            diagnose::survey_questions,
            diagnose::keep_survey_answers,
            diagnose::read_survey_file,
            diagnose::blank_survey,
            diagnose::diagnosis_html,
            diagnose::save_blank_survey,
            diagnose::save_diagnosis_html,
            share::check_export,
            share::export_score,
            share::export_target,
            share::open_bundle,
            share::import_project,
            share::copy_picture,
            report::check_report,
            report::report_name,
            report::save_report,
            report::send_traces,
        ])
        .build(tauri::generate_context!())
        .expect("the studio window could not start")
        // Closing the studio cuts off what is still playing, so no program outlives it.
        .run(|app, event| match event {
            tauri::RunEvent::Exit => closing::cut_off_everything(app),
            // macOS hands files opened with the studio to the running app as an event, not as arguments.
            #[cfg(any(target_os = "macos", target_os = "ios"))]
            tauri::RunEvent::Opened { urls } => launch::opened_urls(app, urls),
            _ => {}
        });
}
