//! The conductor's hands: cut-off, pause and step, checkpoints, people, edits and re-cues.

mod common;

use common::*;
use ensemble_conductor::{Command, EventKind, Outcome};
use ensemble_score::{Cue, TempoMode};

#[tokio::test]
async fn cut_off_kills_a_running_program() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pid_file = dir.path().join("pid");
    let script = format!("echo $$ > '{}'; sleep 60", pid_file.display());
    let s = score(vec![player("sleeper", sh(&script)), player("after", rehearsal(0))], vec![cue("sleeper", "after")]);
    let mut live = start(s, options());
    live.until(cued("sleeper")).await;
    // Wait until the program runs, by its own word.
    let pid = loop {
        if let Ok(text) = std::fs::read_to_string(&pid_file)
            && let Ok(pid) = text.trim().parse::<i32>()
        {
            break pid;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    assert!(live.control.send(Command::CutOff));
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::CutOff);
    assert_eq!(finished_outcome(&events).0, Outcome::CutOff);
    assert_eq!(count(&events, failed("sleeper")), 1);
    assert_eq!(count(&events, skipped("after")), 1);
    // The shell is gone (kill with signal 0 only asks whether it exists).
    let alive = std::process::Command::new("kill").arg("-0").arg(pid.to_string()).stderr(std::process::Stdio::null()).status().expect("kill runs");
    assert!(!alive.success(), "the program {pid} was killed");
}

#[tokio::test]
async fn pause_then_step_releases_exactly_one_player() {
    let s = score(vec![player("a", rehearsal(0)), player("b", rehearsal(0))], vec![]);
    let mut live = start(s, options());
    assert!(live.control.send(Command::Pause));
    live.until(|k| matches!(k, EventKind::Paused)).await;
    live.control.send(Command::Step);
    let stepped = live.until(|k| matches!(k, EventKind::Stepped { .. })).await;
    assert!(matches!(&stepped.kind, EventKind::Stepped { player } if player == "a"));
    live.until(finished("a")).await;
    assert_eq!(count(&live.seen, |k| matches!(k, EventKind::PlayerCued { .. })), 1, "only a was released");
    assert!(live.events.try_recv().is_err(), "nothing else happens while paused");
    live.control.send(Command::Resume);
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(count(&events, finished("b")), 1);
    assert!(seq_of(&events, |k| matches!(k, EventKind::Resumed)) < seq_of(&events, cued("b")));
}

#[tokio::test]
async fn step_tempo_waits_for_a_step_before_each_player() {
    let mut s = score(vec![player("a", rehearsal(0)), player("b", rehearsal(0))], vec![cue("a", "b")]);
    s.tempo.mode = TempoMode::Step;
    let mut live = start(s, options());
    for who in ["a", "b"] {
        live.control.send(Command::Step);
        live.until(finished(who)).await;
    }
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(count(&events, |k| matches!(k, EventKind::Stepped { .. })), 2);
    assert!(seq_of(&events, |k| matches!(k, EventKind::Stepped { player } if player == "b")) < seq_of(&events, cued("b")));
}

fn checkpointed() -> ensemble_score::Score {
    score(vec![player("draft", rehearsal(0)), player("publish", rehearsal(0))], vec![Cue { checkpoint: true, ..cue("draft", "publish") }])
}

#[tokio::test]
async fn an_approved_checkpoint_fires() {
    let mut live = start(checkpointed(), options());
    live.until(|k| matches!(k, EventKind::CheckpointWaiting { from, to } if from == "draft" && to == "publish")).await;
    assert_eq!(count(&live.seen, cued("publish")), 0, "publish waits for approval");
    live.control.send(Command::Checkpoint { from: "draft".into(), to: "publish".into(), approve: true, note: None });
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert!(seq_of(&events, |k| matches!(k, EventKind::CheckpointResolved { approved: true, .. })) < seq_of(&events, |k| matches!(k, EventKind::CueFired { .. })));
    assert_eq!(count(&events, finished("publish")), 1);
}

#[tokio::test]
async fn a_rejected_checkpoint_holds_and_skips() {
    let mut live = start(checkpointed(), options());
    live.until(|k| matches!(k, EventKind::CheckpointWaiting { .. })).await;
    live.control.send(Command::Checkpoint { from: "draft".into(), to: "publish".into(), approve: false, note: Some("too early".into()) });
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert!(events.iter().any(|e| matches!(&e.kind, EventKind::CueHeld { reason, .. } if reason == "checkpoint rejected: too early")));
    assert_eq!(count(&events, cued("publish")), 0);
    assert_eq!(count(&events, skipped("publish")), 1);
}

#[tokio::test]
async fn checkpoint_tempo_makes_every_cue_a_checkpoint() {
    let mut s = score(vec![player("a", rehearsal(0)), player("b", rehearsal(0)), player("c", rehearsal(0))], vec![cue("a", "b"), cue("b", "c")]);
    s.tempo.mode = TempoMode::Checkpoints;
    let mut live = start(s, options());
    for (from, to) in [("a", "b"), ("b", "c")] {
        live.until(|k| matches!(k, EventKind::CheckpointWaiting { .. })).await;
        live.control.send(Command::Checkpoint { from: from.into(), to: to.into(), approve: true, note: None });
    }
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(count(&events, |k| matches!(k, EventKind::CheckpointResolved { .. })), 2);
    assert_eq!(count(&events, finished("c")), 1);
}

