//! Scores built in code and a way to conduct them, shared by the conductor's tests.
#![allow(dead_code)]

use ensemble_conductor::{Conductor, Control, Event, EventKind, MemoryJournal, Options, Outcome};
use ensemble_score::{
    CommandSettings, Cue, HumanSettings, Instrument, Intent, Join, Player, Position,
    RehearsalSettings, Score, SharedContext, Tempo, When, Zone,
};
use tokio::sync::mpsc::UnboundedReceiver;

pub fn score(players: Vec<Player>, cues: Vec<Cue>) -> Score {
    Score {
        format: 1,
        title: "Test".into(),
        intent: Intent {
            goal: "Ship the kite".into(),
            ..Default::default()
        },
        context: SharedContext {
            notes: "Kites are red.".into(),
            ..Default::default()
        },
        tempo: Tempo::default(),
        sections: Vec::new(),
        players,
        cues,
    }
}

pub fn player(id: &str, instrument: Instrument) -> Player {
    Player {
        id: id.into(),
        name: id.to_uppercase(),
        section: None,
        zone: Some(Zone::Integrator),
        join: Join::All,
        timeout_secs: None,
        retries: None,
        position: Position::default(),
        part: format!("Play the part of {id}."),
        instrument,
        tools: Default::default(),
    }
}

pub fn rehearsal(latency_ms: u64) -> Instrument {
    Instrument::Rehearsal(RehearsalSettings {
        latency_ms,
        ..Default::default()
    })
}

pub fn verdicts(list: &[&str]) -> Instrument {
    Instrument::Rehearsal(RehearsalSettings {
        verdicts: list.iter().map(|v| v.to_string()).collect(),
        ..Default::default()
    })
}

pub fn failing() -> Instrument {
    Instrument::Rehearsal(RehearsalSettings {
        failure_rate: 1.0,
        ..Default::default()
    })
}

/// A command player running `script` with `sh -c`.
pub fn sh(script: &str) -> Instrument {
    Instrument::Command(CommandSettings {
        program: "sh".into(),
        args: vec!["-c".into(), script.into()],
        ..Default::default()
    })
}

pub fn human() -> Instrument {
    Instrument::Human(HumanSettings {
        who: Some("reviewer".into()),
    })
}

pub fn cue(from: &str, to: &str) -> Cue {
    Cue {
        from: from.into(),
        to: to.into(),
        when: When::Always,
        verdict: None,
        max_repeats: None,
        checkpoint: false,
    }
}

pub fn cue_when(from: &str, to: &str, when: When) -> Cue {
    Cue {
        when,
        ..cue(from, to)
    }
}

pub fn verdict_cue(from: &str, to: &str, pattern: &str) -> Cue {
    Cue {
        when: When::Verdict,
        verdict: Some(pattern.into()),
        ..cue(from, to)
    }
}

pub fn options() -> Options {
    Options {
        performance: None,
        base_dir: std::env::temp_dir(),
        seed: 1,
        offline: false,
        prior: Vec::new(),
    }
}

/// Conducts `score` to its end and returns the outcome with every event, as a subscriber saw them.
pub async fn conduct(score: Score, options: Options) -> (Outcome, Vec<Event>) {
    let mut conductor = Conductor::new(score, options, Box::new(MemoryJournal::default()));
    let mut events = conductor.subscribe();
    let outcome = conductor.run().await;
    (outcome, drain(&mut events))
}

/// A performance running in its own task, with its controls and its event stream.
pub struct Live {
    pub control: Control,
    pub events: UnboundedReceiver<Event>,
    pub seen: Vec<Event>,
    pub done: tokio::task::JoinHandle<Outcome>,
}

pub fn start(score: Score, options: Options) -> Live {
    start_conductor(Conductor::new(score, options, Box::new(MemoryJournal::default())))
}

/// Runs a conductor set up by the test (other limits, another journal) in its own task.
pub fn start_conductor(mut conductor: Conductor) -> Live {
    let events = conductor.subscribe();
    let control = conductor.control();
    let done = tokio::spawn(conductor.run());
    Live {
        control,
        events,
        seen: Vec::new(),
        done,
    }
}

impl Live {
    /// Reads events until one matches, and returns it.
    pub async fn until(&mut self, matches: impl Fn(&EventKind) -> bool) -> Event {
        loop {
            let event = self
                .events
                .recv()
                .await
                .expect("the performance ended before the expected event");
            self.seen.push(event.clone());
            if matches(&event.kind) {
                return event;
            }
        }
    }

    /// Waits for the end and returns the outcome with every event seen.
    pub async fn finish(mut self) -> (Outcome, Vec<Event>) {
        let outcome = self.done.await.expect("the conductor does not panic");
        self.seen.extend(drain(&mut self.events));
        (outcome, self.seen)
    }
}

pub fn drain(events: &mut UnboundedReceiver<Event>) -> Vec<Event> {
    let mut all = Vec::new();
    while let Ok(event) = events.try_recv() {
        all.push(event);
    }
    all
}

/// The seq of the first event matching.
pub fn seq_of(events: &[Event], matches: impl Fn(&EventKind) -> bool) -> u64 {
    events
        .iter()
        .find(|e| matches(&e.kind))
        .unwrap_or_else(|| panic!("no such event in {events:#?}"))
        .seq
}

pub fn cued(player: &str) -> impl Fn(&EventKind) -> bool + '_ {
    move |k| matches!(k, EventKind::PlayerCued { player: p, .. } if p == player)
}

pub fn finished(player: &str) -> impl Fn(&EventKind) -> bool + '_ {
    move |k| matches!(k, EventKind::PlayerFinished { player: p, .. } if p == player)
}

pub fn failed(player: &str) -> impl Fn(&EventKind) -> bool + '_ {
    move |k| matches!(k, EventKind::PlayerFailed { player: p, .. } if p == player)
}

pub fn skipped(player: &str) -> impl Fn(&EventKind) -> bool + '_ {
    move |k| matches!(k, EventKind::PlayerSkipped { player: p, .. } if p == player)
}

pub fn count(events: &[Event], matches: impl Fn(&EventKind) -> bool) -> usize {
    events.iter().filter(|e| matches(&e.kind)).count()
}

/// The output each time `player` finished.
pub fn outputs(events: &[Event], player: &str) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerFinished {
                player: p, output, ..
            } if p == player => Some(output.clone()),
            _ => None,
        })
        .collect()
}

/// What `player` was handed the `n`th time (from 0) it was cued.
pub fn handoffs(events: &[Event], player: &str, n: usize) -> Vec<(String, String)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerCued {
                player: p,
                handoffs,
                ..
            } if p == player => Some(
                handoffs
                    .iter()
                    .map(|h| (h.from.clone(), h.output.clone()))
                    .collect(),
            ),
            _ => None,
        })
        .nth(n)
        .unwrap_or_else(|| panic!("{player} was not cued {} times", n + 1))
}

pub fn finished_outcome(events: &[Event]) -> (Outcome, Option<String>) {
    match &events.last().expect("events were recorded").kind {
        EventKind::PerformanceFinished {
            outcome, reason, ..
        } => (*outcome, reason.clone()),
        other => panic!("the last event is {other:?}, not the finish"),
    }
}
