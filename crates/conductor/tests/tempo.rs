//! Who sets the tempo: changing it while a performance plays, recorded, and kept on resume.

mod common;

use common::*;
use ensemble_conductor::{Command, EventKind, Options, Outcome};
use ensemble_score::{Cue, TempoMode};

fn tempo_changed(mode: TempoMode) -> impl Fn(&EventKind) -> bool {
    move |k| matches!(k, EventKind::TempoChanged { mode: m } if *m == mode)
}

#[tokio::test]
async fn leaving_step_tempo_releases_the_waiting_player_and_everything_after_it() {
    let mut s = score(
        vec![
            player("a", rehearsal(0)),
            player("b", rehearsal(0)),
            player("c", rehearsal(0)),
        ],
        vec![cue("a", "b"), cue("b", "c")],
    );
    s.tempo.mode = TempoMode::Step;
    let mut live = start(s, options());
    live.control.send(Command::Step);
    live.until(finished("a")).await;
    assert!(live.control.send(Command::SetTempo {
        mode: TempoMode::Autonomous
    }));
    let (outcome, events) = live.finish().await;
    assert_eq!(
        outcome,
        Outcome::Succeeded,
        "b and c play without a step once the tempo is autonomous"
    );
    assert_eq!(
        count(&events, |k| matches!(k, EventKind::Stepped { .. })),
        1,
        "only a was stepped"
    );
    assert_eq!(
        count(&events, tempo_changed(TempoMode::Autonomous)),
        1,
        "the change is recorded"
    );
    assert!(seq_of(&events, tempo_changed(TempoMode::Autonomous)) < seq_of(&events, cued("b")));
}

#[tokio::test]
async fn entering_step_tempo_holds_the_next_player_until_a_step() {
    let s = score(
        vec![player("a", rehearsal(300)), player("b", rehearsal(0))],
        vec![cue("a", "b")],
    );
    let mut live = start(s, options());
    live.until(cued("a")).await;
    live.control.send(Command::SetTempo {
        mode: TempoMode::Step,
    });
    live.until(tempo_changed(TempoMode::Step)).await;
    live.until(finished("a")).await;
    assert_eq!(count(&live.seen, cued("b")), 0, "b waits for a step");
    // Setting the tempo it already has records nothing.
    live.control.send(Command::SetTempo {
        mode: TempoMode::Step,
    });
    live.control.send(Command::Step);
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(
        count(&events, |k| matches!(k, EventKind::TempoChanged { .. })),
        1
    );
    assert!(
        seq_of(
            &events,
            |k| matches!(k, EventKind::Stepped { player } if player == "b")
        ) < seq_of(&events, cued("b"))
    );
}

#[tokio::test]
async fn leaving_checkpoint_tempo_fires_what_waited_for_it_but_not_a_cue_marked_checkpoint() {
    let mut s = score(
        vec![
            player("a", rehearsal(0)),
            player("b", rehearsal(0)),
            player("c", rehearsal(0)),
        ],
        vec![
            cue("a", "b"),
            Cue {
                checkpoint: true,
                ..cue("b", "c")
            },
        ],
    );
    s.tempo.mode = TempoMode::Checkpoints;
    let mut live = start(s, options());
    live.until(|k| matches!(k, EventKind::CheckpointWaiting { from, .. } if from == "a"))
        .await;
    live.control.send(Command::SetTempo {
        mode: TempoMode::Autonomous,
    });
    live.until(|k| matches!(k, EventKind::CueFired { from, to, .. } if from == "a" && to == "b"))
        .await;
    live.until(|k| matches!(k, EventKind::CheckpointWaiting { from, .. } if from == "b"))
        .await;
    assert_eq!(
        count(&live.seen, cued("c")),
        0,
        "a cue marked checkpoint still waits for approval"
    );
    live.control.send(Command::Checkpoint {
        from: "b".into(),
        to: "c".into(),
        approve: true,
        note: None,
    });
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(
        count(&events, |k| matches!(
            k,
            EventKind::CheckpointResolved { .. }
        )),
        1,
        "only the marked cue was approved by the person"
    );
    assert_eq!(count(&events, finished("c")), 1);
}

#[tokio::test]
async fn a_resumed_performance_keeps_the_tempo_it_was_given() {
    // Recorded: the start, then the person set step tempo; the performance was interrupted there.
    let s = score(vec![player("a", rehearsal(0))], vec![]);
    let (_, full) = conduct(s.clone(), options()).await;
    let prior = vec![
        full[0].clone(),
        ensemble_conductor::Event {
            seq: 2,
            at_ms: full[0].at_ms,
            kind: EventKind::TempoChanged {
                mode: TempoMode::Step,
            },
        },
    ];
    assert!(
        matches!(full[0].kind, EventKind::PerformanceStarted { tempo: Some(TempoMode::Autonomous), .. }),
        "the first start records the score's tempo: {:?}",
        full[0].kind
    );
    let mut live = start(s, Options { prior, ..options() });
    let restarted = live
        .until(|k| matches!(k, EventKind::PerformanceStarted { resumed: true, .. }))
        .await;
    assert!(
        matches!(restarted.kind, EventKind::PerformanceStarted { tempo: Some(TempoMode::Step), .. }),
        "the resumed start records the tempo the person set, so a reader of the log knows it: {:?}",
        restarted.kind
    );
    live.control.send(Command::Step);
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert!(
        seq_of(
            &events,
            |k| matches!(k, EventKind::Stepped { player } if player == "a")
        ) < seq_of(&events, cued("a")),
        "a waited for a step: the recorded step tempo held after the resume"
    );
}

#[tokio::test]
async fn the_start_records_the_scores_tempo() {
    let mut s = score(vec![player("a", rehearsal(0))], vec![]);
    s.tempo.mode = TempoMode::Checkpoints;
    let (_, events) = conduct(s, options()).await;
    assert!(
        matches!(events[0].kind, EventKind::PerformanceStarted { tempo: Some(TempoMode::Checkpoints), resumed: false, .. }),
        "{:?}",
        events[0].kind
    );
}
