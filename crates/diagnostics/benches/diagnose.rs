//! Diagnosing a large ensemble: 500 players in 20 sections over 100 recorded performances
//! (about 300,000 events), the size a studio may hold for a long-running team.

use criterion::{Criterion, criterion_group, criterion_main};
use ensemble_conductor::{Event, EventKind, Handoff, Outcome};
use ensemble_diagnostics::{Input, Performance, diagnose};
use ensemble_instruments::Usage;
use ensemble_score::{Cue, Instrument, Intent, Join, Player, Position, RehearsalSettings, Score, Section, Size, SharedContext, Tempo, When, Zone};

const PLAYERS: usize = 500;
const SECTIONS: usize = 20;
const PERFORMANCES: usize = 100;

const PARTS: [&str; 4] = [
    "Explore the problem and propose three options with their trade-offs.",
    "Coordinate the sections and route each output to whoever needs it next.",
    "Review the work handed to you, verify every claim and end with a verdict.",
    "Build and ship the change, run the tests, and deploy it.",
];

/// Players in a chain through the sections, every fifth also cueing a player two sections on,
/// and every tenth reviewed by the next player with a verdict loop.
fn score() -> Score {
    let sections = (0..SECTIONS)
        .map(|s| Section { id: format!("s{s}"), name: format!("Section {s}"), zone: Zone::ALL[s % 4], position: Position::default(), size: Size::default() })
        .collect();
    let players = (0..PLAYERS)
        .map(|i| Player {
            id: format!("p{i:03}"),
            name: format!("Player {i}"),
            section: Some(format!("s{}", i * SECTIONS / PLAYERS)),
            zone: None,
            join: Join::Any,
            timeout_secs: None,
            retries: None,
            position: Position::default(),
            part: PARTS[i % 4].to_string(),
            instrument: Instrument::Rehearsal(RehearsalSettings::default()),
            tools: Default::default(),
        })
        .collect();
    let mut cues = Vec::new();
    let cue = |from: usize, to: usize, when: When, max_repeats: Option<u32>| Cue {
        from: format!("p{from:03}"),
        to: format!("p{to:03}"),
        when,
        verdict: (when == When::Verdict).then(|| "CHANGES".to_string()),
        max_repeats,
        checkpoint: false,
    };
    for i in 0..PLAYERS - 1 {
        cues.push(cue(i, i + 1, When::Always, None));
        if i % 5 == 0 && i + 50 < PLAYERS {
            cues.push(cue(i, i + 50, When::Success, None));
        }
        if i % 10 == 1 {
            cues.push(cue(i, i - 1, When::Verdict, Some(2)));
        }
    }
    Score {
        format: 1,
        title: "Large ensemble".into(),
        intent: Intent { goal: "Ship the quarterly report export".into(), done_when: "The export matches the report".into(), ..Intent::default() },
        context: SharedContext::default(),
        tempo: Tempo::default(),
        sections,
        players,
        cues,
    }
}

/// One performance down the chain, on real instruments (so the text measures read every
/// output): every player cued with its predecessor's output, tokens
/// streamed, finished (one in 97 fails), and its cue fired.
fn performance(n: usize) -> Performance {
    let mut events = Vec::new();
    let mut at = n as u64 * 1_000_000;
    let mut push = |at: u64, kind: EventKind| {
        let seq = events.len() as u64 + 1;
        events.push(Event { seq, at_ms: at, kind });
    };
    push(at, EventKind::PerformanceStarted { performance: format!("perf{n}"), title: "Large".into(), context_version: "v1".into(), players: vec![], offline: true, resumed: false, tempo: None });
    let mut previous = String::new();
    for i in 0..PLAYERS {
        let id = format!("p{i:03}");
        let handoffs = if i == 0 { vec![] } else { vec![Handoff { from: format!("p{:03}", i - 1), output: previous.clone() }] };
        push(at, EventKind::PlayerCued { player: id.clone(), chorus: 1, context_version: "v1".into(), instrument: "openai bench-model".into(), rehearsal: false, handoffs });
        let output = format!("Player {i} handled the quarterly report export step {i} and verified the totals.\nVERDICT: APPROVED");
        push(at + 5, EventKind::Token { player: id.clone(), text: output[..20].to_string() });
        at += 10 + (i as u64 * 7 + n as u64) % 13;
        if (i + n).is_multiple_of(97) {
            push(at, EventKind::PlayerFailed { player: id.clone(), chorus: 1, error: "boom".into(), partial_output: String::new(), usage: Usage::default(), cost_usd: 0.0, elapsed_ms: 10 });
        } else {
            push(at, EventKind::PlayerFinished { player: id.clone(), chorus: 1, output: output.clone(), usage: Usage::default(), cost_usd: 0.0, elapsed_ms: 10 });
        }
        if i + 1 < PLAYERS {
            push(at, EventKind::CueFired { from: id, to: format!("p{:03}", i + 1), count: 1 });
        }
        previous = output;
    }
    push(at, EventKind::PerformanceFinished { outcome: if n.is_multiple_of(10) { Outcome::Failed } else { Outcome::Succeeded }, reason: None, usage: Usage::default(), cost_usd: 0.0, elapsed_ms: at - n as u64 * 1_000_000, players: 0, never_cued: 0, carried: 0 });
    Performance { id: format!("perf{n:03}"), events }
}

fn bench(c: &mut Criterion) {
    let input = Input { performances: (0..PERFORMANCES).map(performance).collect(), ..Input::new(score()) };
    let events: usize = input.performances.iter().map(|p| p.events.len()).sum();
    eprintln!("{PLAYERS} players, {} cues, {PERFORMANCES} performances, {events} events", input.score.cues.len());
    if let Some(cpu) = cpu_per_call(&input, 5) {
        eprintln!("CPU time per diagnosis: {:.0} ms (this thread's time on a CPU, unaffected by other load)", cpu * 1000.0);
    }
    let mut group = c.benchmark_group("diagnose");
    group.sample_size(10);
    group.bench_function("500 players x 100 performances", |b| b.iter(|| diagnose(std::hint::black_box(&input))));
    group.finish();
}

/// Seconds this thread spent on a CPU per call, from the scheduler's own count (Linux only):
/// wall-clock figures swing when other builds share the machine, this does not.
fn cpu_per_call(input: &Input, calls: u32) -> Option<f64> {
    let on_cpu = || -> Option<u64> { std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok() };
    let before = on_cpu()?;
    for _ in 0..calls {
        std::hint::black_box(diagnose(std::hint::black_box(input)));
    }
    Some((on_cpu()? - before) as f64 / 1e9 / f64::from(calls))
}

criterion_group!(benches, bench);
criterion_main!(benches);
