//! Tempo: where the time of a performance goes.
//!
//! - critical path / wall time: the critical path is the longest chain of choruses where each
//!   was started by a hand-off from the one before, measured in playing time; divided by the
//!   performance's wall time and averaged over performances. Well below 1 means time went to
//!   waiting (people, checkpoints, step tempo) rather than playing; flagged below 0.5.
//! - idle share per player: 1 - its playing time / wall time, per performance it played in,
//!   averaged; shown per player, with no threshold (a pipeline keeps most players idle by design).
//! - hand-off latency p95: for each cue that fired, from the end of the chorus it judged to the
//!   cue of the chorus it started; the nearest-rank 95th percentile; flagged above 30 s.
//! - bottleneck: the player with the most playing time on the critical paths, as a share of all
//!   critical-path time; flagged above 0.5 when the ensemble has more than one player.

use std::collections::{BTreeMap, HashMap};

use crate::ensemble::Ensemble;
use crate::report::{Advice, Dimension, EventRef, Evidence, Item, Metric, Target, Threshold, Unit};
use crate::stats::{mean, percentile};
use crate::timeline::Timeline;

pub const CRITICAL_THRESHOLD: f64 = 0.5;
pub const LATENCY_P95_THRESHOLD: f64 = 30_000.0;
pub const BOTTLENECK_THRESHOLD: f64 = 0.5;

/// The critical path of one performance: its length and the choruses on it (positions in the record).
pub fn critical_path(t: &Timeline) -> (u64, Vec<usize>) {
    let n = t.choruses.len();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for d in t.decisions.iter().filter(|d| d.fired) {
        if let (Some(j), Some(s)) = (d.judged, d.started)
            && j < s
        {
            preds[s].push(j);
        }
    }
    let mut length = vec![0u64; n];
    let mut via: Vec<Option<usize>> = vec![None; n];
    for s in 0..n {
        let best = preds[s].iter().copied().max_by_key(|&p| (length[p], std::cmp::Reverse(p)));
        via[s] = best;
        length[s] = t.choruses[s].duration() + best.map(|p| length[p]).unwrap_or(0);
    }
    let Some(last) = (0..n).max_by_key(|&s| (length[s], std::cmp::Reverse(s))) else { return (0, Vec::new()) };
    let mut chain = vec![last];
    let mut at = last;
    while let Some(p) = via[at] {
        chain.push(p);
        at = p;
    }
    chain.reverse();
    (length[last], chain)
}

