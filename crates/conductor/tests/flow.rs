//! How a performance flows: order, parallelism, loops, conditions, skips and joins.

mod common;

use common::*;
use ensemble_conductor::{EventKind, Outcome};
use ensemble_score::{Cue, Join, When};

#[tokio::test]
async fn a_chain_plays_in_order_with_gapless_seq_and_context_first() {
    let s = score(
        vec![player("a", rehearsal(0)), player("b", rehearsal(0)), player("c", rehearsal(0))],
        vec![cue("a", "b"), cue("b", "c")],
    );
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.seq, i as u64 + 1, "seq runs from 1 without gaps");
    }
    assert!(matches!(&events[0].kind, EventKind::PerformanceStarted { resumed: false, players, .. } if players == &["a", "b", "c"]));
    assert!(seq_of(&events, finished("a")) < seq_of(&events, cued("b")));
    assert!(seq_of(&events, finished("b")) < seq_of(&events, cued("c")));
    assert_eq!(finished_outcome(&events), (Outcome::Succeeded, None));

    // b is handed a's output, labelled as rehearsal, with the shared context version recorded.
    let a_out = outputs(&events, "a").remove(0);
    assert!(a_out.starts_with("[rehearsal] a"), "{a_out}");
    assert_eq!(handoffs(&events, "b", 0), vec![("a".to_string(), a_out)]);
    let versions: Vec<&String> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerCued { context_version, rehearsal, instrument, .. } => {
                assert!(*rehearsal);
                assert_eq!(instrument, "rehearsal");
                Some(context_version)
            }
            _ => None,
        })
        .collect();
    assert_eq!(versions.len(), 3);
    assert!(versions.iter().all(|v| *v == versions[0] && !v.is_empty()));
    let streamed: String = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Token { player, text } if player == "c" => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(streamed, outputs(&events, "c").remove(0), "c's output is streamed before it is recorded whole");
}

#[tokio::test]
async fn independent_players_play_at_the_same_time() {
    let s = score(
        vec![player("left", rehearsal(40)), player("right", rehearsal(40)), player("join", rehearsal(0))],
        vec![cue("left", "join"), cue("right", "join")],
    );
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    let first_finish = seq_of(&events, |k| matches!(k, EventKind::PlayerFinished { .. }));
    assert!(seq_of(&events, cued("left")) < first_finish && seq_of(&events, cued("right")) < first_finish, "both were playing at once");
    let join_cued = seq_of(&events, cued("join"));
    assert!(seq_of(&events, finished("left")) < join_cued && seq_of(&events, finished("right")) < join_cued, "join = all waits for both");
    assert_eq!(handoffs(&events, "join", 0).len(), 2);
}

/// coder -> reviewer -> coder (a loop while the reviewer asks for changes) -> reviewer ...
fn review_loop(reviewer_says: &[&str], max_repeats: u32) -> ensemble_score::Score {
    score(
        vec![player("coder", rehearsal(0)), player("reviewer", verdicts(reviewer_says)), player("release", rehearsal(0))],
        vec![
            cue("coder", "reviewer"),
            Cue { max_repeats: Some(max_repeats), ..verdict_cue("reviewer", "coder", "VERDICT: CHANGES") },
            verdict_cue("reviewer", "release", "VERDICT: APPROVED"),
        ],
    )
}

#[tokio::test]
async fn a_review_loop_stops_at_its_repeat_limit() {
    let (outcome, events) = conduct(review_loop(&["CHANGES"], 2), options()).await;
    assert_eq!(count(&events, cued("coder")), 3, "first chorus plus two repeats");
    assert_eq!(count(&events, cued("reviewer")), 3);
    let choruses: Vec<u32> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerCued { player, chorus, .. } if player == "coder" => Some(*chorus),
            _ => None,
        })
        .collect();
    assert_eq!(choruses, vec![1, 2, 3]);
    let held: Vec<&String> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::CueHeld { from, to, reason } if from == "reviewer" && to == "coder" => Some(reason),
            _ => None,
        })
        .collect();
    assert_eq!(held, vec!["repeat limit 2 reached"]);
    // The release never got approval: skipped at the end, and nobody failed.
    assert_eq!(count(&events, skipped("release")), 1);
    assert_eq!(outcome, Outcome::Succeeded);
    // The second coder chorus is handed the review that asked for changes.
    let second = handoffs(&events, "coder", 1);
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].0, "reviewer");
    assert!(second[0].1.ends_with("VERDICT: CHANGES\n"));
}

