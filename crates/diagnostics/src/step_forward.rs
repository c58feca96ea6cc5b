//! Who should step forward: for a performance that stalled or did not succeed, the zone and the
//! player best placed to act next.
//!
//! The situation decides the zone:
//! - a loop ran out of repeats (the work never passed review): an Innovator, for a fresh approach;
//! - a player failed: an Improver, to find out what went wrong and fix it;
//! - stalled waiting on a person or a checkpoint, or cut off: an Integrator, to decide and re-route;
//! - stalled otherwise, or over budget: a Stabilizer, to get it running within its means.
//!
//! The player is the one of that zone nearest (in cue hops, either direction) to where the
//! performance stopped, ties by id; the player where it stopped is chosen only if nobody else
//! plays in that zone.

use ensemble_conductor::Outcome;
use ensemble_score::Zone;

use crate::alignment::zone_name;
use crate::ensemble::Ensemble;
use crate::report::{EventRef, StepForward};
use crate::timeline::Timeline;

pub fn step_forward(ensemble: &Ensemble, timelines: &[Timeline]) -> Vec<StepForward> {
    timelines.iter().filter(|t| !t.succeeded()).filter_map(|t| one(ensemble, t)).collect()
}

fn one(ensemble: &Ensemble, t: &Timeline) -> Option<StepForward> {
    let last_failure = t.failures().last().map(|(_, s)| (s.player, s.end.as_ref().map(|e| e.seq).unwrap_or(0)));
    let open = t.choruses.iter().rev().find(|s| s.end.is_none()).map(|s| (s.player, s.cued_seq));
    let last_played = t.choruses.iter().rev().find_map(|s| s.end.as_ref().map(|e| (s.player, e.seq)));
    let out_of_repeats = t.decisions.iter().rev().find(|d| !d.fired && d.reason.contains("repeat limit")).map(|d| (d.to, d.seq));
    let waiting = t.waits.last().map(|(p, seq)| (*p, *seq)).filter(|(p, _)| t.by_player.get(p).and_then(|s| s.last()).is_some_and(|&i| t.choruses[i].end.is_none()));

    let (situation, at, zone, why) = match t.finish.map(|f| f.outcome) {
        None if waiting.is_some() => ("stalled", waiting, Zone::Integrator, "it stopped while waiting for a person: someone has to decide and re-route"),
        None => ("stalled", open.or(last_played), Zone::Stabilizer, "it never finished: someone has to get it running again"),
        Some(Outcome::Failed) if out_of_repeats.is_some() => {
            ("failed", out_of_repeats, Zone::Innovator, "a review loop ran out of repeats: the work needs a fresh approach, not another pass")
        }
        Some(Outcome::Failed) => ("failed", last_failure.or(last_played), Zone::Improver, "a player failed: someone has to find out why and fix it"),
        Some(Outcome::BudgetExceeded) => ("budget_exceeded", last_played, Zone::Stabilizer, "it ran out of budget: someone has to make it fit its means"),
        Some(Outcome::CutOff) => ("cut_off", open.or(last_played), Zone::Integrator, "it was cut off: someone has to decide what happens next"),
        Some(Outcome::Succeeded) => return None,
    };
    let at_player = at.map(|(p, _)| p.to_string());
    let from = at.and_then(|(p, _)| ensemble.position(p));
    let in_zone: Vec<usize> = (0..ensemble.len()).filter(|&q| ensemble.declared(q) == Some(zone)).collect();
    let player = match from {
        Some(f) => {
            let dist = ensemble.distances(f);
            in_zone.iter().copied().filter(|&q| q != f).min_by_key(|&q| (dist[q], ensemble.id(q))).or(in_zone.iter().copied().find(|&q| q == f))
        }
        None => in_zone.iter().copied().min_by_key(|&q| ensemble.id(q)),
    };
    let why = match player {
        Some(q) => format!("{why}; {} is the nearest {} to where it stopped", ensemble.name(q), zone_name(zone)),
        None => format!("{why}; nobody plays {}: add a {} player", zone_name(zone), zone_name(zone)),
    };
    Some(StepForward {
        performance: t.id.to_string(),
        situation: situation.to_string(),
        at_player,
        zone,
        player: player.map(|q| ensemble.id(q).to_string()),
        why,
        evidence: at.map(|(_, seq)| vec![EventRef::new(t.id, seq)]).unwrap_or_default(),
    })
}
