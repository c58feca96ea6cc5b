//! Same song: does every player play from the same score?
//!
//! - same song = (performance, player) pairs in which every chorus the player was cued for
//!   carried the shared-context version current at the start of the performance / all
//!   (performance, player) pairs of cued players. A resumed performance whose shared context
//!   changed in between has players on another version. Flagged below 1: anyone off the shared
//!   version is noise.
//! - off key = players whose outputs drift from the intent. A player's intent coverage is the
//!   share of the intent's key terms (goal and done-when, see [`crate::terms`]) its finished
//!   outputs contain, averaged over its outputs. A player is off key when its coverage is below
//!   half the ensemble's median coverage. The value is the share of players that played who are
//!   off key; flagged above 0. Each is named with the opening of its least covering output.
//!   Only outputs a real instrument wrote count (a rehearsal stand-in writes no real output).

use std::collections::{BTreeMap, BTreeSet};

use crate::ensemble::Ensemble;
use crate::report::{Advice, Dimension, EventRef, Evidence, Item, Metric, Target, Threshold, Unit};
use crate::stats::{mean, median, ratio};
use crate::terms::{coverage_in, key_terms};
use crate::timeline::Timeline;

/// A player is off key below this fraction of the ensemble's median intent coverage.
pub const OFF_KEY_FRACTION: f64 = 0.5;
/// Characters of the output quoted as the passage.
const PASSAGE: usize = 160;

pub fn same_song(ensemble: &Ensemble, timelines: &[Timeline]) -> Dimension {
    let mut pairs = 0;
    let mut on = 0;
    let mut off_events = Vec::new();
    let mut off_items = Vec::new();
    let mut off_players = BTreeSet::new();
    for t in timelines {
        let Some(version) = t.context_version else { continue };
        for (player, spans) in &t.by_player {
            let cued: Vec<_> = spans.iter().map(|&s| &t.choruses[s]).filter(|s| s.chorus > 0).collect();
            if cued.is_empty() {
                continue;
            }
            pairs += 1;
            let other: Vec<_> = cued.iter().filter(|s| s.context_version != version).collect();
            if other.is_empty() {
                on += 1;
            } else {
                off_players.insert(player.to_string());
                off_events.extend(other.iter().map(|s| EventRef::new(t.id, s.cued_seq)));
                off_items.push(Item {
                    id: player.to_string(),
                    value: other.len() as f64,
                    note: format!("in {} played from {} instead of {version}", t.id, other[0].context_version),
                });
            }
        }
    }
    let names: Vec<&str> = off_players.iter().map(|p| ensemble.name_of(p)).collect();
    let same = Metric::new(
        "same_song.shared_version",
        "Same shared-context version",
        Unit::Share,
        Threshold::below(1.0),
        "(performance, player) pairs where every cue carried the shared-context version current at the start / pairs of cued players",
    )
    .with_value(ratio(on, pairs))
    .with_evidence(
        Evidence { summary: format!("{on} of {pairs} cued players played from the starting version"), items: off_items, ..Evidence::default() }
            .with_players(off_players.iter().cloned().collect())
            .with_events(off_events),
    )
    .with_advice(vec![Advice::new(
        "same_song.version",
        format!(
            "{} played from another shared-context version: after changing the shared context, perform again from the start instead of resuming",
            names.join(", ")
        ),
        Target::Context,
    )]);

    Dimension { id: "same_song".into(), title: "Same song".into(), metrics: vec![same, off_key(ensemble, timelines)] }
}

/// An output with its coverage: (coverage, performance, seq, output).
type Worst<'a> = (f64, &'a str, u64, &'a str);

fn off_key(ensemble: &Ensemble, timelines: &[Timeline]) -> Metric {
    let intent = &ensemble.score.intent;
    let wanted = key_terms(&format!("{}\n{}", intent.goal, intent.done_when));
    // Per player: coverages, and the least covering output.
    let mut per: BTreeMap<&str, (Vec<f64>, Option<Worst>)> = BTreeMap::new();
    for t in timelines {
        for (span, end) in t.written() {
            let Some(c) = coverage_in(&wanted, end.output) else { continue };
            let entry = per.entry(span.player).or_default();
            entry.0.push(c);
            if entry.1.is_none_or(|(worst, ..)| c < worst) {
                entry.1 = Some((c, t.id, end.seq, end.output));
            }
        }
    }
    let means: BTreeMap<&str, f64> = per.iter().filter_map(|(p, (v, _))| mean(v).map(|m| (*p, m))).collect();
    let values: Vec<f64> = means.values().copied().collect();
    let mid = median(&values);
    let off: Vec<&str> = means.iter().filter(|(_, m)| mid.is_some_and(|md| md > 0.0 && **m < OFF_KEY_FRACTION * md)).map(|(p, _)| *p).collect();
    let passage = |p: &str| per.get(p).and_then(|(_, w)| *w).map(|(_, perf, seq, out)| (perf, seq, excerpt(out)));
    let metric = Metric::new(
        "same_song.off_key",
        "Off key",
        Unit::Share,
        Threshold::above(0.0),
        "players whose mean share of the intent's key terms (goal, done-when) in their outputs is below half the ensemble's median / players that finished an output",
    )
    .with_value(if wanted.is_empty() { None } else { ratio(off.len(), means.len()) })
    .with_evidence(
        Evidence {
            summary: format!(
                "{} intent key terms; median coverage {}; {} of {} players off key",
                wanted.len(),
                mid.map(|m| format!("{m:.2}")).unwrap_or("-".into()),
                off.len(),
                means.len()
            ),
            items: means
                .iter()
                .map(|(p, m)| Item {
                    id: p.to_string(),
                    value: *m,
                    note: if off.contains(p) { passage(p).map(|(_, _, text)| format!("off key: \"{text}\"")).unwrap_or_default() } else { String::new() },
                })
                .collect(),
            ..Evidence::default()
        }
        .with_players(off.iter().map(|p| p.to_string()).collect())
        .with_events(off.iter().filter_map(|p| passage(p)).map(|(perf, seq, _)| EventRef::new(perf, seq)).collect()),
    );
    let advice = off
        .iter()
        .map(|p| {
            Advice::new(
                format!("off_key.{p}"),
                format!(
                    "{} drifts from the intent (covers {:.0}% of its key terms against a median of {:.0}%): put the goal and done-when into {}'s part",
                    ensemble.name_of(p),
                    means[p] * 100.0,
                    mid.unwrap_or(0.0) * 100.0,
                    ensemble.name_of(p)
                ),
                Target::Part { player: p.to_string() },
            )
        })
        .collect();
    metric.with_advice(advice)
}

/// The opening of a text on one line, at most [`PASSAGE`] characters.
fn excerpt(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(PASSAGE) {
        Some((at, _)) => format!("{}...", &flat[..at]),
        None => flat,
    }
}
