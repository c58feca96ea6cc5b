//! Forking: a new performance from a recorded one's outputs, re-run from a chosen player. The
//! players upstream of it are carried over (recorded as such, never cued); it and everything
//! downstream play; an interrupted fork resumes without carrying anything twice.

mod common;

use common::*;
use ensemble_conductor::{Carried, Conductor, Event, EventKind, MemoryJournal, Options, Outcome, carried_outputs, downstream_of};
use ensemble_score::{Player, Score, When};

/// The players carried over in `events`, in the order they were recorded.
fn carried(events: &[Event]) -> Vec<(String, u32)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerCarried { player, chorus, from_performance, .. } => {
                assert_eq!(from_performance, "recorded", "a carried output names the performance it comes from");
                Some((player.clone(), *chorus))
            }
            _ => None,
        })
        .collect()
}

fn cued_players(events: &[Event]) -> Vec<(String, u32)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerCued { player, chorus, .. } => Some((player.clone(), *chorus)),
            _ => None,
        })
        .collect()
}

/// The counts the finish event gives: players, never cued, carried.
fn finish_counts(events: &[Event]) -> (u32, u32, u32) {
    match &events.last().expect("events were recorded").kind {
        EventKind::PerformanceFinished { players, never_cued, carried, .. } => (*players, *never_cued, *carried),
        other => panic!("the last event is {other:?}, not the finish"),
    }
}

async fn fork(score: Score, carried: Vec<Carried>, options: Options) -> (Outcome, Vec<Event>) {
    let mut conductor = Conductor::new(score, options, Box::new(MemoryJournal::default())).carrying("recorded".into(), carried);
    let mut events = conductor.subscribe();
    let outcome = conductor.run().await;
    (outcome, drain(&mut events))
}

fn names(list: &[(String, u32)]) -> Vec<&str> {
    list.iter().map(|(p, _)| p.as_str()).collect()
}

fn chain() -> Score {
    let players: Vec<Player> = ["a", "b", "c", "d"].iter().map(|id| player(id, rehearsal(0))).collect();
    score(players, vec![cue("a", "b"), cue("b", "c"), cue("c", "d")])
}

