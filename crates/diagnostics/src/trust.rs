//! Trust vs tolerance: how often work passes its gate the first time, how much rework the
//! ensemble does, and whether what passes deserved to.
//!
//! A gate is a checkpoint (a cue a person approves) or a judge: a player with a `verdict` cue.
//! Per performance, a checkpoint's first resolution is its first pass; a judge's first pass is
//! the decisions on its first chorus: accepted when no loop cue from it fired and, if it has
//! forward (non-loop) verdict cues, one of them fired.
//!
//! - first-pass acceptance = gates accepted the first time / gates reached; flagged below 0.5;
//! - later success = accepted gates whose performance succeeded / accepted gates;
//! - calibration = 1 - |acceptance - later success|; flagged below 0.7 (trust that does not
//!   match how the work turns out, in either direction);
//! - rework per performance = loop cues fired + re-cues (choruses not started by any cue) +
//!   outputs edited by the person conducting, averaged; flagged above 2 (a re-cue is a chorus
//!   after the first that no cue started);
//! - review loop choruses = the choruses its target played, averaged over the performances it
//!   played in, per loop cue; the worst loop is reported, flagged above 2.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use ensemble_score::When;

use crate::ensemble::Ensemble;
use crate::report::{Advice, CueRef, Dimension, EventRef, Evidence, Item, Metric, Target, Threshold, Unit};
use crate::stats::{mean, ratio};
use crate::timeline::Timeline;

pub const ACCEPTANCE_THRESHOLD: f64 = 0.5;
pub const CALIBRATION_THRESHOLD: f64 = 0.7;
pub const REWORK_THRESHOLD: f64 = 2.0;
pub const LOOP_THRESHOLD: f64 = 2.0;

/// One gate reached in one performance.
struct Pass<'a> {
    /// A judge's player id, or a checkpoint's `from -> to`.
    gate: String,
    /// The checkpoint's cue, for a checkpoint.
    checkpoint: Option<(&'a str, &'a str)>,
    /// Whose work the gate judged.
    judged: Vec<&'a str>,
    accepted: bool,
    succeeded: bool,
    event: EventRef,
}

