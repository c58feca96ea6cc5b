//! Limits: budgets, retries and timeouts.

mod common;

use common::*;
use ensemble_conductor::{EventKind, Outcome};

#[tokio::test]
async fn a_token_budget_stops_the_performance() {
    let mut s = score(vec![player("a", rehearsal(0)), player("b", rehearsal(0))], vec![cue("a", "b")]);
    s.tempo.max_tokens = Some(10);
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::BudgetExceeded);
    let exceeded = events.iter().find_map(|e| match &e.kind {
        EventKind::BudgetExceeded { budget, limit, used } => Some((budget.clone(), *limit, *used)),
        _ => None,
    });
    let (budget, limit, used) = exceeded.expect("the budget was exceeded");
    assert_eq!((budget.as_str(), limit), ("tokens", 10.0));
    assert!(used > 10.0);
    assert_eq!(count(&events, cued("b")), 0, "nothing starts after the budget ran out");
    let (_, reason) = finished_outcome(&events);
    assert!(reason.expect("the finish says why").contains("token budget of 10"));
    match &events.last().expect("a finish").kind {
        // The budget may run out on the estimate of a stream; the real usage recorded when the
        // player ended includes at least what was counted then.
        EventKind::PerformanceFinished { usage, .. } => assert!((usage.input_tokens + usage.output_tokens) as f64 >= used, "{usage:?} against {used}"),
        _ => unreachable!("checked by finished_outcome"),
    }
}

#[tokio::test]
async fn a_time_budget_cuts_off_a_slow_program() {
    let mut s = score(vec![player("slow", sh("sleep 60"))], vec![]);
    s.tempo.max_wall_secs = Some(1);
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::BudgetExceeded);
    assert!(events.iter().any(|e| matches!(&e.kind, EventKind::BudgetExceeded { budget, .. } if budget == "time")));
    assert_eq!(count(&events, failed("slow")), 1);
}

#[tokio::test]
async fn a_failing_then_succeeding_program_is_retried() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let marker = dir.path().join("tried");
    let script = format!("if [ -e '{0}' ]; then echo second time lucky; else touch '{0}'; exit 1; fi", marker.display());
    let mut s = score(vec![player("flaky", sh(&script))], vec![]);
    s.players[0].retries = Some(1);
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::Succeeded);
    let retry = events.iter().find_map(|e| match &e.kind {
        EventKind::PlayerRetrying { attempt, delay_ms, .. } => Some((*attempt, *delay_ms)),
        _ => None,
    });
    assert_eq!(retry, Some((2, 500)), "the second attempt after the first backoff");
    assert_eq!(outputs(&events, "flaky"), vec!["second time lucky\n"]);
}

#[tokio::test]
async fn a_program_is_not_retried_by_default() {
    let s = score(vec![player("broken", sh("echo partial; exit 2"))], vec![]);
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::Failed);
    assert_eq!(count(&events, |k| matches!(k, EventKind::PlayerRetrying { .. })), 0);
    assert_eq!(count(&events, failed("broken")), 1);
}

#[tokio::test]
async fn rehearsal_failures_are_retried_until_the_retries_run_out() {
    let mut s = score(vec![player("unlucky", failing())], vec![]);
    s.players[0].retries = Some(2);
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::Failed);
    let attempts: Vec<u32> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerRetrying { attempt, reason, .. } => {
                assert_eq!(reason, "rehearsal: simulated failure");
                Some(*attempt)
            }
            _ => None,
        })
        .collect();
    assert_eq!(attempts, vec![2, 3]);
    assert_eq!(count(&events, failed("unlucky")), 1);
}

#[tokio::test]
async fn an_attempt_that_outlives_its_timeout_fails() {
    let mut s = score(vec![player("stuck", sh("sleep 60")), player("fallback", rehearsal(0))], vec![cue_when("stuck", "fallback", ensemble_score::When::Failure)]);
    s.players[0].timeout_secs = Some(1);
    let (outcome, events) = conduct(s, options()).await;
    let error = events.iter().find_map(|e| match &e.kind {
        EventKind::PlayerFailed { player, error, .. } if player == "stuck" => Some(error.clone()),
        _ => None,
    });
    assert_eq!(error.as_deref(), Some("timed out after 1 s"));
    assert_eq!(count(&events, finished("fallback")), 1);
    assert_eq!(outcome, Outcome::Succeeded, "the failure cue handled the timeout");
}