#[tokio::test]
async fn a_chain_forked_from_c_carries_a_and_b_and_plays_c_and_d() {
    let s = chain();
    let (outcome, recorded) = conduct(s.clone(), options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(downstream_of(&s, "c"), Some(vec!["c".to_string(), "d".to_string()]));

    let given = carried_outputs(&s, &recorded, &s, "c").expect("c is a player of the score");
    assert_eq!(given.iter().map(|c| c.player.as_str()).collect::<Vec<_>>(), ["a", "b"], "a and b are upstream of c");
    let b_recorded = outputs(&recorded, "b").remove(0);
    assert_eq!(given[1].output, b_recorded, "b's recorded output is what is carried");

    let (outcome, events) = fork(s, given, Options { seed: 2, ..options() }).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(carried(&events), [("a".to_string(), 1), ("b".to_string(), 1)], "a, then b, carried in cue order");
    assert_eq!(names(&cued_players(&events)), ["c", "d"], "only c and d play: a and b are not played again");
    assert_eq!(handoffs(&events, "c", 0), vec![("b".to_string(), b_recorded)], "c is handed b's recorded output");
    assert!(seq_of(&events, |k| matches!(k, EventKind::PlayerCarried { player, .. } if player == "b")) < seq_of(&events, cued("c")));
    assert_eq!(finish_counts(&events), (4, 0, 2), "4 players, none left uncued, 2 carried over");
}

#[tokio::test]
async fn a_fan_out_forked_from_one_branch_carries_the_other_branch_into_the_join() {
    // a -> b -> d and a -> c -> d, d joins both.
    let players = ["a", "b", "c", "d"].iter().map(|id| player(id, rehearsal(0))).collect();
    let s = score(players, vec![cue("a", "b"), cue("a", "c"), cue("b", "d"), cue("c", "d")]);
    let (_, recorded) = conduct(s.clone(), options()).await;
    let given = carried_outputs(&s, &recorded, &s, "b").expect("b is a player");
    assert_eq!(given.iter().map(|c| c.player.as_str()).collect::<Vec<_>>(), ["a", "c"], "c is not downstream of b: it keeps its output");

    let (outcome, events) = fork(s, given, Options { seed: 9, ..options() }).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(names(&carried(&events)), ["a", "c"]);
    assert_eq!(names(&cued_players(&events)), ["b", "d"]);
    let into_d = handoffs(&events, "d", 0);
    let c_recorded = outputs(&recorded, "c").remove(0);
    let b_new = outputs(&events, "b").remove(0);
    assert_eq!(into_d, vec![("b".to_string(), b_new), ("c".to_string(), c_recorded)], "d joins b's new output and c's recorded one");
}

/// coder -> reviewer; reviewer -> coder while it asks for changes (at most 2 times); reviewer -> ship once approved.
fn review_loop() -> Score {
    let players = vec![
        player("coder", rehearsal(0)),
        player("reviewer", verdicts(&["CHANGES REQUESTED", "APPROVED"])),
        player("ship", rehearsal(0)),
    ];
    let back = ensemble_score::Cue { max_repeats: Some(2), ..verdict_cue("reviewer", "coder", "CHANGES") };
    score(players, vec![cue("coder", "reviewer"), back, verdict_cue("reviewer", "ship", "APPROVED")])
}

#[tokio::test]
async fn a_loop_forked_from_its_reviewer_starts_from_the_coders_last_chorus() {
    let s = review_loop();
    let (outcome, recorded) = conduct(s.clone(), options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(names(&cued_players(&recorded)), ["coder", "reviewer", "coder", "reviewer", "ship"]);

    assert_eq!(downstream_of(&s, "reviewer"), Some(vec!["reviewer".to_string(), "ship".to_string()]), "the loop's way back is set aside");
    let given = carried_outputs(&s, &recorded, &s, "reviewer").expect("reviewer is a player");
    assert_eq!(given.len(), 1);
    assert_eq!((given[0].player.as_str(), given[0].chorus), ("coder", 2), "the coder's latest chorus is carried");
    let coder_last = outputs(&recorded, "coder").pop().expect("the coder finished");
    assert_eq!(given[0].output, coder_last);

    let (outcome, events) = fork(s, given, options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(carried(&events), [("coder".to_string(), 2)]);
    let cued = cued_players(&events);
    assert_eq!(cued[0], ("reviewer".to_string(), 1), "the reviewer plays first, from the carried output");
    assert_eq!(handoffs(&events, "reviewer", 0), vec![("coder".to_string(), coder_last)]);
    // The reviewer asks for changes again in its first chorus: the loop re-cues the carried
    // coder, whose choruses go on from the ones it had.
    assert_eq!(
        cued,
        [("reviewer".to_string(), 1), ("coder".to_string(), 3), ("reviewer".to_string(), 2), ("ship".to_string(), 1)]
    );
}

#[tokio::test]
async fn a_fork_from_a_failed_player_plays_it_again_with_its_part_changed() {
    // b fails for good; c only plays after b succeeds, so it is never cued.
    let mut failing_b = player("b", failing());
    failing_b.retries = Some(0);
    let broken = score(vec![player("a", rehearsal(0)), failing_b, player("c", rehearsal(0))], vec![cue("a", "b"), cue_when("b", "c", When::Success)]);
    let (outcome, recorded) = conduct(broken.clone(), options()).await;
    assert_eq!(outcome, Outcome::Failed);
    assert_eq!(finish_counts(&recorded), (3, 1, 0), "the failed performance says c was never cued");

    // The fork plays the score as changed since: b now plays on a working instrument.
    let fixed = score(vec![player("a", rehearsal(0)), player("b", rehearsal(0)), player("c", rehearsal(0))], broken.cues.clone());
    let given = carried_outputs(&broken, &recorded, &fixed, "b").expect("b is a player");
    assert_eq!(given.iter().map(|c| c.player.as_str()).collect::<Vec<_>>(), ["a"]);
    let (outcome, events) = fork(fixed, given, options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(names(&carried(&events)), ["a"]);
    assert_eq!(names(&cued_players(&events)), ["b", "c"]);
    assert_eq!(finish_counts(&events), (3, 0, 1));
}

#[tokio::test]
async fn a_carried_failure_hands_on_as_a_failure() {
    // a fails; its failure cue hands the error to a fixer; the fork re-runs the fixer only.
    let mut failing_a = player("a", failing());
    failing_a.retries = Some(0);
    let s = score(vec![failing_a, player("fixer", rehearsal(0))], vec![cue_when("a", "fixer", When::Failure)]);
    let (outcome, recorded) = conduct(s.clone(), options()).await;
    assert_eq!(outcome, Outcome::Succeeded, "a handled failure");
    let given = carried_outputs(&s, &recorded, &s, "fixer").expect("fixer is a player");
    assert!(given[0].failed && given[0].output.starts_with("A failed:"), "{:?}", given[0]);
    let (outcome, events) = fork(s, given.clone(), options()).await;
    assert_eq!(outcome, Outcome::Succeeded, "the carried failure is handled again by its failure cue");
    assert_eq!(handoffs(&events, "fixer", 0), vec![("a".to_string(), given[0].output.clone())]);
}

#[tokio::test]
async fn an_interrupted_fork_resumes_without_carrying_anything_twice() {
    let s = chain();
    let (_, recorded) = conduct(s.clone(), options()).await;
    let given = carried_outputs(&s, &recorded, &s, "c").expect("c is a player");
    let (_, whole) = fork(s.clone(), given.clone(), Options { performance: Some("forked".into()), ..options() }).await;
    // The process died just after c was cued: everything up to there was recorded.
    let cut = whole.iter().position(|e| cued("c")(&e.kind)).expect("c was cued") + 1;
    let prior: Vec<Event> = whole[..cut].to_vec();

    let options = Options { performance: Some("forked".into()), prior, ..options() };
    let (outcome, events) = fork(s, given, options).await;
    assert_eq!(outcome, Outcome::Succeeded);
    assert!(matches!(&events[0].kind, EventKind::PerformanceStarted { resumed: true, .. }));
    assert!(carried(&events).is_empty(), "a and b were carried in the first stretch and are not again");
    assert_eq!(names(&cued_players(&events)), ["c", "d"], "c plays again (it had not ended), then d");
    assert_eq!(finish_counts(&events), (4, 0, 2), "the counts fold both stretches");
}

#[tokio::test]
async fn players_whose_cues_never_fire_make_a_success_say_so() {
    // b and c only play when a's verdict matches, which it never does.
    let players = vec![player("a", rehearsal(0)), player("b", rehearsal(0)), player("c", rehearsal(0)), player("d", rehearsal(0))];
    let s = score(players, vec![verdict_cue("a", "b", "NEVER SAID"), cue("b", "c"), cue("a", "d")]);
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    let (players, never_cued, carried) = finish_counts(&events);
    assert_eq!((players, never_cued, carried), (4, 2, 0), "b and c were skipped");
    assert_eq!(outcome.summary(players, never_cued, carried), "finished, 2 of 4 players never cued");
}
