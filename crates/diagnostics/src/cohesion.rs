//! Cohesion under pressure: when a player fails (after its retries), does the ensemble still
//! finish, how fast does it make progress again, and does another player cover?
//!
//! - recovery = performances with a failure that still succeeded / performances with a failure;
//!   flagged below 0.5;
//! - time to recover = from a failure to the next chorus any player finished, averaged over the
//!   failures that were followed by one; flagged above 60 s;
//! - backup = failures after which a `failure` cue from the failed player fired and its receiver
//!   finished / failures; flagged below 0.5.

use std::collections::BTreeMap;

use ensemble_score::{When, Zone};

use crate::ensemble::Ensemble;
use crate::report::{Advice, Dimension, EventRef, Evidence, Item, Metric, Target, Threshold, Unit};
use crate::stats::{mean, ratio};
use crate::timeline::Timeline;

pub const RECOVERY_THRESHOLD: f64 = 0.5;
pub const RECOVER_MS_THRESHOLD: f64 = 60_000.0;
pub const BACKUP_THRESHOLD: f64 = 0.5;

pub fn cohesion(ensemble: &Ensemble, timelines: &[Timeline]) -> Dimension {
    let mut with_failure = 0;
    let mut finished = 0;
    let mut unfinished_events = Vec::new();
    let mut recover_ms = Vec::new();
    let mut failures = 0;
    let mut covered = 0;
    let mut uncovered: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failure_events = Vec::new();
    let mut failed_players: BTreeMap<&str, usize> = BTreeMap::new();
    for t in timelines {
        let mut any = false;
        for (s, span) in t.failures() {
            any = true;
            failures += 1;
            *failed_players.entry(span.player).or_default() += 1;
            let Some(end) = span.end.as_ref() else { continue };
            failure_events.push(EventRef::new(t.id, end.seq));
            if let Some(next) = t.choruses.iter().filter_map(|x| x.end.as_ref()).filter(|e| e.ok && e.seq > end.seq).map(|e| e.at).min() {
                recover_ms.push(next.saturating_sub(end.at) as f64);
            }
            let is_failure_cue = |from: &str, to: &str| ensemble.score.cues.iter().any(|c| c.from == from && c.to == to && c.when == When::Failure);
            let backed = t.decisions.iter().any(|d| {
                d.fired
                    && d.judged == Some(s)
                    && d.to != span.player
                    && is_failure_cue(d.from, d.to)
                    && d.started.and_then(|r| t.choruses[r].end.as_ref()).is_some_and(|e| e.ok)
            });
            if backed {
                covered += 1;
            } else {
                *uncovered.entry(span.player).or_default() += 1;
            }
        }
        if any {
            with_failure += 1;
            if t.succeeded() {
                finished += 1;
            } else if let Some(f) = t.finish {
                unfinished_events.push(EventRef::new(t.id, f.seq));
            } else {
                unfinished_events.push(EventRef::new(t.id, 0));
            }
        }
    }

    // The player that fails most (ties by id), for advice that names where to start.
    let most_failing = failed_players.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(p, n)| (*p, *n));
    let recovery = Metric::new(
        "cohesion.recovery",
        "Recovery after a failure",
        Unit::Share,
        Threshold::below(RECOVERY_THRESHOLD),
        "performances in which a player failed that still succeeded / performances in which a player failed",
    )
    .with_value(ratio(finished, with_failure))
    .with_evidence(
        Evidence { summary: format!("{finished} of {with_failure} performances with a failure still succeeded (events: the ends of the others; seq 0 = never finished)"), ..Evidence::default() }
            .with_events(unfinished_events),
    )
    .with_advice(
        most_failing
            .map(|(p, n)| {
                vec![Advice::new(
                    format!("recovery.{p}"),
                    format!(
                        "a failure usually ends the performance; {} failed most ({n} times): give it retries, or a failure cue to a player who can take over",
                        ensemble.name_of(p)
                    ),
                    Target::Player { player: p.to_string() },
                )]
            })
            .unwrap_or_default(),
    );

    let time = Metric::new(
        "cohesion.time_to_recover",
        "Time to recover",
        Unit::Milliseconds,
        Threshold::above(RECOVER_MS_THRESHOLD),
        "time from a player's failure to the next chorus any player finished, averaged over failures followed by one",
    )
    .with_value(mean(&recover_ms))
    .with_evidence(Evidence { summary: format!("{} of {failures} failures were followed by a finished chorus", recover_ms.len()), ..Evidence::default() }.with_events(failure_events.clone()))
    .with_advice(
        most_failing
            .map(|(p, _)| {
                vec![Advice::new(
                    format!("recover_time.{p}"),
                    format!(
                        "after a failure the ensemble is slow to make progress again: give {} a timeout and a failure cue to a quick player, so the next step starts at once",
                        ensemble.name_of(p)
                    ),
                    Target::Player { player: p.to_string() },
                )]
            })
            .unwrap_or_default(),
    );

    let advice: Vec<Advice> = uncovered.keys().filter_map(|p| cover_advice(ensemble, p)).collect();
    let backup = Metric::new(
        "cohesion.backup",
        "Backup by another player",
        Unit::Share,
        Threshold::below(BACKUP_THRESHOLD),
        "failures after which a failure cue from the failed player fired and its receiver finished / failures",
    )
    .with_value(ratio(covered, failures))
    .with_evidence(
        Evidence {
            summary: format!("{covered} of {failures} failures were covered by another player"),
            items: uncovered.iter().map(|(p, n)| Item { id: p.to_string(), value: *n as f64, note: "failures nobody covered".into() }).collect(),
            ..Evidence::default()
        }
        .with_players(uncovered.keys().map(|p| p.to_string()).collect())
        .with_events(failure_events),
    )
    .with_advice(advice);

    Dimension { id: "cohesion".into(), title: "Cohesion under pressure".into(), metrics: vec![recovery, time, backup] }
}

/// A failure cue to add from `failed`: to the nearest player of the same zone, else the nearest
/// Improver, else the nearest other player, leaving out those it already has a failure cue to.
fn cover_advice(ensemble: &Ensemble, failed: &str) -> Option<Advice> {
    let p = ensemble.position(failed)?;
    let dist = ensemble.distances(p);
    let zone = ensemble.declared(p);
    // A player that already has a failure cue from `failed` did not save it: look further.
    let covered_by: std::collections::BTreeSet<&str> =
        ensemble.score.cues.iter().filter(|c| c.from == failed && c.when == When::Failure).map(|c| c.to.as_str()).collect();
    let has_cue = |q: usize| covered_by.contains(ensemble.id(q));
    let nearest = |want: &dyn Fn(usize) -> bool| (0..ensemble.len()).filter(|&q| q != p && !has_cue(q) && want(q)).min_by_key(|&q| (dist[q], q));
    let backup = nearest(&|q| zone.is_some() && ensemble.declared(q) == zone)
        .or_else(|| nearest(&|q| ensemble.declared(q) == Some(Zone::Improver)))
        .or_else(|| nearest(&|_| true));
    Some(match backup {
        Some(q) => Advice::new(
            format!("cover.{failed}"),
            format!("nobody covers for {} when it fails: add a failure cue from {} to {}", ensemble.name(p), ensemble.name(p), ensemble.name(q)),
            Target::Cue { from: failed.to_string(), to: ensemble.id(q).to_string() },
        ),
        None => Advice::new(
            format!("cover.{failed}"),
            format!("{} plays alone: add a player who can take over when it fails", ensemble.name(p)),
            Target::Zones,
        ),
    })
}