#[tokio::test]
async fn a_runaway_stream_is_stopped_as_soon_as_it_exceeds_the_token_budget() {
    // 4,000 characters (about 1,000 tokens) at once, then a long silence: only counting the
    // stream as it arrives can stop it before the time budget, the safety net here, runs out.
    let mut s = score(vec![player("runaway", sh("head -c 4000 /dev/zero | tr '\\0' k; sleep 60")), player("after", rehearsal(0))], vec![cue("runaway", "after")]);
    s.tempo.max_tokens = Some(100);
    s.tempo.max_wall_secs = Some(20);
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::BudgetExceeded);
    let exceeded: Vec<(String, f64, f64)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::BudgetExceeded { budget, limit, used } => Some((budget.clone(), *limit, *used)),
            _ => None,
        })
        .collect();
    assert_eq!(exceeded.len(), 1, "the budget is exceeded once: {exceeded:?}");
    let (budget, limit, used) = &exceeded[0];
    assert_eq!((budget.as_str(), *limit), ("tokens", 100.0), "the token budget ran out, not the time");
    assert!(*used > 100.0);
    let error = events.iter().find_map(|e| match &e.kind {
        EventKind::PlayerFailed { player, error, .. } if player == "runaway" => Some(error.clone()),
        _ => None,
    });
    assert!(error.expect("the runaway player was stopped").starts_with("cut off"));
    assert_eq!(count(&events, cued("after")), 0);
    let (_, reason) = finished_outcome(&events);
    assert!(reason.expect("the finish says why").contains("token budget of 100"));
}

/// Every token used, as the events record it: failed attempts that were retried, failures and finishes.
fn recorded_tokens(events: &[ensemble_conductor::Event]) -> u64 {
    events
        .iter()
        .map(|e| match &e.kind {
            EventKind::PlayerRetrying { usage, .. } | EventKind::PlayerFailed { usage, .. } | EventKind::PlayerFinished { usage, .. } => usage.input_tokens + usage.output_tokens,
            _ => 0,
        })
        .sum()
}

fn finished_tokens(events: &[ensemble_conductor::Event]) -> u64 {
    match &events.last().expect("a finish").kind {
        EventKind::PerformanceFinished { usage, .. } => usage.input_tokens + usage.output_tokens,
        other => panic!("the last event is {other:?}, not the finish"),
    }
}

#[tokio::test]
async fn the_usage_of_retried_attempts_counts_toward_the_total() {
    let mut s = score(vec![player("unlucky", failing())], vec![]);
    s.players[0].retries = Some(2);
    let (_, events) = conduct(s, options()).await;
    let retried: Vec<u64> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerRetrying { usage, .. } => Some(usage.input_tokens + usage.output_tokens),
            _ => None,
        })
        .collect();
    assert_eq!(retried.len(), 2);
    assert!(retried.iter().all(|&t| t > 0), "each failed attempt read its prompt and streamed half its output: {retried:?}");
    assert_eq!(finished_tokens(&events), recorded_tokens(&events));
    assert!(finished_tokens(&events) > retried.iter().sum::<u64>(), "the last attempt counts too");
}

#[tokio::test]
async fn retried_attempts_can_exhaust_the_token_budget() {
    // One failing attempt's usage, from a performance without retries.
    let mut s = score(vec![player("unlucky", failing())], vec![]);
    s.players[0].retries = Some(0);
    let (_, once) = conduct(s, options()).await;
    assert_eq!(count(&once, |k| matches!(k, EventKind::PlayerRetrying { .. })), 0);
    let one_attempt = recorded_tokens(&once);
    assert!(one_attempt > 0);

    let mut s = score(vec![player("unlucky", failing())], vec![]);
    s.players[0].retries = Some(5);
    s.tempo.max_tokens = Some(one_attempt + 1);
    let (outcome, events) = conduct(s, options()).await;
    assert_eq!(outcome, Outcome::BudgetExceeded, "two attempts use more than the budget");
    assert!(events.iter().any(|e| matches!(&e.kind, EventKind::BudgetExceeded { budget, .. } if budget == "tokens")));
    let attempts: Vec<u32> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerRetrying { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .collect();
    assert!(attempts.len() < 5 && !attempts.contains(&4), "the retries stop with the budget: {attempts:?}");
    assert_eq!(finished_tokens(&events), recorded_tokens(&events));
}
