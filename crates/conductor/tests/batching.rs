//! Group commit: events are recorded in batches, shown only once their batch is committed, in
//! order and without loss, and never held back when the stream goes quiet.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use ensemble_conductor::{Command, Conductor, Event, EventKind, Journal, JournalError, Outcome};

/// A journal whose committed events and batch sizes the test can read while the performance runs.
#[derive(Clone, Default)]
struct Shared {
    committed: Arc<Mutex<Vec<Event>>>,
    batches: Arc<Mutex<Vec<usize>>>,
}

impl Shared {
    fn committed(&self) -> Vec<Event> {
        self.committed
            .lock()
            .expect("the journal lock is not poisoned")
            .clone()
    }
}

impl Journal for Shared {
    fn append(&mut self, event: &Event) -> Result<(), JournalError> {
        self.append_batch(std::slice::from_ref(event))
    }

    fn append_batch(&mut self, events: &[Event]) -> Result<(), JournalError> {
        self.committed
            .lock()
            .expect("the journal lock is not poisoned")
            .extend_from_slice(events);
        self.batches
            .lock()
            .expect("the journal lock is not poisoned")
            .push(events.len());
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fast_stream_is_committed_in_batches_shown_in_order_and_only_after_commit() {
    // A fan-out of 200 zero-latency players: 200 × (cued, 4 tokens, finished) and 199 firings.
    let players: Vec<_> = (0..200)
        .map(|i| player(&format!("p{i}"), rehearsal(0)))
        .collect();
    let cues = (1..200).map(|i| cue("p0", &format!("p{i}"))).collect();
    let journal = Shared::default();
    let mut conductor = Conductor::new(score(players, cues), options(), Box::new(journal.clone()));
    let mut events = conductor.subscribe();
    let watcher = journal.clone();
    let shown = tokio::spawn(async move {
        let mut shown = Vec::new();
        while let Some(event) = events.recv().await {
            let committed = watcher
                .committed
                .lock()
                .expect("the journal lock is not poisoned")
                .len() as u64;
            assert!(
                event.seq <= committed,
                "event {} was shown before it was committed ({committed} committed)",
                event.seq
            );
            shown.push(event);
        }
        shown
    });
    let outcome = conductor.run().await;
    let shown = shown.await.expect("the subscriber does not panic");
    assert_eq!(outcome, Outcome::Succeeded);

    let committed = journal.committed();
    let tokens = |e: &Event| matches!(e.kind, EventKind::Token { .. });
    assert_eq!(
        committed.iter().filter(|e| !tokens(e)).count(),
        200 * 2 + 199 + 2,
        "every cue, finish and firing, the start and the end are recorded"
    );
    for i in 0..200 {
        let player = format!("p{i}");
        assert!(
            committed.iter().any(|e| matches!(&e.kind, EventKind::Token { player: p, .. } if *p == player)),
            "{player}'s stream is recorded"
        );
    }
    assert_eq!(
        shown, committed,
        "subscribers see exactly what was committed, in the same order"
    );
    for (i, e) in committed.iter().enumerate() {
        assert_eq!(e.seq, i as u64 + 1, "the log has no gap and no reordering");
    }
    let batches = journal
        .batches
        .lock()
        .expect("the journal lock is not poisoned")
        .clone();
    assert_eq!(
        batches.iter().sum::<usize>(),
        committed.len(),
        "each event is committed once"
    );
    assert!(
        batches.len() * 10 <= committed.len(),
        "{} events took {} commits: they were not grouped",
        committed.len(),
        batches.len()
    );
    // Pieces of one player's stream that followed each other in a batch were joined into one.
    let mut start = 0;
    for &size in &batches {
        for pair in committed[start..start + size].windows(2) {
            if let (EventKind::Token { player: a, .. }, EventKind::Token { player: b, .. }) = (&pair[0].kind, &pair[1].kind) {
                assert_ne!(a, b, "two pieces of {a}'s stream side by side in one batch were not joined (seq {})", pair[1].seq);
            }
        }
        start += size;
    }
    assert!(
        committed.iter().filter(|e| tokens(e)).count() < 200 * 4,
        "the four pieces each player streams were joined where they followed each other"
    );
    // Each player's tokens arrive in the order they were streamed.
    let text: String = shown
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Token { player, text } if player == "p7" => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let output = shown.iter().find_map(|e| match &e.kind {
        EventKind::PlayerFinished { player, output, .. } if player == "p7" => Some(output.clone()),
        _ => None,
    });
    assert_eq!(
        Some(text),
        output,
        "the streamed pieces put together are the output"
    );
}

#[tokio::test]
async fn a_quiet_stream_is_shown_without_waiting_for_a_batch_to_fill() {
    // Four pieces over three seconds: each must be shown long before the player finishes.
    let journal = Shared::default();
    let mut conductor = Conductor::new(
        score(vec![player("slow", rehearsal(3_000))], vec![]),
        options(),
        Box::new(journal.clone()),
    );
    let mut events = conductor.subscribe();
    let control = conductor.control();
    let done = tokio::spawn(conductor.run());
    let token = loop {
        let event = events
            .recv()
            .await
            .expect("the performance streams before it ends");
        if matches!(event.kind, EventKind::Token { .. }) {
            break event;
        }
    };
    let committed = journal.committed();
    assert_eq!(
        committed.last(),
        Some(&token),
        "the piece was committed, and it is the latest event"
    );
    assert!(
        !committed
            .iter()
            .any(|e| matches!(e.kind, EventKind::PlayerFinished { .. })),
        "the piece was shown while the player still played"
    );
    control.send(Command::CutOff);
    assert_eq!(
        done.await.expect("the conductor does not panic"),
        Outcome::CutOff
    );
}

#[tokio::test]
async fn a_pause_is_shown_while_players_still_play() {
    let journal = Shared::default();
    let s = score(
        vec![
            player("slow", rehearsal(3_000)),
            player("next", rehearsal(0)),
        ],
        vec![cue("slow", "next")],
    );
    let mut conductor = Conductor::new(s, options(), Box::new(journal.clone()));
    let mut events = conductor.subscribe();
    let control = conductor.control();
    let done = tokio::spawn(conductor.run());
    while let Some(event) = events.recv().await {
        if matches!(event.kind, EventKind::PlayerCued { .. }) {
            break;
        }
    }
    control.send(Command::Pause);
    while let Some(event) = events.recv().await {
        if matches!(event.kind, EventKind::Paused) {
            break;
        }
    }
    assert!(
        !journal
            .committed()
            .iter()
            .any(|e| matches!(e.kind, EventKind::PlayerFinished { .. })),
        "the pause was shown before the player finished"
    );
    control.send(Command::CutOff);
    assert_eq!(
        done.await.expect("the conductor does not panic"),
        Outcome::CutOff
    );
}

/// Accepts the first batch, then refuses every other.
struct RefusesSecondBatch {
    batches: usize,
    inner: Shared,
}

impl Journal for RefusesSecondBatch {
    fn append(&mut self, event: &Event) -> Result<(), JournalError> {
        self.append_batch(std::slice::from_ref(event))
    }

    fn append_batch(&mut self, events: &[Event]) -> Result<(), JournalError> {
        self.batches += 1;
        if self.batches > 1 {
            return Err(JournalError("disk full".into()));
        }
        self.inner.append_batch(events)
    }
}

#[tokio::test]
async fn a_batch_that_cannot_be_committed_is_never_shown() {
    // The first batch is committed when the checkpoint waits for the person; the rest is refused.
    let s = score(
        vec![
            player("draft", rehearsal(0)),
            player("publish", rehearsal(0)),
        ],
        vec![ensemble_score::Cue {
            checkpoint: true,
            ..cue("draft", "publish")
        }],
    );
    let inner = Shared::default();
    let mut conductor = Conductor::new(
        s,
        options(),
        Box::new(RefusesSecondBatch {
            batches: 0,
            inner: inner.clone(),
        }),
    );
    let mut events = conductor.subscribe();
    let control = conductor.control();
    let done = tokio::spawn(conductor.run());
    while let Some(event) = events.recv().await {
        if matches!(event.kind, EventKind::CheckpointWaiting { .. }) {
            break;
        }
    }
    control.send(Command::Checkpoint {
        from: "draft".into(),
        to: "publish".into(),
        approve: true,
        note: None,
    });
    let outcome = done.await.expect("the conductor does not panic");
    let mut rest = Vec::new();
    while let Ok(event) = events.try_recv() {
        rest.push(event);
    }
    assert_eq!(outcome, Outcome::Failed);
    let committed = inner.committed();
    assert_eq!(
        rest.len(),
        1,
        "only the end is shown after the refused batch: {rest:?}"
    );
    assert_eq!(
        rest[0].seq,
        committed.len() as u64 + 1,
        "the end follows the last committed event, with no gap"
    );
    let (_, reason) = finished_outcome(&rest);
    assert!(reason.expect("it says why").contains("disk full"));
}
