//! How long one journal append takes: each is its own committed transaction, and a fast token
//! stream appends one per token, so this is the store's cost per streamed piece.

use criterion::{Criterion, criterion_group, criterion_main};
use ensemble_conductor::{Event, EventKind};
use ensemble_store::{NewPerformance, Store};

fn append(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder for the benchmark store");
    let store = Store::open(&dir.path().join("bench.sqlite3")).expect("a new store opens");
    store
        .begin(&NewPerformance {
            id: "bench".into(),
            title: "bench".into(),
            score_path: None,
            score_toml: String::new(),
            offline: true,
            seed: 0,
        })
        .expect("the performance is recorded");
    let mut journal = store.journal("bench").expect("the performance exists");
    let mut seq = 0;
    c.bench_function("journal append (token event)", |b| {
        b.iter(|| {
            seq += 1;
            let event = Event { seq, at_ms: seq, kind: EventKind::Token { player: "coder".into(), text: "hello ".into() } };
            journal.append(&event).expect("appending a new seq succeeds");
        })
    });
}

criterion_group!(benches, append);
criterion_main!(benches);