pub fn trust(ensemble: &Ensemble, timelines: &[Timeline]) -> Dimension {
    let score = ensemble.score;
    let loops: HashSet<(&str, &str)> = score.cues.iter().filter(|c| c.max_repeats.is_some()).map(|c| (c.from.as_str(), c.to.as_str())).collect();
    let mut judges: BTreeMap<&str, (Vec<&str>, Vec<&str>)> = BTreeMap::new(); // judge -> (forward verdict targets, loop targets)
    for c in &score.cues {
        if c.when == When::Verdict {
            judges.entry(c.from.as_str()).or_default();
        }
    }
    for c in &score.cues {
        if let Some((forward, back)) = judges.get_mut(c.from.as_str()) {
            if c.max_repeats.is_some() {
                back.push(c.to.as_str());
            } else if c.when == When::Verdict {
                forward.push(c.to.as_str());
            }
        }
    }

    let judge_set: HashSet<&str> = judges.keys().copied().collect();
    let mut passes: Vec<Pass> = Vec::new();
    for t in timelines {
        let succeeded = t.succeeded();
        let mut seen_checkpoints = BTreeSet::new();
        for c in &t.checkpoints {
            if seen_checkpoints.insert((c.from, c.to)) {
                passes.push(Pass {
                    gate: format!("{} -> {}", c.from, c.to),
                    checkpoint: Some((c.from, c.to)),
                    judged: vec![c.from],
                    accepted: c.approved,
                    succeeded,
                    event: EventRef::new(t.id, c.seq),
                });
            }
        }
        // Each judge's decisions, gathered in one pass over the performance's decisions.
        let mut by_judge: HashMap<&str, Vec<&ensemble_conductor::CueDecision>> = HashMap::new();
        for d in &t.decisions {
            if judge_set.contains(d.from) {
                by_judge.entry(d.from).or_default().push(d);
            }
        }
        for (judge, (forward, back)) in &judges {
            let Some(first) = t.by_player.get(judge).and_then(|spans| spans.iter().copied().find(|&s| t.choruses[s].end.is_some())) else { continue };
            let end = t.choruses[first].end.as_ref().map(|e| (e.ok, e.seq)).unwrap_or((false, 0));
            let decided: Vec<_> = by_judge.get(judge).into_iter().flatten().filter(|d| d.judged == Some(first)).collect();
            let sent_back = decided.iter().any(|d| d.fired && loops.contains(&(d.from, d.to)));
            let went_on = forward.is_empty() || decided.iter().any(|d| d.fired && forward.contains(&d.to));
            // The work judged: what the loop sends back to, else what the judge was handed.
            let mut judged: Vec<&str> = back.clone();
            if judged.is_empty() {
                judged = t.choruses[first].handoffs.iter().map(|h| h.from.as_str()).collect();
            }
            passes.push(Pass {
                gate: judge.to_string(),
                checkpoint: None,
                judged,
                accepted: end.0 && !sent_back && went_on,
                succeeded,
                event: EventRef::new(t.id, end.1),
            });
        }
    }

    let accepted: Vec<&Pass> = passes.iter().filter(|p| p.accepted).collect();
    let acceptance = ratio(accepted.len(), passes.len());
    let later = ratio(accepted.iter().filter(|p| p.succeeded).count(), accepted.len());
    let calibration = match (acceptance, later) {
        (Some(a), Some(l)) => Some(1.0 - (a - l).abs()),
        _ => None,
    };

    let gate_items = |filter: &dyn Fn(&Pass) -> bool| -> Vec<Item> {
        let mut per: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for p in &passes {
            let e = per.entry(p.gate.as_str()).or_default();
            e.1 += 1;
            if filter(p) {
                e.0 += 1;
            }
        }
        per.iter().map(|(g, (k, n))| Item { id: g.to_string(), value: *k as f64 / *n as f64, note: format!("{k} of {n}") }).collect()
    };

    let rejected_work: BTreeSet<&str> = passes.iter().filter(|p| !p.accepted).flat_map(|p| p.judged.iter().copied()).collect();
    let acceptance_metric = Metric::new(
        "trust.first_pass",
        "First-pass acceptance",
        Unit::Share,
        Threshold::below(ACCEPTANCE_THRESHOLD),
        "gates (checkpoints, verdict cues) that passed the work on the first time / gates reached, over all performances",
    )
    .with_value(acceptance)
    .with_evidence(
        Evidence {
            summary: format!("{} of {} gates passed the first time", accepted.len(), passes.len()),
            items: gate_items(&|p| p.accepted),
            ..Evidence::default()
        }
        .with_players(passes.iter().filter(|p| p.checkpoint.is_none()).map(|p| p.gate.clone()).collect())
        .with_cues(passes.iter().filter_map(|p| p.checkpoint).map(|(f, t)| CueRef::new(f, t)).collect())
        .with_events(passes.iter().filter(|p| !p.accepted).map(|p| p.event.clone()).collect()),
    )
    .with_advice(if rejected_work.is_empty() {
        // Nobody's work was named (a gate with nothing handed to it): advise the gates themselves.
        let strict: BTreeMap<&str, &Pass> = passes.iter().filter(|p| !p.accepted).map(|p| (p.gate.as_str(), p)).collect();
        strict
            .values()
            .map(|p| match p.checkpoint {
                Some((f, t)) => Advice::new(
                    format!("first_pass.{f}.{t}"),
                    format!("the checkpoint {} -> {} is rarely approved first time: say in {}'s part what it must hand on", ensemble.name_of(f), ensemble.name_of(t), ensemble.name_of(f)),
                    Target::Part { player: f.to_string() },
                ),
                None => Advice::new(
                    format!("first_pass.{}", p.gate),
                    format!("{} rarely passes work the first time: say in its part what is good enough", ensemble.name_of(&p.gate)),
                    Target::Part { player: p.gate.clone() },
                ),
            })
            .collect()
    } else {
        rejected_work
            .iter()
            .map(|w| {
                Advice::new(
                    format!("first_pass.{w}"),
                    format!("work from {} is often sent back: write into {}'s part what its reviewer checks", ensemble.name_of(w), ensemble.name_of(w)),
                    Target::Part { player: w.to_string() },
                )
            })
            .collect()
    });

    let over_trusting = matches!((acceptance, later), (Some(a), Some(l)) if a > l);
    let mut gates: BTreeMap<&str, Option<(&str, &str)>> = BTreeMap::new();
    for p in &passes {
        gates.insert(p.gate.as_str(), p.checkpoint);
    }
    let calibration_metric = Metric::new(
        "trust.calibration",
        "Calibration",
        Unit::Share,
        Threshold::below(CALIBRATION_THRESHOLD),
        "1 - |first-pass acceptance - share of accepted work whose performance succeeded|",
    )
    .with_value(calibration)
    .with_evidence(
        Evidence {
            summary: format!(
                "acceptance {}, later success of accepted work {}",
                acceptance.map(|a| format!("{:.2}", a)).unwrap_or("-".into()),
                later.map(|a| format!("{:.2}", a)).unwrap_or("-".into())
            ),
            items: gate_items(&|p| p.accepted && p.succeeded),
            ..Evidence::default()
        }
        .with_events(passes.iter().filter(|p| p.accepted && !p.succeeded).map(|p| p.event.clone()).collect()),
    )
    .with_advice(
        gates
            .iter()
            .map(|(g, checkpoint)| match checkpoint {
                Some((from, to)) => {
                    let text = if over_trusting {
                        format!(
                            "the checkpoint {} -> {} approves work that later fails: check it against the intent's done-when before approving",
                            ensemble.name_of(from),
                            ensemble.name_of(to)
                        )
                    } else {
                        format!(
                            "the checkpoint {} -> {} rejects work that would have succeeded: say in {}'s part what is good enough, or drop the checkpoint",
                            ensemble.name_of(from),
                            ensemble.name_of(to),
                            ensemble.name_of(from)
                        )
                    };
                    Advice::new(format!("calibration.{from}.{to}"), text, Target::Cue { from: from.to_string(), to: to.to_string() })
                }
                None => {
                    let text = if over_trusting {
                        format!("{} passes work that later fails: make its part check the intent's done-when before approving", ensemble.name_of(g))
                    } else {
                        format!("{} sends back work that would have succeeded: say in its part what is good enough", ensemble.name_of(g))
                    };
                    Advice::new(format!("calibration.{g}"), text, Target::Part { player: g.to_string() })
                }
            })
            .collect(),
    );

    let (rework_metric, loop_metric) = rework(ensemble, timelines, &loops);
    Dimension { id: "trust".into(), title: "Trust vs tolerance".into(), metrics: vec![acceptance_metric, calibration_metric, rework_metric, loop_metric] }
}

