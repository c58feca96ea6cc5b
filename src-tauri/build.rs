//! Builds the studio shell: Tauri's own build step (config, capabilities, permissions), plus the
//! list of example scores embedded as templates.

use std::path::Path;

fn main() {
    embed_templates();

    // The capabilities live beside the shell's sources rather than at the package root.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"))
        .expect("the Tauri configuration and capabilities must be valid to build the studio");
}

/// Writes `$OUT_DIR/templates.rs`: every `assets/scores/*.score.toml`, by id, as `include_str!`,
/// so a score added to the folder becomes a template on the next build without touching code.
fn embed_templates() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for build scripts");
    let folder = Path::new(&root).join("assets/scores");
    println!("cargo:rerun-if-changed={}", folder.display());

    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.to_string_lossy().ends_with(".score.toml"));
    files.sort();

    let mut code = String::from("/// Example scores by id (file name without `.score.toml`), in file name order.\n");
    code.push_str("pub const TEMPLATES: &[(&str, &str)] = &[\n");
    for file in &files {
        let name = file.file_name().expect("read_dir entries have file names").to_string_lossy();
        let id = name.trim_end_matches(".score.toml");
        code.push_str(&format!("    ({id:?}, include_str!({:?})),\n", file.display().to_string()));
    }
    code.push_str("];\n");

    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    std::fs::write(Path::new(&out).join("templates.rs"), code).expect("OUT_DIR is writable");
}
