//! Replaying a recorded performance reaches the state the conductor reached while conducting it.
//!
//! The conductor writes what its state said into the events that follow: a cued player is handed
//! the outputs its state held for the cues that fired, a fired cue carries its count, and the
//! finish carries the usage and cost it summed. So a replay that folds a real recording event by
//! event must agree with each of those at the moment it was written.

mod common;

use common::*;
use ensemble_conductor::{Command, Event, EventKind, Outcome, Replay};
use ensemble_score::{Cue, Score, When};

/// Replays `events` one by one and checks, before each, that the replay holds what the conductor
/// wrote into it; returns the finished replay.
fn replay_checked<'e>(score: &Score, events: &'e [Event]) -> Replay<'e> {
    let mut replay = Replay::new(score);
    for event in events {
        match &event.kind {
            EventKind::PlayerCued { player, handoffs, .. } => {
                for h in handoffs {
                    assert_eq!(
                        replay.output(&h.from),
                        Some(h.output.as_str()),
                        "{player} was handed what the conductor's state held for {} (seq {})",
                        h.from,
                        event.seq
                    );
                }
            }
            EventKind::PerformanceFinished { usage, cost_usd, .. } => {
                assert_eq!(replay.usage(), *usage, "the finish carries the usage the conductor summed");
                assert_eq!(replay.cost_usd(), *cost_usd, "the finish carries the cost the conductor summed");
            }
            _ => {}
        }
        replay.apply(event);
        if let EventKind::CueFired { from, to, count } = &event.kind {
            assert_eq!(replay.times_fired(from, to), *count, "the cue {from} -> {to} counted its firings as the conductor did");
        }
        assert_eq!(replay.seq(), event.seq, "every event moves the replay on");
    }
    replay
}

/// writer -> reviewer, a review loop back to the writer while the reviewer asks for changes, a
/// release on approval, and a player that fails with a failure cue to a backup.
fn performed_score() -> Score {
    let mut s = score(
        vec![
            player("writer", rehearsal(0)),
            player("reviewer", verdicts(&["CHANGES", "APPROVED"])),
            player("release", rehearsal(0)),
            player("flaky", failing()),
            player("backup", rehearsal(0)),
        ],
        vec![
            cue("writer", "reviewer"),
            Cue { max_repeats: Some(3), ..verdict_cue("reviewer", "writer", "VERDICT: CHANGES") },
            verdict_cue("reviewer", "release", "VERDICT: APPROVED"),
            cue_when("flaky", "backup", When::Failure),
        ],
    );
    s.players[3].retries = Some(0);
    s
}

#[tokio::test]
async fn a_replay_of_a_recorded_performance_reaches_the_conductors_state() {
    let s = performed_score();
    let (outcome, events) = conduct(s.clone(), options()).await;
    assert_eq!(outcome, Outcome::Succeeded, "the failure was handled by its backup: {events:#?}");
    let replay = replay_checked(&s, &events);

    assert_eq!(replay.outcome(), Some(outcome), "the replay ends as the performance did");
    assert_eq!(replay.choruses_played("writer"), Some(2), "the writer played again once, after the reviewer asked for changes");
    assert_eq!(replay.choruses_played("reviewer"), Some(2));
    assert_eq!(replay.last_ended_ok("flaky"), Some(false), "flaky's only chorus failed");
    assert_eq!(replay.last_ended_ok("backup"), Some(true));
    assert_eq!(replay.times_fired("reviewer", "writer"), 1);
    assert_eq!(replay.output("release").map(|o| o.starts_with("[rehearsal] release")), Some(true), "release hands on its rehearsal output");
    assert_eq!(replay.output("flaky").map(|o| o.starts_with("FLAKY failed: ")), Some(true), "a failed player hands on its failure");
    assert_eq!(replay.output("nobody"), None, "a player the score does not have has no state");

    let record = replay.into_record();
    let cued = count(&events, |k| matches!(k, EventKind::PlayerCued { .. }));
    assert_eq!(record.choruses.len(), cued, "one chorus per cue");
    assert_eq!(record.by_player["writer"].len(), 2);
    let second = &record.choruses[record.by_player["writer"][1]];
    assert_eq!(second.chorus, 2);
    assert_eq!(second.handoffs.len(), 1, "the writer's second chorus was handed the review");
    assert_eq!(second.handoffs[0].from, "reviewer");
    for d in record.decisions.iter().filter(|d| d.fired) {
        let judged = &record.choruses[d.judged.expect("a fired cue judged an ended chorus")];
        assert_eq!(judged.player, d.from, "a decision judges a chorus of its own player");
        let started = &record.choruses[d.started.expect("every cue that fired started its receiver")];
        assert_eq!(started.player, d.to);
        assert!(started.handoffs.iter().any(|h| h.from == d.from), "the chorus a cue started was handed {}'s output", d.from);
        assert!(started.cued_seq > d.seq, "a cue starts a chorus after it fired");
    }
    let held: Vec<(&str, &str)> = record.decisions.iter().filter(|d| !d.fired).map(|d| (d.from, d.to)).collect();
    assert!(held.contains(&("reviewer", "release")), "the first review held the release: {held:?}");
    assert!(held.contains(&("reviewer", "writer")), "the approving review held the loop: {held:?}");
    let finish = record.finish.expect("the performance finished");
    assert_eq!((finish.outcome, finish.seq), (Outcome::Succeeded, events.len() as u64));
    assert!(record.unknown_players.is_empty());
    assert_eq!(record.performance, events.iter().find_map(|e| match &e.kind {
        EventKind::PerformanceStarted { performance, .. } => Some(performance.as_str()),
        _ => None,
    }));
}

