//! Alignment: which zone each player actually plays in, from its configuration and, once it has
//! performed, from what it did.
//!
//! Configuration signals, each a set of zone scores with a weight (the weights of the signals a
//! player has are scaled to sum to 1):
//!
//! | signal | weight | scores |
//! |---|---|---|
//! | declared | 0.40 | all on the declared zone (the player's own, else its section's) |
//! | wording | 0.30 | the [`crate::lexicon`] matches in its part, as shares (the players' own ids and names left out) |
//! | verdicts | 0.15 | all Improver, when it has a `verdict` cue: it judges others' work |
//! | cue graph | 0.20 x s | all Integrator, s = max(betweenness / highest betweenness, other sections it hands on to or hears from / 2, capped at 1) |
//! | temperature | 0.10 | temperature >= 0.9: Innovator; <= 0.3: half Improver, half Stabilizer |
//! | instrument | 0.10 | a command-line program: Stabilizer (it runs and builds, repeatably) |
//! | survey | 0.50 | a person's questionnaire profile, when the player is that person |
//!
//! Observed behaviour, once a player has finished n outputs, is blended in with weight
//! min(0.6, n / (n + 4)), so from six outputs on behaviour outweighs configuration: a share v
//! of its outputs that are verdicts on work handed to it (the last line says APPROVED,
//! CHANGES REQUESTED, LGTM, PASS, FAIL, ...) scores Improver, and the rest is spread by the
//! lexicon over its outputs' wording. The inferred zone is the highest
//! score; a declared zone that differs is a mismatch.

use std::collections::{BTreeMap, BTreeSet};

use ensemble_score::{Instrument, Zone};

use crate::ensemble::Ensemble;
use crate::lexicon::wording;
use crate::report::{Advice, Alignment, Evidence, Item, Metric, PersonAlignment, PlayerAlignment, Signal, Target, Threshold, Unit, ZoneScores};
use crate::survey::ZoneProfile;
use crate::timeline::Timeline;

const W_DECLARED: f64 = 0.40;
const W_WORDING: f64 = 0.30;
const W_VERDICTS: f64 = 0.15;
const W_GRAPH: f64 = 0.20;
const W_TEMPERATURE: f64 = 0.10;
const W_INSTRUMENT: f64 = 0.10;
const W_SURVEY: f64 = 0.50;
/// The most observed behaviour can weigh against configuration.
const MAX_OBSERVED: f64 = 0.6;

/// Words that make an output's last line a verdict.
const VERDICT_WORDS: &[&str] =
    &["APPROVED", "APPROVE", "LGTM", "CHANGES REQUESTED", "REQUEST CHANGES", "REJECTED", "REJECT", "PASS", "PASSED", "FAIL", "FAILED", "ACCEPTED", "VERDICT"];

/// Whether an output ends with a verdict line.
pub fn is_verdict(output: &str) -> bool {
    let Some(last) = output.lines().map(str::trim).rev().find(|l| !l.is_empty()) else { return false };
    let upper = last.to_uppercase();
    let words: Vec<&str> = upper.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let joined = words.join(" ");
    VERDICT_WORDS.iter().any(|v| {
        if v.contains(' ') { joined.contains(v) } else { words.contains(v) }
    })
}

/// The person (by the name they answered under) each player is played by.
pub fn people_of(ensemble: &Ensemble, people: &BTreeMap<String, ZoneProfile>) -> BTreeMap<usize, String> {
    let mut plays = BTreeMap::new();
    for (p, player) in ensemble.players.iter().enumerate() {
        let Instrument::Human(h) = &player.instrument else { continue };
        let wanted = [h.who.as_deref().unwrap_or("").trim().to_lowercase(), player.id.trim().to_lowercase()];
        if let Some(name) = people.keys().find(|name| {
            let n = name.trim().to_lowercase();
            !n.is_empty() && wanted.contains(&n)
        }) {
            plays.insert(p, name.clone());
        }
    }
    plays
}

