// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The system allocator, unlike the CLI (crates/cli/src/main.rs): mimalloc made the studio's
// conducting faster but its idle process 10 to 19 MiB larger (bench/README.md), and a window's
// performances are paced by what a person can watch, not by the conductor.
fn main() {
    ensemble_studio::run();
}
