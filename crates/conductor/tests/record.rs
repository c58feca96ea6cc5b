//! The record: resuming from prior events, a failing journal, and slow subscribers.

mod common;

use common::*;
use ensemble_conductor::{Conductor, Event, EventKind, Journal, JournalError, MemoryJournal, Options, Outcome};

fn chain() -> ensemble_score::Score {
    score(
        vec![player("a", rehearsal(0)), player("b", rehearsal(0)), player("c", rehearsal(0)), player("d", rehearsal(0))],
        vec![cue("a", "b"), cue("b", "c"), cue("c", "d")],
    )
}

/// Resumes `prior` (an interrupted first half) and checks the second half picks up after it.
async fn resume_after(prior: Vec<Event>, full: &[Event]) -> Vec<Event> {
    let (outcome, events) = conduct(chain(), Options { prior: prior.clone(), ..options() }).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(events[0].seq, prior.len() as u64 + 1, "seq continues after the prior events");
    for pair in events.windows(2) {
        assert_eq!(pair[1].seq, pair[0].seq + 1);
    }
    let (EventKind::PerformanceStarted { performance: first, .. }, EventKind::PerformanceStarted { performance: again, resumed, .. }) = (&full[0].kind, &events[0].kind) else {
        panic!("both stretches start with PerformanceStarted")
    };
    assert_eq!(first, again, "the same performance goes on");
    assert!(*resumed);
    assert_eq!(count(&events, cued("a")), 0, "finished players are not played again");
    assert_eq!(count(&events, cued("b")), 0);
    assert_eq!(count(&events, finished("c")), 1);
    assert_eq!(count(&events, finished("d")), 1);
    // c gets b's recorded output, as it did the first time.
    assert_eq!(handoffs(&events, "c", 0), handoffs(full, "c", 0));
    events
}

#[tokio::test]
async fn an_interrupted_performance_resumes_after_its_last_finished_players() {
    let (_, full) = conduct(chain(), options()).await;
    // Interrupted while c was playing: c is played again from the start.
    let c_cued = seq_of(&full, cued("c")) as usize;
    resume_after(full[..c_cued + 1].to_vec(), &full).await;
    // Interrupted just after b finished, before its cue was decided.
    let b_finished = seq_of(&full, finished("b")) as usize;
    let events = resume_after(full[..b_finished].to_vec(), &full).await;
    assert!(matches!(&events[1].kind, EventKind::CueFired { from, to, count: 1 } if from == "b" && to == "c"));
}

#[tokio::test]
async fn a_finished_performance_does_not_play_again() {
    let (_, full) = conduct(chain(), options()).await;
    let (outcome, events) = conduct(chain(), Options { prior: full, ..options() }).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert!(events.is_empty());
}

/// Records the first `room` events, then refuses.
struct FullJournal {
    room: usize,
    kept: usize,
}

impl Journal for FullJournal {
    fn append(&mut self, _: &Event) -> Result<(), JournalError> {
        if self.kept == self.room {
            return Err(JournalError("disk full".into()));
        }
        self.kept += 1;
        Ok(())
    }
}

#[tokio::test]
async fn a_failing_journal_stops_the_performance_with_a_reason() {
    let mut conductor = Conductor::new(chain(), options(), Box::new(FullJournal { room: 5, kept: 0 }));
    let mut events = conductor.subscribe();
    let outcome = conductor.run().await;
    let events = drain(&mut events);
    assert_eq!(outcome, Outcome::Failed);
    // Events are committed in batches, and a batch the journal refused is never shown: at most
    // the five recorded events, then the finish, with no gap.
    assert!(events.len() <= 6, "nothing past the journal's room is shown: {events:?}");
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.seq, i as u64 + 1, "the log shown has no gap");
    }
    let (_, reason) = finished_outcome(&events);
    assert!(reason.expect("it says why").contains("could not be recorded: disk full"));
}

#[tokio::test]
async fn a_slow_or_departed_subscriber_does_not_hold_up_the_performance() {
    let mut conductor = Conductor::new(chain(), options(), Box::new(MemoryJournal::default()));
    let mut slow = conductor.subscribe();
    let departed = conductor.subscribe();
    drop(departed);
    // Nobody reads `slow` while the performance runs.
    let outcome = conductor.run().await;
    assert_eq!(outcome, Outcome::Succeeded);
    let events = drain(&mut slow);
    assert_eq!(count(&events, |k| matches!(k, EventKind::PlayerFinished { .. })), 4);
    assert!(matches!(events.last().map(|e| &e.kind), Some(EventKind::PerformanceFinished { .. })));
}

/// The first half of a chain, interrupted while c was playing, as if it had taken `span_ms`.
async fn interrupted_after(span_ms: u64) -> Vec<Event> {
    let (_, full) = conduct(chain(), options()).await;
    let c_cued = seq_of(&full, cued("c")) as usize;
    let mut prior = full[..c_cued].to_vec();
    let start = prior[0].at_ms - span_ms;
    prior[0].at_ms = start;
    prior
}

#[tokio::test]
async fn a_resumed_performance_counts_the_time_spent_before_the_interruption() {
    let prior = interrupted_after(5_000).await;
    let (outcome, events) = conduct(chain(), Options { prior, ..options() }).await;
    assert_eq!(outcome, Outcome::Succeeded);
    match &events.last().expect("a finish").kind {
        EventKind::PerformanceFinished { elapsed_ms, .. } => assert!(*elapsed_ms >= 5_000, "elapsed {elapsed_ms} ms leaves out the first stretch"),
        other => panic!("the last event is {other:?}, not the finish"),
    }
}

#[tokio::test]
async fn a_resumed_performance_that_already_used_its_time_budget_stops() {
    let prior = interrupted_after(5_000).await;
    let mut s = chain();
    s.tempo.max_wall_secs = Some(3);
    let (outcome, events) = conduct(s, Options { prior, ..options() }).await;
    assert_eq!(outcome, Outcome::BudgetExceeded);
    let used = events.iter().find_map(|e| match &e.kind {
        EventKind::BudgetExceeded { budget, used, .. } if budget == "time" => Some(*used),
        _ => None,
    });
    assert!(used.expect("the time budget ran out") >= 5.0);
    assert_eq!(count(&events, cued("c")), 0, "nothing more plays");
}
