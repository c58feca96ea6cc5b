//! Listening across sections: do the sections hear from each other, and do they use it?
//!
//! E-I index (Krackhardt and Stern, 1988) = (E - I) / (E + I), with E the cues between players of
//! different sections and I the cues within one section (a player outside every section belongs
//! to one group, "outside sections"). It runs from -1 (every cue stays inside its section) to +1
//! (every cue crosses). Computed over the score's cues and over the cues that fired in the
//! performances; flagged as a silo below -0.3. With fewer than two groups there is nothing to
//! listen across, and the index has no value.
//!
//! Uptake = cross-section hand-offs whose content the receiver used / cross-section hand-offs
//! the receiver finished a chorus on. "Used": at least 20% of the hand-off's own key terms (its
//! [`crate::terms`], less those of the intent and shared notes, which everyone has anyway) occur
//! in the receiver's output. Flagged below 0.5. Only outputs a real instrument wrote count: a
//! rehearsal stand-in's output echoes what it was handed by construction.

use std::collections::{BTreeMap, BTreeSet};

use crate::ensemble::Ensemble;
use crate::report::{Advice, CueRef, Dimension, EventRef, Evidence, Item, Metric, Target, Threshold, Unit};
use crate::terms::{coverage, key_terms};
use crate::timeline::Timeline;

pub const SILO_THRESHOLD: f64 = -0.3;
pub const UPTAKE_THRESHOLD: f64 = 0.5;
/// Share of a hand-off's own key terms the receiver's output must contain to count as used.
pub const USED_OVERLAP: f64 = 0.2;

/// Two player ids.
type Pair<'a> = (&'a str, &'a str);

/// (E - I) / (E + I); `None` when there are no ties at all.
pub fn ei_index(external: usize, internal: usize) -> Option<f64> {
    let total = external + internal;
    (total > 0).then(|| (external as f64 - internal as f64) / total as f64)
}

pub fn listening(ensemble: &Ensemble, timelines: &[Timeline], shared_terms: &BTreeSet<String>) -> Dimension {
    let groups = ensemble.groups();
    let applicable = groups.len() >= 2;

    // Over the score's cues.
    let (mut e, mut i) = (0, 0);
    let mut crossing = Vec::new();
    for &(f, t) in &ensemble.cues {
        if ensemble.group[f] != ensemble.group[t] {
            e += 1;
            crossing.push(CueRef::new(ensemble.id(f), ensemble.id(t)));
        } else {
            i += 1;
        }
    }
    let over_cues = Metric::new(
        "listening.ei_cues",
        "E-I index over cues",
        Unit::Index,
        Threshold::below(SILO_THRESHOLD),
        "(E - I) / (E + I) over the score's cues; E = cues between sections, I = cues within a section",
    )
    .with_value(if applicable { ei_index(e, i) } else { None })
    .with_evidence(
        Evidence {
            summary: if applicable { format!("E = {e} cues across sections, I = {i} within") } else { format!("{} section(s): nothing to listen across", groups.len()) },
            items: group_items(ensemble, &groups),
            ..Evidence::default()
        }
        .with_cues(crossing),
    )
    .with_advice(silo_advice(ensemble, &groups));

    // Over the cues that fired.
    let (mut fe, mut fi) = (0, 0);
    let mut fired_events = Vec::new();
    for t in timelines {
        for d in t.decisions.iter().filter(|d| d.fired) {
            let (Some(gf), Some(gt)) = (ensemble.group_of(d.from), ensemble.group_of(d.to)) else { continue };
            if gf != gt {
                fe += 1;
                fired_events.push(EventRef::new(t.id, d.seq));
            } else {
                fi += 1;
            }
        }
    }
    let fired = Metric::new(
        "listening.ei_fired",
        "E-I index over hand-offs played",
        Unit::Index,
        Threshold::below(SILO_THRESHOLD),
        "(E - I) / (E + I) over the cues that fired in the performances; E = between sections, I = within",
    )
    .with_value(if applicable { ei_index(fe, fi) } else { None })
    .with_evidence(Evidence { summary: format!("E = {fe} cross-section firings, I = {fi} within, over {} performance(s)", timelines.len()), ..Evidence::default() }.with_events(fired_events))
    .with_advice({
        let mut advice = silo_advice(ensemble, &groups);
        advice.extend(silent_cues(ensemble, timelines));
        advice
    });

    let uptake = uptake(ensemble, timelines, shared_terms, applicable);
    Dimension { id: "listening".into(), title: "Listening across sections".into(), metrics: vec![over_cues, fired, uptake] }
}