pub fn align(ensemble: &Ensemble, timelines: &[Timeline], profiles: &BTreeMap<String, ZoneProfile>) -> Alignment {
    let betweenness = ensemble.betweenness();
    let highest = betweenness.iter().copied().fold(0.0, f64::max);
    let plays = people_of(ensemble, profiles);
    let names = name_words(ensemble);
    let observed = observe(&names, timelines);

    let mut players: Vec<PlayerAlignment> = (0..ensemble.len())
        .map(|p| {
            let mut signals = configuration(ensemble, p, &betweenness, highest, &names);
            if let Some(profile) = plays.get(&p).and_then(|name| profiles.get(name)) {
                signals.push(Signal {
                    source: "survey".into(),
                    weight: W_SURVEY,
                    scores: profile.scores,
                    why: format!("played by {}, whose questionnaire gives these zone scores", plays[&p]),
                });
            }
            let total: f64 = signals.iter().map(|s| s.weight).sum();
            for s in &mut signals {
                s.weight /= total.max(f64::MIN_POSITIVE);
            }
            if let Some(seen) = observed.get(ensemble.id(p)).and_then(Observed::signal) {
                let w = seen.weight;
                for s in &mut signals {
                    s.weight *= 1.0 - w;
                }
                signals.push(seen);
            }
            let mut scores = ZoneScores::default();
            for s in &signals {
                scores = scores.plus(&s.scores.scaled(s.weight));
            }
            if signals.is_empty() {
                scores = ZoneScores { innovator: 0.25, integrator: 0.25, improver: 0.25, stabilizer: 0.25 };
            }
            let scores = scores.normalized();
            let declared = ensemble.declared(p);
            let inferred = scores.top();
            PlayerAlignment {
                player: ensemble.id(p).to_string(),
                name: ensemble.name(p).to_string(),
                section: ensemble.players[p].section.clone(),
                declared,
                inferred,
                scores,
                signals,
                mismatch: declared.is_some_and(|d| d != inferred),
                person: plays.get(&p).cloned(),
            }
        })
        .collect();
    players.sort_by(|a, b| a.player.cmp(&b.player));

    let mut people: Vec<PersonAlignment> = profiles
        .iter()
        .map(|(name, profile)| PersonAlignment {
            person: name.clone(),
            scores: profile.scores,
            primary: profile.primary.clone(),
            plays: plays.iter().filter(|(_, n)| *n == name).map(|(&p, _)| ensemble.id(p).to_string()).collect(),
        })
        .collect();
    people.sort_by(|a, b| a.person.cmp(&b.person));

    let mismatches = mismatch_metric(ensemble, &players);
    Alignment { players, people, mismatches }
}

/// The configuration signals of player `p`, with their raw weights.
fn configuration(ensemble: &Ensemble, p: usize, betweenness: &[f64], highest: f64, names: &BTreeSet<String>) -> Vec<Signal> {
    let player = ensemble.players[p];
    let mut signals = Vec::new();
    if let Some(zone) = ensemble.declared(p) {
        let whose = if player.zone.is_some() { "its own" } else { "its section's" };
        signals.push(Signal { source: "declared".into(), weight: W_DECLARED, scores: ZoneScores::one(zone), why: format!("{whose} zone") });
    }
    let words = wording(&player.part, names);
    if words.total > 0 {
        let listed: Vec<String> = words.matches.iter().map(|(w, z)| format!("{w} ({})", zone_name(*z))).collect();
        signals.push(Signal { source: "wording".into(), weight: W_WORDING, scores: words.scores, why: format!("its part says {}", listed.join(", ")) });
    }
    let verdict_cues: Vec<&str> = ensemble
        .score
        .cues
        .iter()
        .filter(|c| c.from == player.id && c.when == ensemble_score::When::Verdict)
        .map(|c| c.to.as_str())
        .collect();
    if !verdict_cues.is_empty() {
        signals.push(Signal {
            source: "verdicts".into(),
            weight: W_VERDICTS,
            scores: ZoneScores::one(Zone::Improver),
            why: format!("its verdict decides the cue to {}", verdict_cues.join(", ")),
        });
    }
    let relative = if highest > 0.0 { betweenness[p] / highest } else { 0.0 };
    let reached = ensemble.groups_reached(p);
    let spread = (reached.len() as f64 / 2.0).min(1.0);
    let strength = relative.max(spread);
    if strength > 0.0 {
        let names: Vec<String> = reached.iter().map(|g| ensemble.group_name(g)).collect();
        signals.push(Signal {
            source: "cue_graph".into(),
            weight: W_GRAPH * strength,
            scores: ZoneScores::one(Zone::Integrator),
            why: format!(
                "betweenness {:.2} (relative {relative:.2}); cues to or from {} other section(s){}",
                betweenness[p],
                reached.len(),
                if names.is_empty() { String::new() } else { format!(": {}", names.join(", ")) }
            ),
        });
    }
    let temperature = match &player.instrument {
        Instrument::Openai(s) => s.temperature,
        Instrument::Anthropic(s) => s.temperature,
        _ => None,
    };
    match temperature {
        Some(t) if t >= 0.9 => signals.push(Signal {
            source: "temperature".into(),
            weight: W_TEMPERATURE,
            scores: ZoneScores::one(Zone::Innovator),
            why: format!("temperature {t}: varied, exploratory output"),
        }),
        Some(t) if t <= 0.3 => signals.push(Signal {
            source: "temperature".into(),
            weight: W_TEMPERATURE,
            scores: ZoneScores { improver: 0.5, stabilizer: 0.5, ..Default::default() },
            why: format!("temperature {t}: steady, repeatable output"),
        }),
        _ => {}
    }
    if matches!(player.instrument, Instrument::Command(_)) {
        signals.push(Signal {
            source: "instrument".into(),
            weight: W_INSTRUMENT,
            scores: ZoneScores::one(Zone::Stabilizer),
            why: "a command-line program: it runs and builds, the same way each time".into(),
        });
    }
    signals
}

