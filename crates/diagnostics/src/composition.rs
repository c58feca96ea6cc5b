//! Composition: how the players spread over the four zones.
//!
//! Each player counts once, in its declared zone (or, with none declared, its inferred one).
//! Imbalance = 1 - H / ln 4, where H = -sum(s ln s) over the zone shares s: 0 when the four
//! zones hold a quarter each, 1 when everyone is in one zone. Shares 1/2, 1/2, 0, 0 give
//! 1 - ln 2 / ln 4 = 0.5. Flagged above 0.35. An empty zone is a gap, with advice of its own.

use ensemble_score::Zone;

use crate::alignment::zone_name;
use crate::report::{Advice, Composition, Evidence, Item, Metric, PlayerAlignment, Target, Threshold, Unit, ZoneShare};
use crate::stats::entropy;

pub const IMBALANCE_THRESHOLD: f64 = 0.35;

/// Imbalance of shares that sum to 1 (or are all zero: no players, no value).
pub fn imbalance(shares: &[f64; 4]) -> Option<f64> {
    let total: f64 = shares.iter().sum();
    (total > 0.0).then(|| 1.0 - entropy(shares) / 4f64.ln())
}

pub fn compose(players: &[PlayerAlignment]) -> Composition {
    let n = players.len();
    let zones: Vec<ZoneShare> = Zone::ALL
        .iter()
        .map(|&zone| {
            let members: Vec<String> = players.iter().filter(|p| p.declared.unwrap_or(p.inferred) == zone).map(|p| p.player.clone()).collect();
            let share = if n == 0 { 0.0 } else { members.len() as f64 / n as f64 };
            ZoneShare { zone, players: members, share }
        })
        .collect();
    let shares = [zones[0].share, zones[1].share, zones[2].share, zones[3].share];
    let gaps: Vec<Zone> = zones.iter().filter(|z| z.players.is_empty()).map(|z| z.zone).collect();
    let items: Vec<Item> =
        zones.iter().map(|z| Item { id: zone_name(z.zone).to_string(), value: z.share, note: format!("{} player(s)", z.players.len()) }).collect();

    let imbalance_metric = {
        let metric = Metric::new(
            "composition.imbalance",
            "Zone imbalance",
            Unit::Share,
            Threshold::above(IMBALANCE_THRESHOLD),
            "1 - H / ln 4, H = -sum(share x ln share) over the four zones' shares of players",
        )
        .with_value(imbalance(&shares))
        .with_evidence(Evidence { summary: format!("{n} players over 4 zones"), items: items.clone(), ..Evidence::default() });
        let crowded = zones.iter().max_by(|a, b| a.share.total_cmp(&b.share).then(b.zone.cmp(&a.zone)));
        let thin = zones.iter().min_by(|a, b| a.share.total_cmp(&b.share).then(a.zone.cmp(&b.zone)));
        let advice = match (crowded, thin) {
            (Some(c), Some(t)) if n > 0 => vec![Advice::new(
                "imbalance",
                format!(
                    "{:.0}% of players are {} and {:.0}% {}: move or rewrite one {} part toward {} work",
                    c.share * 100.0,
                    zone_name(c.zone),
                    t.share * 100.0,
                    zone_name(t.zone),
                    zone_name(c.zone),
                    crate::alignment::zone_work(t.zone)
                ),
                Target::Zones,
            )],
            _ => Vec::new(),
        };
        metric.with_advice(advice)
    };

    let gap_metric = Metric::new("composition.gaps", "Empty zones", Unit::Count, Threshold::above(0.0), "zones with no player")
        .with_value((n > 0).then_some(gaps.len() as f64))
        .with_evidence(Evidence {
            summary: if gaps.is_empty() { "every zone has a player".into() } else { format!("no {}", gaps.iter().map(|z| zone_name(*z)).collect::<Vec<_>>().join(", no ")) },
            items,
            ..Evidence::default()
        })
        .with_advice(gaps.iter().map(|&z| gap_advice(z)).collect());

    Composition { zones, gaps, imbalance: imbalance_metric, gap_count: gap_metric }
}

fn gap_advice(zone: Zone) -> Advice {
    let what = match zone {
        Zone::Innovator => "add a player who explores the problem and proposes options",
        Zone::Integrator => "add a player who coordinates the others and routes their work between sections",
        Zone::Improver => "add a player who reviews and verifies the others' work before it moves on",
        Zone::Stabilizer => "add a player who checks and ships",
    };
    Advice::new(format!("gap.{}", zone_name(zone).to_lowercase()), format!("no {}: {what}", zone_name(zone)), Target::Zone { zone })
}