#[tokio::test]
async fn a_replay_holds_the_edited_output_the_conductor_handed_on() {
    let s = score(vec![player("draft", rehearsal(0)), player("publish", rehearsal(0))], vec![Cue { checkpoint: true, ..cue("draft", "publish") }]);
    let mut live = start(s.clone(), options());
    live.until(|k| matches!(k, EventKind::CheckpointWaiting { .. })).await;
    live.control.send(Command::EditOutput { player: "draft".into(), output: "The edited draft.".into() });
    live.control.send(Command::Checkpoint { from: "draft".into(), to: "publish".into(), approve: true, note: None });
    let (_, events) = live.finish().await;
    let replay = replay_checked(&s, &events);
    assert_eq!(replay.output("draft"), Some("The edited draft."), "the edit replaced what draft hands on");
    let record = replay.record();
    let edit_seq = seq_of(&events, |k| matches!(k, EventKind::OutputEdited { .. }));
    assert_eq!(record.edits, vec![("draft", edit_seq)]);
    assert_eq!(record.checkpoints.len(), 1);
    assert!(record.checkpoints[0].approved);
    let played = record.choruses[record.by_player["draft"][0]].end.as_ref().expect("draft finished");
    assert!(played.output.starts_with("[rehearsal] draft"), "the chorus keeps what was played, before the edit: {}", played.output);
    assert_eq!(played.edited, Some("The edited draft."), "the end keeps the edit beside what was played");
}

/// A log written by hand: each chorus sums what its attempts used and cost (the retried one
/// included), counts its tool calls, and keeps its instrument and its failure.
#[test]
fn each_chorus_carries_its_instrument_usage_cost_and_tool_calls() {
    use ensemble_instruments::Usage;
    let usage = |input_tokens, output_tokens| Usage { input_tokens, output_tokens };
    let cued = |chorus| EventKind::PlayerCued {
        player: "a".into(),
        chorus,
        context_version: "sha256:1".into(),
        instrument: "openai m".into(),
        rehearsal: false,
        handoffs: Vec::new(),
    };
    let called = |call: &str| EventKind::ToolCalled { player: "a".into(), call: call.into(), tool: "files.read".into(), arguments: serde_json::json!({}), rehearsal: false };
    let waiting = |call: &str| EventKind::ToolWaiting { player: "a".into(), call: call.into(), tool: "files.write".into(), arguments: serde_json::json!({}) };
    let kinds = vec![
        EventKind::PerformanceStarted { performance: "p".into(), title: "T".into(), context_version: "sha256:1".into(), players: vec!["a".into()], offline: false, resumed: false, tempo: None },
        cued(1),
        called("1.1.1"),
        EventKind::PlayerRetrying { player: "a".into(), attempt: 2, delay_ms: 0, reason: "dropped".into(), usage: usage(3, 4), cost_usd: 0.25 },
        called("1.2.1"),
        called("1.2.2"),
        // Asked, approved and run: one call. Asked and never run (rejected): one. Refused: one.
        waiting("1.2.3"),
        called("1.2.3"),
        waiting("1.2.4"),
        EventKind::ToolFailed { player: "a".into(), call: "1.2.5".into(), tool: "files.nope".into(), error: "no such tool".into(), elapsed_ms: 0 },
        EventKind::PlayerFailed { player: "a".into(), chorus: 1, error: "boom".into(), partial_output: "half".into(), usage: usage(5, 6), cost_usd: 0.5, elapsed_ms: 7 },
        cued(2),
        EventKind::PlayerFinished { player: "a".into(), chorus: 2, output: "whole".into(), usage: usage(1, 1), cost_usd: 0.125, elapsed_ms: 3 },
        EventKind::OutputEdited { player: "ghost".into(), output: "boo".into() },
    ];
    let events: Vec<Event> = kinds.into_iter().enumerate().map(|(i, kind)| Event { seq: i as u64 + 1, at_ms: 1000 + i as u64, kind }).collect();
    let s = score(vec![player("a", rehearsal(0))], vec![]);
    let replay = Replay::of(&s, &events);
    let record = replay.record();

    assert_eq!(record.players, ["a", "ghost"], "players in the order the events first name them");
    let [first, second] = [&record.choruses[0], &record.choruses[1]];
    assert_eq!(first.instrument, "openai m");
    assert_eq!(first.usage, usage(3 + 5, 4 + 6), "the retried attempt's usage counts with the failed chorus");
    assert_eq!(first.cost_usd, 0.25 + 0.5);
    assert_eq!(first.tool_calls, 3 + 3, "calls of both attempts, each once, run or not");
    let failed = first.end.as_ref().expect("the first chorus failed");
    assert_eq!((failed.ok, failed.chorus, failed.error, failed.output), (false, 1, Some("boom"), "half"));
    assert_eq!((second.usage, second.cost_usd, second.tool_calls), (usage(1, 1), 0.125, 0));
    assert_eq!(second.end.as_ref().map(|e| (e.ok, e.error)), Some((true, None)));
    assert_eq!(replay.usage(), usage(9, 11), "the choruses add up to the conductor's total");
    assert_eq!(replay.cost_usd(), 0.875);
}