/// What a player did across all performances.
#[derive(Default)]
struct Observed {
    outputs: usize,
    verdicts: usize,
    wording: ZoneScores,
    words: usize,
}

impl Observed {
    fn signal(&self) -> Option<Signal> {
        if self.outputs == 0 {
            return None;
        }
        let v = self.verdicts as f64 / self.outputs as f64;
        let mut scores = ZoneScores::one(Zone::Improver).scaled(v);
        if self.words > 0 {
            scores = scores.plus(&self.wording.normalized().scaled(1.0 - v));
        }
        if scores.total() <= 0.0 {
            return None;
        }
        let n = self.outputs as f64;
        Some(Signal {
            source: "observed".into(),
            weight: (n / (n + 4.0)).min(MAX_OBSERVED),
            scores: scores.normalized(),
            why: format!("{} of {} outputs were verdicts on work handed to it; {} lexicon words in its outputs", self.verdicts, self.outputs, self.words),
        })
    }
}

/// The words of every player's id and name, lower case: left out of wording, so that naming a
/// player ("hand it to the reviewer") is not mistaken for doing its work.
fn name_words(ensemble: &Ensemble) -> BTreeSet<String> {
    ensemble
        .players
        .iter()
        .flat_map(|p| [p.id.as_str(), p.name.as_str()])
        .flat_map(|s| s.split(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// What each player did. Verdicts count from every output (a rehearsal's verdicts are the ones
/// the composer gave the part); wording only from outputs a real instrument wrote, leaving out
/// the words of the players' own ids and names.
fn observe<'a>(names: &BTreeSet<String>, timelines: &'a [Timeline]) -> BTreeMap<&'a str, Observed> {
    let mut seen: BTreeMap<&str, Observed> = BTreeMap::new();
    for t in timelines {
        for span in &t.choruses {
            let Some(end) = span.end.as_ref().filter(|e| e.ok) else { continue };
            let o = seen.entry(span.player).or_default();
            o.outputs += 1;
            if !span.handoffs.is_empty() && is_verdict(end.output) {
                o.verdicts += 1;
            }
            if span.rehearsal {
                continue;
            }
            let (scores, total) = crate::lexicon::counts(end.output, names);
            o.words += total;
            o.wording = o.wording.plus(&scores.scaled(total as f64));
        }
    }
    seen
}

fn mismatch_metric(ensemble: &Ensemble, players: &[PlayerAlignment]) -> Metric {
    let declared = players.iter().filter(|p| p.declared.is_some()).count();
    let off: Vec<&PlayerAlignment> = players.iter().filter(|p| p.mismatch).collect();
    let metric = Metric::new(
        "alignment.mismatch",
        "Declared vs inferred zone",
        Unit::Share,
        Threshold::above(0.0),
        "players whose inferred zone (highest blended zone score) differs from the declared zone / players with a declared zone",
    )
    .with_value(crate::stats::ratio(off.len(), declared))
    .with_evidence(
        Evidence {
            summary: format!("{} of {declared} players play in another zone than declared", off.len()),
            items: off
                .iter()
                .map(|p| Item {
                    id: p.player.clone(),
                    value: p.scores.get(p.inferred),
                    note: format!("declared {}, reads as {}", p.declared.map(zone_name).unwrap_or("-"), zone_name(p.inferred)),
                })
                .collect(),
            ..Evidence::default()
        }
        .with_players(off.iter().map(|p| p.player.clone()).collect()),
    );
    let advice = off
        .iter()
        .filter_map(|p| {
            let declared = p.declared?;
            let name = ensemble.name_of(&p.player);
            Some(Advice::new(
                format!("mismatch.{}", p.player),
                format!(
                    "{name} is declared {} but plays as {}: rewrite its part to ask for {} work, or move it to {}",
                    zone_name(declared),
                    zone_name(p.inferred),
                    zone_work(declared),
                    zone_name(p.inferred)
                ),
                Target::Part { player: p.player.clone() },
            ))
        })
        .collect();
    metric.with_advice(advice)
}

pub fn zone_name(zone: Zone) -> &'static str {
    match zone {
        Zone::Innovator => "Innovator",
        Zone::Integrator => "Integrator",
        Zone::Improver => "Improver",
        Zone::Stabilizer => "Stabilizer",
    }
}

/// The kind of work a zone does, in a few words for advice.
pub fn zone_work(zone: Zone) -> &'static str {
    match zone {
        Zone::Innovator => "explore-and-propose",
        Zone::Integrator => "coordinate-and-route",
        Zone::Improver => "check-and-verify",
        Zone::Stabilizer => "build-and-ship",
    }
}
