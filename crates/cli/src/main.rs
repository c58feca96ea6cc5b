//! `ensemble`: the engine, headless.

fn main() {
    eprintln!("ensemble: not built yet");
    std::process::exit(2);
}
