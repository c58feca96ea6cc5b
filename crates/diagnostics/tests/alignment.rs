//! Alignment: zone scores from configuration (declared zone, wording, verdict cues, cue graph)
//! and from observed behaviour; declared vs inferred mismatches.

mod common;

use common::*;
use ensemble_conductor::Outcome;
use ensemble_diagnostics::{Input, Performance, PlayerAlignment, Report, Target, diagnose};
use ensemble_score::Zone;

fn aligned<'a>(report: &'a Report, id: &str) -> &'a PlayerAlignment {
    report.alignment.players.iter().find(|p| p.player == id).unwrap_or_else(|| panic!("{id} is aligned"))
}

#[test]
fn a_declared_innovator_that_reviews_is_a_mismatch() {
    let mut t = header("Ship the kite", "The kite flies");
    t += &loose("author", "stabilizer", "Write the draft.");
    t += &loose("critic", "innovator", "Review the draft, verify every claim and check the tests.");
    t += &cue("author", "critic");
    t += &cue_with("critic", "author", "when = \"verdict\"\nverdict = \"CHANGES\"\nmax_repeats = 2");
    let report = diagnose(&Input::new(score(&t)));
    let critic = aligned(&report, "critic");
    // Signals: declared 0.40 (Innovator), wording 0.30 (review, verify, check, test: all
    // Improver), verdict cue 0.15 (Improver). Two players: no betweenness, no sections.
    // Improver = 0.45 / 0.85 = 9/17, Innovator = 0.40 / 0.85 = 8/17.
    close(critic.scores.improver, 9.0 / 17.0, "Improver score");
    close(critic.scores.innovator, 8.0 / 17.0, "Innovator score");
    assert_eq!((critic.declared, critic.inferred), (Some(Zone::Innovator), Zone::Improver));
    assert!(critic.mismatch);
    let sources: Vec<&str> = critic.signals.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(sources, vec!["declared", "wording", "verdicts"]);
    assert!(critic.signals[1].why.contains("review (Improver)"), "the evidence names the words: {}", critic.signals[1].why);
    // "Write the draft." matches no stem ("write code" needs both words): declared only.
    let author = aligned(&report, "author");
    assert_eq!((author.inferred, author.mismatch), (Zone::Stabilizer, false));
    // One of two players is off its declared zone.
    let m = &report.alignment.mismatches;
    close(m.value.expect("two declared players"), 0.5, "mismatch share");
    assert_eq!(
        m.advice[0].text,
        "Critic is declared Innovator but plays as Improver: rewrite its part to ask for explore-and-propose work, or move it to Improver"
    );
    assert_eq!(m.advice[0].target, Target::Part { player: "critic".into() });
}

#[test]
fn a_player_in_the_middle_of_three_sections_integrates() {
    let mut t = header("Ship the kite", "The kite flies");
    for (s, z) in [("left", "innovator"), ("mid", "stabilizer"), ("right", "improver"), ("far", "improver")] {
        t += &section(s, z);
    }
    t += &player("a", "left", "Go.");
    t += &player("router", "mid", "Pass things along.");
    t += &player("b", "right", "Go.");
    t += &player("c", "far", "Go.");
    t += &cue("a", "router");
    t += &cue("router", "b");
    t += &cue("router", "c");
    let report = diagnose(&Input::new(score(&t)));
    let router = aligned(&report, "router");
    // Betweenness: of the 6 ordered pairs of the other three, a->b and a->c pass the router: 2/6.
    // It reaches three other sections: strength 1, weight 0.20 against declared 0.40.
    let graph = router.signals.iter().find(|s| s.source == "cue_graph").expect("a graph signal");
    assert!(graph.why.starts_with("betweenness 0.33 (relative 1.00); cues to or from 3 other section(s)"), "{}", graph.why);
    close(router.scores.integrator, 0.2 / 0.6, "Integrator share");
    close(router.scores.stabilizer, 0.4 / 0.6, "declared Stabilizer share");
    // The leaves reach one other section each: strength 1/2, weight 0.1.
    let a = aligned(&report, "a");
    close(a.scores.integrator, 0.1 / 0.5, "a leaf integrates a little");
}

/// `n` performances in which the gatekeeper's every output is a verdict on work handed to it.
fn verdicts(n: usize) -> Vec<Performance> {
    (0..n)
        .map(|i| {
            let mut l = Log::new(&format!("p{i}"));
            l.start(0, "v1", &["maker", "gate"]);
            l.cued(0, "maker", 1, "v1", &[]);
            l.finished(10, "maker", 1, "a kite", 10);
            l.fired(10, "maker", "gate", 1);
            l.cued(10, "gate", 1, "v1", &[("maker", "a kite")]);
            l.finished(20, "gate", 1, "Looks sound.\nVERDICT: APPROVED", 10);
            l.finish(20, Outcome::Succeeded, 20);
            l.done()
        })
        .collect()
}

#[test]
fn a_player_whose_outputs_are_verdicts_behaves_as_an_improver() {
    let mut t = header("Ship the kite", "The kite flies");
    t += &loose("maker", "stabilizer", "Make the kite.");
    t += &loose("gate", "stabilizer", "Build and ship the release.");
    t += &cue("maker", "gate");
    // Configuration alone: declared and wording (build, ship, releas) all say Stabilizer.
    let before = diagnose(&Input::new(score(&t)));
    assert_eq!(aligned(&before, "gate").inferred, Zone::Stabilizer);

    // Two performances: observed weight 2 / (2 + 4) = 1/3; every output is a verdict (and its
    // words "verdict", "approved" are Improver words): Improver 1/3 < Stabilizer 2/3.
    let two = diagnose(&input(score(&t), verdicts(2)));
    close(aligned(&two, "gate").scores.improver, 1.0 / 3.0, "a little observed behaviour");
    assert_eq!(aligned(&two, "gate").inferred, Zone::Stabilizer);

    // Six: weight min(0.6, 6/10) = 0.6: Improver 0.6 over Stabilizer 0.4. A mismatch.
    let six = diagnose(&input(score(&t), verdicts(6)));
    let gate = aligned(&six, "gate");
    close(gate.scores.improver, 0.6, "behaviour outweighs configuration");
    assert_eq!((gate.inferred, gate.mismatch), (Zone::Improver, true));
    let observed = gate.signals.iter().find(|s| s.source == "observed").expect("an observed signal");
    assert!(observed.why.starts_with("6 of 6 outputs were verdicts"), "{}", observed.why);
    // The maker's outputs ("a kite") carry no verdict and no lexicon word: no observed signal.
    assert!(aligned(&six, "maker").signals.iter().all(|s| s.source != "observed"));
}