#[tokio::test]
async fn a_person_answers_and_the_answer_is_handed_on() {
    let s = score(vec![player("writer", rehearsal(0)), player("editor", human()), player("printer", rehearsal(0))], vec![cue("writer", "editor"), cue("editor", "printer")]);
    let mut live = start(s, options());
    let asked = live.until(|k| matches!(k, EventKind::HumanWaiting { .. })).await;
    let EventKind::HumanWaiting { player, question } = asked.kind else { unreachable!("matched above") };
    assert_eq!(player, "editor");
    assert!(question.contains("Play the part of editor."), "{question}");
    assert!(question.contains("[rehearsal] writer"), "the question includes the hand-off: {question}");
    live.control.send(Command::Answer { player: "editor".into(), text: "Looks good, print it.".into() });
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(outputs(&events, "editor"), vec!["Looks good, print it."]);
    assert_eq!(handoffs(&events, "printer", 0), vec![("editor".to_string(), "Looks good, print it.".to_string())]);
}

#[tokio::test]
async fn an_edited_output_is_what_gets_handed_on() {
    let mut live = start(checkpointed(), options());
    live.until(|k| matches!(k, EventKind::CheckpointWaiting { .. })).await;
    live.control.send(Command::EditOutput { player: "draft".into(), output: "The edited draft.".into() });
    live.control.send(Command::Checkpoint { from: "draft".into(), to: "publish".into(), approve: true, note: None });
    let (_, events) = live.finish().await;
    assert!(seq_of(&events, |k| matches!(k, EventKind::OutputEdited { player, .. } if player == "draft")) < seq_of(&events, cued("publish")));
    assert_eq!(handoffs(&events, "publish", 0), vec![("draft".to_string(), "The edited draft.".to_string())]);
}

#[tokio::test]
async fn a_recued_player_plays_again_and_hands_on_again() {
    let mut s = checkpointed();
    s.cues[0].checkpoint = false;
    // A person who has not answered yet keeps the performance open.
    s.players.push(player("keeper", human()));
    let mut live = start(s, options());
    live.until(finished("publish")).await;
    live.control.send(Command::Recue { player: "draft".into() });
    live.until(|k| matches!(k, EventKind::PlayerFinished { player, chorus: 2, .. } if player == "publish")).await;
    live.control.send(Command::Answer { player: "keeper".into(), text: "done".into() });
    let (outcome, events) = live.finish().await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(count(&events, cued("draft")), 2);
    assert_eq!(count(&events, cued("publish")), 2);
    assert!(handoffs(&events, "publish", 1)[0].1.starts_with("[rehearsal] draft (chorus 2)"));
}

/// Waits for the end of a performance in which time only passes when nothing else can happen,
/// failing instead of waiting for good when nothing ends it.
async fn finish_within_an_hour(live: Live) -> (Outcome, Vec<ensemble_conductor::Event>) {
    tokio::time::timeout(std::time::Duration::from_secs(3600), live.finish()).await.expect("the performance ends by itself: nobody answers the person")
}

#[tokio::test(start_paused = true)]
async fn a_person_who_does_not_answer_in_time_fails_and_a_failure_cue_takes_over() {
    let mut s = score(vec![player("editor", human()), player("fallback", rehearsal(0))], vec![cue_when("editor", "fallback", ensemble_score::When::Failure)]);
    s.players[0].timeout_secs = Some(600);
    let live = start(s, options());
    let (outcome, events) = finish_within_an_hour(live).await;
    let error = events.iter().find_map(|e| match &e.kind {
        EventKind::PlayerFailed { player, error, .. } if player == "editor" => Some(error.clone()),
        _ => None,
    });
    assert_eq!(error.as_deref(), Some("no answer within 600 s"));
    assert!(handoffs(&events, "fallback", 0)[0].1.starts_with("EDITOR failed: no answer within 600 s"));
    assert_eq!(outcome, Outcome::Succeeded, "the failure cue handled the silence");
}

#[tokio::test(start_paused = true)]
async fn a_person_who_answered_in_time_is_not_timed_out_later() {
    let mut s = score(
        vec![player("editor", human()), player("fallback", rehearsal(0)), player("keeper", human())],
        vec![cue_when("editor", "fallback", ensemble_score::When::Failure)],
    );
    s.players[0].timeout_secs = Some(60);
    // Keeps the performance going well past the editor's timeout.
    s.players[2].timeout_secs = Some(120);
    let mut live = start(s, options());
    live.until(|k| matches!(k, EventKind::HumanWaiting { player, .. } if player == "editor")).await;
    live.control.send(Command::Answer { player: "editor".into(), text: "Fine.".into() });
    let (outcome, events) = finish_within_an_hour(live).await;
    assert_eq!(outputs(&events, "editor"), vec!["Fine."]);
    assert_eq!(count(&events, failed("editor")), 0);
    assert_eq!(count(&events, cued("fallback")), 0);
    let error = events.iter().find_map(|e| match &e.kind {
        EventKind::PlayerFailed { player, error, .. } if player == "keeper" => Some(error.clone()),
        _ => None,
    });
    assert_eq!(error.as_deref(), Some("no answer within 120 s"));
    assert_eq!(outcome, Outcome::Failed, "nothing handled the keeper's silence");
}
