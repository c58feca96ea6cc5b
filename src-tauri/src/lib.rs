//! The studio's shell: Tauri commands over the engine crates. Each command parses its
//! arguments, calls the engine and maps the error; nothing else lives here.

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .run(tauri::generate_context!())
        .expect("the studio window could not start");
}
