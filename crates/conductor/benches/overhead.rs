//! Conductor overhead per cue: filled in with the conductor.
fn main() {}
