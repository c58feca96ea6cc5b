//! The two scores the overhead benchmarks conduct: a chain and a fan-out of 1,000 zero-latency
//! rehearsal players. Shared by the conductor's in-memory benchmark and the store's benchmark
//! with every event in SQLite, so their figures are of the same performances.

use ensemble_score::{Cue, Instrument, Intent, Join, Player, Position, RehearsalSettings, Score, Tempo, When, Zone};

pub const PLAYERS: usize = 1_000;

fn player(i: usize) -> Player {
    Player {
        id: format!("p{i}"),
        name: format!("Player {i}"),
        section: None,
        zone: Some(Zone::Improver),
        join: Join::All,
        timeout_secs: None,
        retries: None,
        position: Position::default(),
        part: "Check the work handed to you.".into(),
        instrument: Instrument::Rehearsal(RehearsalSettings::default()),
        tools: Default::default(),
    }
}

fn cue(from: usize, to: usize) -> Cue {
    Cue { from: format!("p{from}"), to: format!("p{to}"), when: When::Always, verdict: None, max_repeats: None, checkpoint: false }
}

fn score(cues: Vec<Cue>) -> Score {
    Score {
        format: 1,
        title: "Overhead".into(),
        intent: Intent { goal: "Measure the conductor".into(), ..Default::default() },
        context: Default::default(),
        tempo: Tempo::default(),
        sections: Vec::new(),
        players: (0..PLAYERS).map(player).collect(),
        cues,
    }
}

/// The chain (every cue waits for the one before) and the fan-out (one player cues all others
/// at once), by name.
pub fn shapes() -> [(&'static str, Score); 2] {
    [("chain", score((1..PLAYERS).map(|i| cue(i - 1, i)).collect())), ("fan_out", score((1..PLAYERS).map(|i| cue(0, i)).collect()))]
}