/// Cross-section cues of the score that never fired in any performance (at most three).
fn silent_cues(ensemble: &Ensemble, timelines: &[Timeline]) -> Vec<Advice> {
    let fired: BTreeSet<(&str, &str)> = timelines.iter().flat_map(|t| t.decisions.iter().filter(|d| d.fired).map(|d| (d.from, d.to))).collect();
    let mut silent: Vec<(&str, &str)> = ensemble
        .cues
        .iter()
        .filter(|&&(f, t)| ensemble.group[f] != ensemble.group[t])
        .map(|&(f, t)| (ensemble.id(f), ensemble.id(t)))
        .filter(|pair| !fired.contains(pair))
        .collect();
    silent.sort();
    silent.dedup();
    silent
        .into_iter()
        .take(3)
        .map(|(f, t)| {
            Advice::new(
                format!("silent.{f}.{t}"),
                format!("the cue {} -> {} crosses sections but never fired: check its condition", ensemble.name_of(f), ensemble.name_of(t)),
                Target::Cue { from: f.to_string(), to: t.to_string() },
            )
        })
        .collect()
}

fn group_items(ensemble: &Ensemble, groups: &[&str]) -> Vec<Item> {
    groups
        .iter()
        .map(|g| {
            let members = ensemble.group.iter().filter(|x| *x == g).count();
            Item { id: ensemble.group_name(g), value: members as f64, note: "players".into() }
        })
        .collect()
}

/// For each section that hears from no other section (or hands on to none), one cue to add.
fn silo_advice(ensemble: &Ensemble, groups: &[&str]) -> Vec<Advice> {
    if groups.len() < 2 {
        return Vec::new();
    }
    let mut hears: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tells: BTreeMap<&str, usize> = BTreeMap::new();
    for &(f, t) in &ensemble.cues {
        if ensemble.group[f] != ensemble.group[t] {
            *hears.entry(ensemble.group[t]).or_default() += 1;
            *tells.entry(ensemble.group[f]).or_default() += 1;
        }
    }
    let size = |g: &str| ensemble.group.iter().filter(|x| **x == g).count();
    // The player of a group with the most outgoing cues, and the one with the fewest incoming.
    let hub = |g: &str| (0..ensemble.len()).filter(|&p| ensemble.group[p] == g).max_by_key(|&p| (ensemble.out[p].len(), std::cmp::Reverse(p)));
    let entry = |g: &str| (0..ensemble.len()).filter(|&p| ensemble.group[p] == g).min_by_key(|&p| (ensemble.inc[p].len(), p));
    let biggest_other = |g: &str| groups.iter().copied().filter(|o| *o != g).max_by_key(|o| (size(o), std::cmp::Reverse(*o)));
    let mut advice = Vec::new();
    for &b in groups {
        if hears.get(b).copied().unwrap_or(0) > 0 {
            continue;
        }
        let Some(a) = biggest_other(b) else { continue };
        let (Some(from), Some(to)) = (hub(a), entry(b)) else { continue };
        advice.push(Advice::new(
            format!("listen.{a}.{b}"),
            format!(
                "{} never hears from {}: add a cue from {} to {}",
                ensemble.group_name(b),
                ensemble.group_name(a),
                ensemble.name(from),
                ensemble.name(to)
            ),
            Target::Sections { from: a.to_string(), to: b.to_string() },
        ));
    }
    for &a in groups {
        if tells.get(a).copied().unwrap_or(0) > 0 {
            continue;
        }
        let Some(b) = biggest_other(a) else { continue };
        if advice.iter().any(|x: &Advice| x.id == format!("listen.{a}.{b}")) {
            continue;
        }
        let (Some(from), Some(to)) = (hub(a), entry(b)) else { continue };
        advice.push(Advice::new(
            format!("listen.{a}.{b}"),
            format!(
                "{} never hands on to another section: add a cue from {} to {} in {}",
                ensemble.group_name(a),
                ensemble.name(from),
                ensemble.name(to),
                ensemble.group_name(b)
            ),
            Target::Sections { from: a.to_string(), to: b.to_string() },
        ));
    }
    if advice.is_empty() {
        // Every section hears from another, yet most cues stay inside: open up the most inward one.
        let mut inward: BTreeMap<&str, usize> = BTreeMap::new();
        for &(f, t) in &ensemble.cues {
            if ensemble.group[f] == ensemble.group[t] {
                *inward.entry(ensemble.group[f]).or_default() += 1;
            }
        }
        if let Some((&a, &n)) = inward.iter().max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
            && let Some(b) = biggest_other(a)
            && let (Some(from), Some(to)) = (hub(a), entry(b))
        {
            advice.push(Advice::new(
                format!("listen.{a}.{b}"),
                format!(
                    "{} keeps {n} cues to itself: add a cue from {} to {} in {}",
                    ensemble.group_name(a),
                    ensemble.name(from),
                    ensemble.name(to),
                    ensemble.group_name(b)
                ),
                Target::Sections { from: a.to_string(), to: b.to_string() },
            ));
        }
    }
    advice
}

