//! Conductor overhead per cue, with zero-latency rehearsal players and an in-memory journal, so
//! what is measured is the conductor itself: deciding, recording, publishing and spawning.
//!
//! Throughput is counted in cues, so criterion reports cues per second; the time per cue is its
//! inverse. Two shapes: a chain (every cue waits for the one before) and a fan-out (one player
//! cues a thousand at once).

use std::hint::black_box;

// The allocator the CLI runs with (crates/cli/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ensemble_conductor::{Conductor, MemoryJournal, Options, Outcome};
#[path = "shapes/mod.rs"]
mod shapes;

fn options() -> Options {
    Options { performance: None, base_dir: std::env::temp_dir(), seed: 1, offline: false, prior: Vec::new() }
}

fn bench(c: &mut Criterion) {
    // The driver runs as a spawned task, the way the studio and the CLI run it, so on the
    // multi-thread runtime it sits on a worker beside the players it spawns.
    let runtimes = [
        ("current_thread", tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime starts")),
        ("multi_thread", tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime starts")),
    ];
    let shapes = shapes::shapes();
    let mut group = c.benchmark_group("overhead");
    group.sample_size(10);
    for (runtime_name, runtime) in &runtimes {
        for (shape, score) in &shapes {
            group.throughput(Throughput::Elements(score.cues.len() as u64));
            group.bench_function(format!("{shape}/{runtime_name}"), |b| {
                b.to_async(runtime).iter(|| async {
                    let conductor = Conductor::new(score.clone(), options(), Box::new(MemoryJournal::default()));
                    let outcome = tokio::spawn(conductor.run()).await.expect("the conductor does not panic");
                    assert_eq!(outcome, Outcome::Succeeded, "a rehearsal without failures succeeds");
                    black_box(outcome)
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
