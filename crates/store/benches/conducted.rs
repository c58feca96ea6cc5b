//! Conductor overhead per cue with every event persisted to a real SQLite file, beside the same
//! performance into the in-memory journal.
//!
//! A chain and a fan-out of 1,000 zero-latency rehearsal players, as in the conductor's own
//! overhead benchmark, but each performance is begun in a store on disk (WAL, `synchronous =
//! NORMAL`) and its events go through the store's journal in batches, as the studio and the CLI
//! record them. Throughput is counted in cues, so the time per cue is the inverse of the rate.

use std::hint::black_box;

// The allocator the CLI runs with (crates/cli/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ensemble_conductor::{Conductor, Journal, MemoryJournal, Options, Outcome};
use ensemble_store::{NewPerformance, Store};

// The same chain and fan-out as the conductor's in-memory overhead benchmark.
#[path = "../../conductor/benches/shapes/mod.rs"]
mod shapes;

fn options(id: String) -> Options {
    Options {
        performance: Some(id),
        base_dir: std::env::temp_dir(),
        seed: 1,
        offline: false,
        prior: Vec::new(),
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder for the benchmark store");
    let store = Store::open(&dir.path().join("bench.sqlite3")).expect("a new store opens");
    let runtimes = [
        (
            "current_thread",
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime starts"),
        ),
        (
            "multi_thread",
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime starts"),
        ),
    ];
    let shapes = shapes::shapes();
    let mut group = c.benchmark_group("conducted");
    group.sample_size(10);
    let mut n = 0u64;
    for (runtime_name, runtime) in &runtimes {
        for (shape, score) in &shapes {
            group.throughput(Throughput::Elements(score.cues.len() as u64));
            for journal_kind in ["sqlite", "memory"] {
                group.bench_function(format!("{shape}/{runtime_name}/{journal_kind}"), |b| {
                    b.to_async(runtime).iter(|| {
                        n += 1;
                        // Ids that sort in the order they were made, as the store's ULIDs do.
                        let id = format!("bench-{n:08}");
                        let journal: Box<dyn Journal> = if journal_kind == "sqlite" {
                            store
                                .begin(&NewPerformance {
                                    id: id.clone(),
                                    title: "bench".into(),
                                    score_path: None,
                                    score_toml: String::new(),
                                    offline: true,
                                    seed: 1,
                                })
                                .expect("the performance is recorded");
                            store.journal(&id).expect("the performance exists")
                        } else {
                            Box::new(MemoryJournal::default())
                        };
                        let conductor = Conductor::new(score.clone(), options(id), journal);
                        async move {
                            let outcome = tokio::spawn(conductor.run())
                                .await
                                .expect("the conductor does not panic");
                            assert_eq!(
                                outcome,
                                Outcome::Succeeded,
                                "a rehearsal without failures succeeds"
                            );
                            black_box(outcome)
                        }
                    })
                });
            }
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