pub fn tempo(ensemble: &Ensemble, timelines: &[Timeline]) -> Dimension {
    let mut ratios = Vec::new();
    let mut ratio_items = Vec::new();
    // Accumulated by hash (one lookup per chorus), sorted by id before anything is listed.
    let mut on_path: HashMap<&str, u64> = HashMap::new();
    let mut path_total = 0u64;
    let mut idle: HashMap<&str, Vec<f64>> = HashMap::new();
    let mut latencies: Vec<(f64, EventRef, &str, &str)> = Vec::new();
    for t in timelines {
        let wall = t.wall_ms();
        let (length, chain) = critical_path(t);
        if wall > 0 {
            let r = (length as f64 / wall as f64).min(1.0);
            ratios.push(r);
            ratio_items.push(Item { id: t.id.to_string(), value: r, note: format!("critical path {length} ms of {wall} ms") });
            for (player, spans) in &t.by_player {
                let busy: u64 = spans.iter().map(|&s| t.choruses[s].duration()).sum();
                idle.entry(player).or_default().push((1.0 - busy as f64 / wall as f64).max(0.0));
            }
        }
        for s in chain {
            *on_path.entry(t.choruses[s].player).or_default() += t.choruses[s].duration();
            path_total += t.choruses[s].duration();
        }
        for d in t.decisions.iter().filter(|d| d.fired) {
            let (Some(j), Some(s)) = (d.judged, d.started) else { continue };
            let Some(end) = t.choruses[j].end.as_ref() else { continue };
            latencies.push((t.choruses[s].cued_at.saturating_sub(end.at) as f64, EventRef::new(t.id, d.seq), d.from, d.to));
        }
    }

    let critical = Metric::new(
        "tempo.critical_path",
        "Critical path / wall time",
        Unit::Share,
        Threshold::below(CRITICAL_THRESHOLD),
        "playing time along the longest chain of hand-offs / wall time of the performance, averaged over performances",
    )
    .with_value(mean(&ratios))
    .with_evidence(Evidence { summary: format!("{} performance(s) with a wall time", ratios.len()), items: ratio_items, ..Evidence::default() })
    .with_advice(vec![Advice::new(
        "tempo.waiting",
        "most of the wall time went to waiting, not playing: look at checkpoints, people and step tempo on the slowest hand-offs, and release what can run on its own",
        crate::report::Target::Tempo,
    )]);

    let idle: BTreeMap<&str, Vec<f64>> = idle.into_iter().collect();
    let on_path: BTreeMap<&str, u64> = on_path.into_iter().collect();
    let idle_items: Vec<Item> = idle
        .iter()
        .filter_map(|(p, v)| mean(v).map(|m| Item { id: p.to_string(), value: m, note: format!("{} performance(s)", v.len()) }))
        .collect();
    let idle_metric = Metric::new(
        "tempo.idle",
        "Idle share (mean over players)",
        Unit::Share,
        None,
        "per player: 1 - its playing time / wall time, averaged over the performances it played in; the value is the mean over players",
    )
    .with_value(mean(&idle_items.iter().map(|i| i.value).collect::<Vec<_>>()))
    .with_evidence(Evidence { summary: format!("{} player(s) played", idle_items.len()), items: idle_items, ..Evidence::default() });

    let values: Vec<f64> = latencies.iter().map(|l| l.0).collect();
    let p95 = percentile(&values, 95.0);
    let mut slow: Vec<&(f64, EventRef, &str, &str)> = latencies.iter().filter(|l| p95.is_some_and(|p| l.0 >= p)).collect();
    slow.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let slowest = slow.first().map(|l| (l.2, l.3));
    let latency = Metric::new(
        "tempo.handoff_p95",
        "Hand-off latency p95",
        Unit::Milliseconds,
        Threshold::above(LATENCY_P95_THRESHOLD),
        "for each cue that fired: the time from the end of the chorus it judged to the cue of the chorus it started; nearest-rank 95th percentile",
    )
    .with_value(p95)
    .with_evidence(
        Evidence {
            summary: format!("{} hand-offs timed; events are those at or above the p95", latencies.len()),
            items: slow.iter().take(10).map(|l| Item { id: format!("{} -> {}", l.2, l.3), value: l.0, note: format!("{} #{}", l.1.performance, l.1.seq) }).collect(),
            ..Evidence::default()
        }
        .with_events(slow.iter().map(|l| l.1.clone()).collect()),
    )
    .with_advice(
        slowest
            .map(|(from, to)| {
                vec![Advice::new(
                    format!("latency.{from}.{to}"),
                    format!(
                        "the hand-off {} -> {} waits longest: if a checkpoint or a person holds it, decide whether it needs to",
                        ensemble.name_of(from),
                        ensemble.name_of(to)
                    ),
                    Target::Cue { from: from.to_string(), to: to.to_string() },
                )]
            })
            .unwrap_or_default(),
    );

    let top = on_path.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
    let share = top.and_then(|(_, ms)| (path_total > 0).then(|| *ms as f64 / path_total as f64));
    let mut bottleneck = Metric::new(
        "tempo.bottleneck",
        "Bottleneck share of the critical path",
        Unit::Share,
        if ensemble.len() > 1 { Threshold::above(BOTTLENECK_THRESHOLD) } else { None },
        "the playing time of the player with most time on the critical paths / all critical-path time",
    )
    .with_value(share)
    .with_evidence(
        Evidence {
            summary: match top {
                Some((p, ms)) => format!("{} holds {ms} ms of {path_total} ms on the critical paths", p),
                None => "no critical path yet".into(),
            },
            items: on_path.iter().map(|(p, ms)| Item { id: p.to_string(), value: *ms as f64, note: "ms on the critical path".into() }).collect(),
            ..Evidence::default()
        }
        .with_players(top.map(|(p, _)| vec![p.to_string()]).unwrap_or_default()),
    );
    if let (Some((p, _)), Some(s)) = (top, share) {
        bottleneck = bottleneck.with_advice(vec![Advice::new(
            format!("bottleneck.{p}"),
            format!("{} holds {:.0}% of the critical path: split its part or give it a faster instrument", ensemble.name_of(p), s * 100.0),
            Target::Player { player: p.to_string() },
        )]);
    }

    Dimension { id: "tempo".into(), title: "Tempo".into(), metrics: vec![critical, idle_metric, latency, bottleneck] }
}
