//! What the store keeps for forks, honest outcomes and the cost of failed attempts, against a
//! real SQLite file.

use ensemble_conductor::{Event, EventKind, Outcome};
use ensemble_instruments::Usage;
use ensemble_store::{NewPerformance, Store};

fn performance(id: &str) -> NewPerformance {
    NewPerformance {
        id: id.to_string(),
        title: "kite".into(),
        score_path: None,
        score_toml: "format = 1\ntitle = \"kite\"\n".into(),
        offline: true,
        seed: 3,
    }
}

fn event(seq: u64, kind: EventKind) -> Event {
    Event { seq, at_ms: 1_700_000_000_000 + seq, kind }
}

fn usage(input_tokens: u64, output_tokens: u64) -> Usage {
    Usage { input_tokens, output_tokens }
}

#[test]
fn a_fork_names_its_origin_and_its_finish_says_who_never_played() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    store.begin(&performance("first")).unwrap();
    store.begin_fork(&performance("second"), "first", "writer").unwrap();

    let first = store.summary("first").unwrap();
    assert_eq!((first.forked_from, first.forked_player), (None, None), "a performance begun anew is no fork");
    let mut journal = store.journal("second").unwrap();
    let events = [
        event(1, EventKind::PlayerCarried { player: "planner".into(), from_performance: "first".into(), chorus: 1, output: "plan".into(), failed: false }),
        // A retried attempt and a failed chorus are paid for: 100 + 20 tokens at $0.01, 50 + 5 at $0.02.
        event(2, EventKind::PlayerRetrying { player: "writer".into(), attempt: 2, delay_ms: 500, reason: "dropped".into(), usage: usage(100, 20), cost_usd: 0.01 }),
        event(3, EventKind::PlayerFailed { player: "writer".into(), chorus: 1, error: "boom".into(), partial_output: String::new(), usage: usage(50, 5), cost_usd: 0.02, elapsed_ms: 9 }),
        event(
            4,
            EventKind::PerformanceFinished {
                outcome: Outcome::Succeeded,
                reason: None,
                usage: usage(150, 25),
                cost_usd: 0.03,
                elapsed_ms: 20,
                players: 4,
                never_cued: 2,
                carried: 1,
            },
        ),
    ];
    journal.append_batch(&events).unwrap();

    let second = store.summary("second").unwrap();
    assert_eq!(second.forked_from.as_deref(), Some("first"));
    assert_eq!(second.forked_player.as_deref(), Some("writer"));
    assert_eq!(second.tokens, 175, "120 tokens of the retried attempt and 55 of the failed chorus");
    assert!((second.cost_usd - 0.03).abs() < 1e-12, "$0.01 + $0.02, got {}", second.cost_usd);
    assert_eq!((second.players, second.never_cued, second.carried), (Some(4), Some(2), Some(1)));
    assert_eq!(second.outcome.as_deref(), Some("succeeded"), "the outcome column keeps the conductor's word");
    assert_eq!(
        second.outcome_summary.as_deref(),
        Some("finished, 2 of 4 players never cued, 1 carried over"),
        "a success with players never cued is not shown as a bare success"
    );
    assert_eq!(first.outcome_summary, None, "nothing to say before the finish");
    let listed = store.list().unwrap();
    assert_eq!(listed.iter().find(|s| s.id == "second").and_then(|s| s.forked_from.clone()).as_deref(), Some("first"));
}