fn rework(ensemble: &Ensemble, timelines: &[Timeline], loops: &HashSet<(&str, &str)>) -> (Metric, Metric) {
    let mut per_performance = Vec::new();
    let mut events = Vec::new();
    let (mut loop_total, mut recue_total, mut edit_total) = (0, 0, 0);
    // Rework per player: loops that sent work back to it, re-cues of it, edits of its output.
    let mut per_player: BTreeMap<&str, usize> = BTreeMap::new();
    for t in timelines {
        let loop_fires: Vec<_> = t.decisions.iter().filter(|d| d.fired && loops.contains(&(d.from, d.to))).collect();
        // A re-cue: a chorus after the first that no fired cue started (the conductor's hand).
        let started: BTreeSet<usize> = t.decisions.iter().filter_map(|d| d.started).collect();
        let recued: Vec<&str> = t.choruses.iter().enumerate().filter(|(s, span)| span.chorus > 1 && !started.contains(s)).map(|(_, span)| span.player).collect();
        let recues = recued.len();
        for p in loop_fires.iter().map(|d| d.to).chain(recued).chain(t.edits.iter().map(|(p, _)| *p)) {
            *per_player.entry(p).or_default() += 1;
        }
        events.extend(loop_fires.iter().map(|d| EventRef::new(t.id, d.seq)));
        events.extend(t.edits.iter().map(|(_, seq)| EventRef::new(t.id, *seq)));
        loop_total += loop_fires.len();
        recue_total += recues;
        edit_total += t.edits.len();
        per_performance.push((loop_fires.len() + recues + t.edits.len()) as f64);
    }
    let edited: BTreeSet<&str> = timelines.iter().flat_map(|t| t.edits.iter().map(|(p, _)| *p)).collect();
    let rework_metric = Metric::new(
        "trust.rework",
        "Rework per performance",
        Unit::PerPerformance,
        Threshold::above(REWORK_THRESHOLD),
        "(loop cues fired + re-cues no cue started + outputs edited by the conductor) per performance, averaged",
    )
    .with_value(mean(&per_performance))
    .with_evidence(
        Evidence { summary: format!("{loop_total} loops taken, {recue_total} re-cues, {edit_total} edits over {} performance(s)", timelines.len()), ..Evidence::default() }
            .with_players(edited.iter().map(|p| p.to_string()).collect())
            .with_events(events),
    )
    .with_advice({
        let mut advice: Vec<Advice> = edited
            .iter()
            .map(|p| {
                Advice::new(
                    format!("edited.{p}"),
                    format!("the conductor edited {}'s output by hand: put what was changed into its part", ensemble.name_of(p)),
                    Target::Part { player: p.to_string() },
                )
            })
            .collect();
        if let Some((p, n)) = per_player.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
            advice.push(Advice::new(
                format!("rework.{p}"),
                format!("most rework falls on {} ({n} times sent back, re-cued or edited): say in its part what done looks like", ensemble.name_of(p)),
                Target::Part { player: p.to_string() },
            ));
        }
        advice
    });

    // Choruses per loop, averaged over the performances its target played in.
    let mut per_loop: Vec<(&str, &str, f64, usize)> = Vec::new();
    let mut ordered: Vec<&(&str, &str)> = loops.iter().collect();
    ordered.sort();
    for (from, to) in ordered {
        let choruses: Vec<f64> = timelines
            .iter()
            .filter_map(|t| t.by_player.get(to).map(|spans| spans.iter().map(|&s| t.choruses[s].chorus).max().unwrap_or(0) as f64))
            .collect();
        if let Some(m) = mean(&choruses) {
            per_loop.push((from, to, m, choruses.len()));
        }
    }
    let worst = per_loop.iter().max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(a.0)).then(b.1.cmp(a.1)));
    let mut loop_metric = Metric::new(
        "trust.loop_choruses",
        "Review loop choruses",
        Unit::Choruses,
        Threshold::above(LOOP_THRESHOLD),
        "for each loop cue, the choruses its target played per performance, averaged; the longest loop is the value",
    )
    .with_value(worst.map(|w| w.2))
    .with_evidence(
        Evidence {
            summary: match worst {
                Some((f, t, m, n)) => format!("the loop {f} -> {t} took {m:.1} choruses on average over {n} performance(s)"),
                None => "no loop cue has played".into(),
            },
            items: per_loop.iter().map(|(f, t, m, n)| Item { id: format!("{f} -> {t}"), value: *m, note: format!("{n} performance(s)") }).collect(),
            ..Evidence::default()
        }
        .with_cues(per_loop.iter().map(|(f, t, _, _)| CueRef::new(f, t)).collect()),
    );
    if let Some((from, to, m, _)) = worst {
        loop_metric = loop_metric.with_advice(vec![Advice::new(
            format!("loop.{from}.{to}"),
            format!(
                "the review loop {} -> {} took {m:.1} choruses on average: tighten {}'s part with what {} checks",
                ensemble.name_of(from),
                ensemble.name_of(to),
                ensemble.name_of(to),
                ensemble.name_of(from)
            ),
            Target::Part { player: to.to_string() },
        )]);
    }
    (rework_metric, loop_metric)
}