#[tokio::test]
async fn an_approving_review_ends_the_loop_and_releases() {
    let (outcome, events) = conduct(review_loop(&["CHANGES", "APPROVED"], 5), options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(count(&events, cued("coder")), 2);
    assert_eq!(count(&events, cued("reviewer")), 2);
    assert_eq!(count(&events, cued("release")), 1);
    assert_eq!(count(&events, |k| matches!(k, EventKind::PlayerSkipped { .. })), 0);
    assert!(seq_of(&events, finished("release")) > seq_of(&events, |k| matches!(k, EventKind::PlayerFinished { player, chorus: 2, .. } if player == "reviewer")));
}

#[tokio::test]
async fn conditions_choose_the_branch() {
    let s = score(
        vec![
            player("ok", rehearsal(0)),
            player("bad", failing()),
            player("on_ok_success", rehearsal(0)),
            player("on_ok_failure", rehearsal(0)),
            player("on_bad_failure", rehearsal(0)),
            player("on_bad_success", rehearsal(0)),
        ],
        vec![
            cue_when("ok", "on_ok_success", When::Success),
            cue_when("ok", "on_ok_failure", When::Failure),
            cue_when("bad", "on_bad_failure", When::Failure),
            cue_when("bad", "on_bad_success", When::Success),
        ],
    );
    let mut s = s;
    s.players[1].retries = Some(0);
    let (outcome, events) = conduct(s, options()).await;
    for played in ["on_ok_success", "on_bad_failure"] {
        assert_eq!(count(&events, finished(played)), 1, "{played} plays");
    }
    for not in ["on_ok_failure", "on_bad_success"] {
        assert_eq!(count(&events, cued(not)), 0, "{not} does not play");
        assert_eq!(count(&events, skipped(not)), 1, "{not} is reported skipped");
    }
    // The failure was handled by a failure cue that fired, so the performance succeeded.
    assert_eq!(outcome, Outcome::Succeeded);
    // What a failure hands on says what went wrong.
    assert!(handoffs(&events, "on_bad_failure", 0)[0].1.contains("rehearsal: simulated failure"));
}

#[tokio::test]
async fn an_unhandled_failure_fails_the_performance() {
    let mut s = score(vec![player("bad", failing())], vec![]);
    s.players[0].retries = Some(0);
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::Failed);
    let (_, reason) = finished_outcome(&events);
    assert!(reason.expect("a failed performance says why").contains("BAD failed"));
}

#[tokio::test]
async fn verdict_cues_match_the_output() {
    let s = score(
        vec![player("judge", verdicts(&["SHIP IT"])), player("ship", rehearsal(0)), player("fix", rehearsal(0))],
        vec![verdict_cue("judge", "ship", "VERDICT: SHIP"), verdict_cue("judge", "fix", "VERDICT: FIX")],
    );
    let (_, events) = conduct(s, options()).await;
    assert_eq!(count(&events, finished("ship")), 1);
    assert_eq!(count(&events, cued("fix")), 0);
    assert!(events.iter().any(|e| matches!(&e.kind, EventKind::CueHeld { to, reason, .. } if to == "fix" && reason.contains("did not match"))));
}

#[tokio::test]
async fn a_held_cue_skips_the_whole_branch() {
    // gate -> a -> b -> c, where gate only hands on when it fails (it does not).
    let s = score(
        vec![player("gate", rehearsal(0)), player("a", rehearsal(0)), player("b", rehearsal(0)), player("c", rehearsal(0))],
        vec![cue_when("gate", "a", When::Failure), cue("a", "b"), cue("b", "c")],
    );
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    let skips: Vec<(String, String)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerSkipped { player, reason } => Some((player.clone(), reason.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        skips,
        vec![
            ("a".to_string(), "its cue from GATE was held".to_string()),
            ("b".to_string(), "its cue from A was held".to_string()),
            ("c".to_string(), "its cue from B was held".to_string()),
        ]
    );
    // Skipped as soon as the gate decided, before the performance finished.
    assert!(seq_of(&events, skipped("c")) < seq_of(&events, |k| matches!(k, EventKind::PerformanceFinished { .. })));
    assert_eq!(count(&events, |k| matches!(k, EventKind::PlayerCued { .. })), 1);
}

#[tokio::test]
async fn join_any_plays_on_one_cue_and_join_all_needs_every_cue() {
    for (join, plays) in [(Join::Any, true), (Join::All, false)] {
        let mut s = score(
            vec![player("good", rehearsal(0)), player("bad", failing()), player("merge", rehearsal(0))],
            vec![cue_when("good", "merge", When::Success), cue_when("bad", "merge", When::Success)],
        );
        s.players[1].retries = Some(0);
        s.players[2].join = join;
        let (_, events) = conduct(s, options()).await;
        assert_eq!(count(&events, finished("merge")), usize::from(plays), "join {join:?}");
        assert_eq!(count(&events, skipped("merge")), usize::from(!plays), "join {join:?}");
        if plays {
            assert_eq!(handoffs(&events, "merge", 0).iter().map(|h| h.0.as_str()).collect::<Vec<_>>(), vec!["good"]);
        }
    }
}

#[tokio::test]
async fn offline_swaps_every_instrument_for_rehearsal() {
    let s = score(vec![player("script", sh("exit 3")), player("person", human())], vec![cue("script", "person")]);
    let (outcome, events) = conduct(s, ensemble_conductor::Options { offline: true, ..options() }).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert!(matches!(&events[0].kind, EventKind::PerformanceStarted { offline: true, .. }));
    assert!(outputs(&events, "person")[0].starts_with("[rehearsal] person"));
    assert_eq!(count(&events, |k| matches!(k, EventKind::PlayerCued { rehearsal: true, .. })), 2);
}

#[tokio::test]
async fn rehearsals_repeat_for_the_same_seed() {
    let s = || score(vec![player("a", rehearsal(0)), player("b", rehearsal(0))], vec![cue("a", "b")]);
    let (_, first) = conduct(s(), options()).await;
    let (_, second) = conduct(s(), options()).await;
    assert_eq!(outputs(&first, "b"), outputs(&second, "b"));
}

#[tokio::test]
async fn a_cycle_without_a_repeat_limit_fails_instead_of_looping() {
    let mut s = score(vec![player("start", rehearsal(0)), player("a", rehearsal(0)), player("b", rehearsal(0))], vec![cue("start", "a"), cue("a", "b"), cue("b", "a")]);
    s.players[1].join = Join::Any;
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::Failed);
    let (_, reason) = finished_outcome(&events);
    assert!(reason.expect("it says why").contains("cycle of cues without a repeat limit"));
    assert_eq!(count(&events, |k| matches!(k, EventKind::PlayerCued { .. })), 0);
}
