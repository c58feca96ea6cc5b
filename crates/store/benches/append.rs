//! How fast events are appended to the store: one committed transaction per event (what a
//! journal that records each event alone would cost), and in batches of 1,000, as the conductor
//! records a fast stream (one transaction per batch).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ensemble_conductor::{Event, EventKind};
use ensemble_store::{NewPerformance, Store};

const BATCH: usize = 1_000;

fn token(seq: u64) -> Event {
    Event {
        seq,
        at_ms: seq,
        kind: EventKind::Token {
            player: "coder".into(),
            text: "hello ".into(),
        },
    }
}

fn append(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder for the benchmark store");
    let store = Store::open(&dir.path().join("bench.sqlite3")).expect("a new store opens");
    let begin = |id: &str| {
        store
            .begin(&NewPerformance {
                id: id.into(),
                title: "bench".into(),
                score_path: None,
                score_toml: String::new(),
                offline: true,
                seed: 0,
            })
            .expect("the performance is recorded");
        store.journal(id).expect("the performance exists")
    };

    let mut journal = begin("one-by-one");
    let mut seq = 0;
    let mut group = c.benchmark_group("append");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one event per transaction (token)", |b| {
        b.iter(|| {
            seq += 1;
            journal
                .append(&token(seq))
                .expect("appending a new seq succeeds");
        })
    });

    let mut journal = begin("batched");
    let mut seq = 0;
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("1,000 events per transaction (tokens)", |b| {
        b.iter_batched(
            || {
                let batch: Vec<Event> = (1..=BATCH as u64).map(|i| token(seq + i)).collect();
                seq += BATCH as u64;
                batch
            },
            |batch| {
                journal
                    .append_batch(&batch)
                    .expect("appending new seqs succeeds")
            },
            criterion::BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, append);
criterion_main!(benches);