#[tokio::test]
async fn a_replay_of_an_interrupted_then_resumed_performance_matches_the_resumed_conductor() {
    let s = performed_score();
    let (_, full) = conduct(s.clone(), options()).await;
    // Interrupted just after the reviewer was cued the first time: it never ended.
    let cut = seq_of(&full, cued("reviewer")) as usize;
    let prior = full[..cut].to_vec();
    let (outcome, resumed) = conduct(s.clone(), ensemble_conductor::Options { prior: prior.clone(), ..options() }).await;
    assert_eq!(outcome, Outcome::Succeeded);
    let log: Vec<Event> = prior.into_iter().chain(resumed).collect();
    let replay = replay_checked(&s, &log);
    assert_eq!(replay.outcome(), Some(Outcome::Succeeded));
    let record = replay.record();
    let reviews = &record.by_player["reviewer"];
    assert!(record.choruses[reviews[0]].end.is_none(), "the chorus cut off by the interruption never ended");
    assert!(reviews[1..].iter().all(|&r| record.choruses[r].end.is_some()), "every review after the resume ended");
}

#[test]
fn events_about_players_the_score_does_not_have_are_indexed_but_leave_the_state_alone() {
    let s = score(vec![player("solo", rehearsal(0))], vec![]);
    let events = vec![
        Event {
            seq: 1,
            at_ms: 10,
            kind: EventKind::PlayerFinished {
                player: "ghost".into(),
                chorus: 1,
                output: "boo".into(),
                usage: Default::default(),
                cost_usd: 0.0,
                elapsed_ms: 3,
            },
        },
        Event { seq: 2, at_ms: 5, kind: EventKind::CueFired { from: "nobody".into(), to: "solo".into(), count: 4 } },
    ];
    let replay = Replay::of(&s, &events);
    assert_eq!(replay.output("ghost"), None);
    assert_eq!(replay.times_fired("nobody", "solo"), 0, "the conductor has no such cue to count");
    let record = replay.into_record();
    assert_eq!(record.unknown_players, vec!["ghost", "nobody"]);
    assert_eq!(record.choruses.len(), 1, "an end without its cue still makes a chorus");
    assert_eq!((record.choruses[0].chorus, record.choruses[0].cued_seq), (0, 1));
    assert_eq!(record.decisions[0].judged, None, "nobody never played");
    assert_eq!((record.first_at, record.last_at), (Some(10), Some(10)), "the latest time, even when the clock goes backwards");
}

#[tokio::test]
async fn a_replay_of_a_fork_hands_on_what_was_carried_and_counts_no_chorus_for_it() {
    let s = score(vec![player("a", rehearsal(0)), player("b", rehearsal(0)), player("c", rehearsal(0))], vec![cue("a", "b"), cue("b", "c")]);
    let (_, recorded) = conduct(s.clone(), options()).await;
    let carried = ensemble_conductor::carried_outputs(&s, &recorded, &s, "c").expect("the score has c");
    let mut conductor = ensemble_conductor::Conductor::new(s.clone(), options(), Box::new(ensemble_conductor::MemoryJournal::default()))
        .carrying("recorded".into(), carried);
    let mut stream = conductor.subscribe();
    assert_eq!(conductor.run().await, Outcome::Succeeded);
    let events = drain(&mut stream);
    // c is handed b's carried output: the check in `replay_checked` holds for carried players too.
    let replay = replay_checked(&s, &events);
    assert_eq!(replay.output("b"), Some(outputs(&recorded, "b")[0].as_str()), "b hands on what it played in the recorded performance");
    let record = replay.into_record();
    let carried: Vec<&str> = record.carried.iter().map(|c| c.player).collect();
    assert_eq!(carried, vec!["a", "b"]);
    assert_eq!(record.by_player.keys().copied().collect::<Vec<_>>(), vec!["c"], "only c played in the fork");
}