fn uptake(ensemble: &Ensemble, timelines: &[Timeline], shared_terms: &BTreeSet<String>, applicable: bool) -> Metric {
    let mut measured = 0;
    let mut used = 0;
    let mut unused_events = Vec::new();
    // (receiver, sender) -> (unused, measured).
    let mut unused: BTreeMap<Pair, (usize, usize)> = BTreeMap::new();
    for t in timelines {
        for (span, end) in t.written() {
            let Some(to_group) = ensemble.group_of(span.player) else { continue };
            let mut output_terms = None;
            for h in span.handoffs {
                let Some(from_group) = ensemble.group_of(&h.from) else { continue };
                if from_group == to_group {
                    continue;
                }
                let own: BTreeSet<String> = key_terms(&h.output).difference(shared_terms).cloned().collect();
                let found = output_terms.get_or_insert_with(|| key_terms(end.output));
                let Some(share) = coverage(&own, found) else { continue };
                measured += 1;
                let entry = unused.entry((span.player, h.from.as_str())).or_default();
                entry.1 += 1;
                if share >= USED_OVERLAP {
                    used += 1;
                } else {
                    entry.0 += 1;
                    unused_events.push(EventRef::new(t.id, span.cued_seq));
                }
            }
        }
    }
    let mut missed: Vec<(&Pair, &(usize, usize))> = unused.iter().filter(|(_, (u, _))| *u > 0).collect();
    missed.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    let advice = missed
        .iter()
        .take(5)
        .map(|((to, from), (u, n))| {
            Advice::new(
                format!("uptake.{from}.{to}"),
                format!(
                    "{} did not use what {} handed on ({u} of {n} times): say in {}'s part what to take from {}'s output",
                    ensemble.name_of(to),
                    ensemble.name_of(from),
                    ensemble.name_of(to),
                    ensemble.name_of(from)
                ),
                Target::Part { player: to.to_string() },
            )
        })
        .collect();
    Metric::new(
        "listening.uptake",
        "Uptake of cross-section hand-offs",
        Unit::Share,
        Threshold::below(UPTAKE_THRESHOLD),
        "cross-section hand-offs whose own key terms (less the intent's and notes') reach 20% coverage in the receiver's output / cross-section hand-offs the receiver finished on",
    )
    .with_value(if applicable { crate::stats::ratio(used, measured) } else { None })
    .with_evidence(
        Evidence {
            summary: format!("{used} of {measured} cross-section hand-offs used; events are the cues of unused ones"),
            items: missed.iter().map(|((to, from), (u, n))| Item { id: format!("{from} -> {to}"), value: *u as f64 / *n as f64, note: format!("{u} of {n} unused") }).collect(),
            ..Evidence::default()
        }
        .with_cues(missed.iter().map(|((to, from), _)| CueRef::new(from, to)).collect())
        .with_events(unused_events),
    )
    .with_advice(advice)
}
