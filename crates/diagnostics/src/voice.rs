//! Voice (people): how safe people feel to speak up, from Edmondson's (1999) seven items.
//!
//! Each person's score is the mean of their seven answers after reverse scoring items 1, 3 and
//! 5 (see [`crate::questionnaire()`]). The team's value is the mean of the people's scores,
//! flagged below 4.5 (the scale's midpoint is 4); the spread is the population standard
//! deviation of the people's scores, flagged above 1.5 (people living different teams), and
//! needs at least two people.

use crate::report::{Advice, Dimension, Evidence, Item, Metric, Target, Threshold, Unit};
use crate::stats::{mean, std_dev};
use crate::survey::SafetyScore;

pub const MEAN_THRESHOLD: f64 = 4.5;
pub const SPREAD_THRESHOLD: f64 = 1.5;

/// Short names of the seven items, for advice.
const ITEM_TOPICS: [&str; 7] = [
    "mistakes are held against people",
    "bringing up problems and tough issues",
    "rejecting others for being different",
    "taking a risk",
    "asking others for help",
    "nobody undermines others' efforts",
    "skills and talents are valued",
];

pub fn voice(people: &[(String, SafetyScore)]) -> Dimension {
    let means: Vec<f64> = people.iter().map(|(_, s)| s.mean).collect();
    let team = mean(&means);
    let spread = if people.len() >= 2 { std_dev(&means) } else { None };
    // Individual scores are shown without names, lowest first: naming who feels unsafe would
    // make it less safe to answer honestly.
    let mut sorted = means.clone();
    sorted.sort_by(f64::total_cmp);
    let person_items: Vec<Item> =
        sorted.iter().enumerate().map(|(i, m)| Item { id: format!("respondent {}", i + 1), value: *m, note: String::new() }).collect();
    let item_means: Vec<f64> = (0..7).map(|i| mean(&people.iter().map(|(_, s)| f64::from(s.items[i])).collect::<Vec<_>>()).unwrap_or(0.0)).collect();
    let weakest = (0..7).min_by(|&a, &b| item_means[a].total_cmp(&item_means[b]).then(a.cmp(&b)));

    let mean_metric = Metric::new(
        "voice.mean",
        "Psychological safety",
        Unit::Scale7,
        Threshold::below(MEAN_THRESHOLD),
        "mean over people of each person's mean of the seven items (items 1, 3, 5 reverse-scored: 8 - answer), 1 to 7",
    )
    .with_value(team)
    .with_evidence(Evidence {
        summary: format!("{} people answered", people.len()),
        items: if people.is_empty() {
            Vec::new()
        } else {
            item_means.iter().enumerate().map(|(i, m)| Item { id: format!("item {}", i + 1), value: *m, note: ITEM_TOPICS[i].to_string() }).collect()
        },
        ..Evidence::default()
    })
    .with_advice(
        weakest
            .map(|i| {
                vec![Advice::new(
                    "voice.mean",
                    format!(
                        "safety to speak up averages {:.1} of 7, lowest on item {} ({}): open each review by asking what is missing rather than who missed it, and thank the first person who raises a problem",
                        team.unwrap_or(0.0),
                        i + 1,
                        ITEM_TOPICS[i]
                    ),
                    Target::People,
                )]
            })
            .unwrap_or_default(),
    );

    let spread_metric = Metric::new(
        "voice.spread",
        "Spread of psychological safety",
        Unit::Scale7,
        Threshold::above(SPREAD_THRESHOLD),
        "population standard deviation of the people's scores (at least two people)",
    )
    .with_value(spread)
    .with_evidence(Evidence { summary: format!("{} people", people.len()), items: person_items, ..Evidence::default() })
    .with_advice(vec![Advice::new(
        "voice.spread",
        "people experience this team very differently: ask, one to one, those who scored lowest what would make it safer to speak up",
        Target::People,
    )]);

    Dimension { id: "voice".into(), title: "Voice (people)".into(), metrics: vec![mean_metric, spread_metric] }
}
