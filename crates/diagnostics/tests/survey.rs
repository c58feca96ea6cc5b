//! The survey: the questionnaire's shape, scoring with clear errors, reverse scoring, the voice
//! dimension, and people who are members of the ensemble.

mod common;

use common::*;
use ensemble_diagnostics::{AlignmentAnswers, Input, PersonAnswers, SafetyAnswers, SurveyError, diagnose, questionnaire, score_alignment, score_safety};
use ensemble_score::Zone;

/// Answers that give each zone the same points in every scenario, whatever the statement order.
fn by_zone(points: [(Zone, u32); 4]) -> AlignmentAnswers {
    let q = questionnaire();
    AlignmentAnswers {
        points: q.scenarios.iter().map(|s| s.statements.iter().map(|st| points.iter().find(|(z, _)| *z == st.zone).map(|p| p.1).unwrap_or(0)).collect()).collect(),
    }
}

#[test]
fn the_questionnaire_has_six_scenarios_with_one_statement_per_zone() {
    let q = questionnaire();
    assert_eq!(q.scenarios.len(), 6);
    for s in &q.scenarios {
        let mut zones: Vec<Zone> = s.statements.iter().map(|st| st.zone).collect();
        zones.sort();
        assert_eq!(zones, Zone::ALL.to_vec(), "scenario {} has one statement per zone", s.id);
    }
    let firsts: std::collections::BTreeSet<Zone> = q.scenarios.iter().map(|s| s.statements[0].zone).collect();
    assert_eq!(firsts.len(), 4, "no zone always comes first");
    let reversed: Vec<u32> = q.safety_items.iter().filter(|i| i.reversed).map(|i| i.number).collect();
    assert_eq!(reversed, vec![1, 3, 5], "Edmondson's negatively worded items");
    assert_eq!(q.safety_items.len(), 7);
}

#[test]
fn zone_scores_are_points_over_total_and_primary_zones_clear_the_band() {
    use Zone::*;
    // 4, 4, 2, 0 in every scenario: 24/60, 24/60, 12/60, 0 = 0.4, 0.4, 0.2, 0.
    let p = score_alignment(&by_zone([(Innovator, 4), (Integrator, 4), (Improver, 2), (Stabilizer, 0)])).expect("valid answers");
    close(p.scores.innovator, 0.4, "innovator");
    close(p.scores.improver, 0.2, "improver");
    close(p.scores.stabilizer, 0.0, "stabilizer");
    // Midpoint of 0.4 and 0 is 0.2; primary means above 0.2 + 0.05.
    assert_eq!(p.primary, vec![Innovator, Integrator]);
    // 3, 3, 2, 2: midpoint 0.25, nobody above 0.30: a flat profile.
    let flat = score_alignment(&by_zone([(Innovator, 3), (Integrator, 2), (Improver, 3), (Stabilizer, 2)])).expect("valid answers");
    assert!(flat.primary.is_empty(), "a flat profile has no primary zone: {:?}", flat.scores);
    // All ten points on the Improver statement: a pure Improver.
    let pure = score_alignment(&by_zone([(Improver, 10), (Innovator, 0), (Integrator, 0), (Stabilizer, 0)])).expect("valid answers");
    assert_eq!(pure.primary, vec![Improver]);
}

#[test]
fn invalid_alignment_answers_say_what_is_wrong() {
    let good = by_zone([(Zone::Innovator, 10), (Zone::Integrator, 0), (Zone::Improver, 0), (Zone::Stabilizer, 0)]);
    let mut five = good.clone();
    five.points.pop();
    assert_eq!(score_alignment(&five), Err(SurveyError::ScenarioCount { expected: 6, got: 5 }));
    let mut short = good.clone();
    short.points[0] = vec![5, 5, 0];
    assert_eq!(score_alignment(&short), Err(SurveyError::StatementCount { scenario: 1, got: 3 }));
    let mut nine = good.clone();
    nine.points[1] = vec![3, 3, 3, 0];
    let err = score_alignment(&nine).unwrap_err();
    assert_eq!(err, SurveyError::PointsTotal { scenario: 2, total: 9, expected: 10 });
    assert_eq!(err.to_string(), "scenario 2: the points add up to 9, but they must add up to exactly 10");
    let mut eleven = good;
    eleven.points[2] = vec![11, 0, 0, 0];
    assert_eq!(score_alignment(&eleven), Err(SurveyError::PointsRange { scenario: 3, statement: 1, points: 11, max: 10 }));
}

#[test]
fn safety_items_one_three_and_five_are_reversed() {
    // Answering 1 to the negative items and 7 to the positive ones is the safest team: all 7.
    let safest = score_safety(&SafetyAnswers { items: vec![1, 7, 1, 7, 1, 7, 7] }).expect("valid");
    assert_eq!(safest.items, vec![7; 7]);
    close(safest.mean, 7.0, "safest");
    // 7 to items 1, 3, 5 and 2 to the others: 1, 2, 1, 2, 1, 2, 2 = 11 / 7.
    let unsafe_team = score_safety(&SafetyAnswers { items: vec![7, 2, 7, 2, 7, 2, 2] }).expect("valid");
    close(unsafe_team.mean, 11.0 / 7.0, "reverse-scored mean");
    assert_eq!(score_safety(&SafetyAnswers { items: vec![4; 6] }), Err(SurveyError::ItemCount { got: 6 }));
    assert_eq!(score_safety(&SafetyAnswers { items: vec![4, 4, 0, 4, 4, 4, 4] }), Err(SurveyError::ItemRange { item: 3, answer: 0 }));
    assert_eq!(score_safety(&SafetyAnswers { items: vec![4, 4, 4, 4, 4, 4, 8] }), Err(SurveyError::ItemRange { item: 7, answer: 8 }));
}

fn safety(person: &str, items: Vec<u32>) -> PersonAnswers {
    PersonAnswers { person: person.into(), alignment: None, safety: Some(SafetyAnswers { items }), answered_ms: None }
}

fn one_player() -> ensemble_score::Score {
    let mut t = header("Ship the kite", "The kite flies");
    t += &loose("solo", "stabilizer", "Build and ship the kite.");
    score(&t)
}

#[test]
fn voice_mean_and_spread() {
    // Two people: 7.0 and 4.0. Mean 5.5; spread (population sd) 1.5: neither flagged.
    let people = vec![safety("ann", vec![1, 7, 1, 7, 1, 7, 7]), safety("bo", vec![4; 7])];
    let report = diagnose(&Input { people, ..Input::new(one_player()) });
    close(value(&report, "voice.mean"), 5.5, "mean of 7 and 4");
    close(value(&report, "voice.spread"), 1.5, "sd of 7 and 4");
    assert!(!metric(&report, "voice.mean").flagged && !metric(&report, "voice.spread").flagged, "5.5 >= 4.5 and 1.5 <= 1.5");

    // Three people: 7, 4 and 1. Mean 4 (< 4.5); sd = sqrt((9 + 0 + 9) / 3) = sqrt 6 (> 1.5).
    let people = vec![safety("ann", vec![1, 7, 1, 7, 1, 7, 7]), safety("bo", vec![4; 7]), safety("cy", vec![7, 1, 7, 1, 7, 1, 1])];
    let report = diagnose(&Input { people, ..Input::new(one_player()) });
    close(value(&report, "voice.mean"), 4.0, "mean of 7, 4, 1");
    close(value(&report, "voice.spread"), 6f64.sqrt(), "sd of 7, 4, 1");
    let mean = metric(&report, "voice.mean");
    assert!(mean.flagged && metric(&report, "voice.spread").flagged);
    assert!(mean.advice[0].text.starts_with("safety to speak up averages 4.0 of 7"), "{}", mean.advice[0].text);
    assert_flagged_have_advice(&report);
    let ids: Vec<&str> = metric(&report, "voice.spread").evidence.items.iter().map(|i| i.id.as_str()).collect();
    assert!(!ids.iter().any(|id| ["ann", "bo", "cy"].contains(id)), "individual scores are shown without names: {ids:?}");

    // One person: a mean but no spread.
    let report = diagnose(&Input { people: vec![safety("ann", vec![4; 7])], ..Input::new(one_player()) });
    assert_eq!(metric(&report, "voice.spread").value, None, "spread needs two people");
    assert_eq!(metric(&report, "voice.mean").value, Some(4.0));
}

#[test]
fn a_person_plays_a_human_part_and_bad_answers_are_noted() {
    let mut t = header("Ship the kite", "The kite flies");
    t += &loose("maker", "stabilizer", "Build the kite.");
    t += "[[players]]\nid = \"review\"\nname = \"Review\"\nzone = \"improver\"\npart = \"Look at the kite.\"\n[players.instrument]\nkind = \"human\"\nwho = \"Dana\"\n\n";
    t += &cue("maker", "review");
    let dana = PersonAnswers {
        person: "dana".into(),
        alignment: Some(by_zone([(Zone::Improver, 10), (Zone::Innovator, 0), (Zone::Integrator, 0), (Zone::Stabilizer, 0)])),
        safety: None,
        answered_ms: None,
    };
    let eve = PersonAnswers {
        person: "eve".into(),
        alignment: Some(AlignmentAnswers { points: vec![] }),
        safety: Some(SafetyAnswers { items: vec![9; 7] }),
        answered_ms: None,
    };
    let report = diagnose(&Input { people: vec![dana, eve], ..Input::new(score(&t)) });
    let review = report.alignment.players.iter().find(|p| p.player == "review").expect("the human player is aligned");
    assert_eq!(review.person.as_deref(), Some("dana"), "`who` matches the person's name ignoring case");
    assert!(review.signals.iter().any(|s| s.source == "survey"), "the person's questionnaire feeds the player's zone");
    assert_eq!(review.inferred, Zone::Improver);
    assert_eq!(report.alignment.people.len(), 1, "eve's answers are invalid");
    assert_eq!(report.alignment.people[0].plays, vec!["review".to_string()]);
    assert!(report.notes.iter().any(|n| n.contains("eve's questionnaire answers are left out: the questionnaire has 6 scenarios, but 0 were answered")), "{:?}", report.notes);
    assert!(report.notes.iter().any(|n| n.contains("eve's psychological-safety answers are left out: item 1: 9 is not on the scale")), "{:?}", report.notes);
}

#[test]
fn the_report_lists_who_answered_when_and_their_primary_zones() {
    use Zone::*;
    // 2026-11-30T09:00:00Z is 20,787 days after 1970-01-01 plus 9 hours:
    // (20787 * 86400 + 9 * 3600) * 1000 ms.
    let ada_ms = (20_787 * 86_400 + 9 * 3_600) * 1_000;
    let ada = PersonAnswers {
        person: "Ada".into(),
        // 4, 4, 2, 0 per scenario: 0.4, 0.4, 0.2, 0; midpoint 0.2, so Innovator and Integrator clear 0.25.
        alignment: Some(by_zone([(Innovator, 4), (Integrator, 4), (Improver, 2), (Stabilizer, 0)])),
        safety: Some(SafetyAnswers { items: vec![4; 7] }),
        answered_ms: Some(ada_ms),
    };
    let bo = PersonAnswers { answered_ms: Some(ada_ms + 86_400_000), ..safety("Bo", vec![4; 7]) };
    // Cy's questionnaire does not add up: Cy still answered, but nothing of it counts.
    let cy = PersonAnswers { person: "Cy".into(), alignment: Some(AlignmentAnswers { points: vec![vec![9, 0, 0, 0]; 6] }), safety: None, answered_ms: None };
    let report = diagnose(&Input { people: vec![cy, bo, ada], ..Input::new(one_player()) });

    // Person, when answered, whether the questionnaire and the safety items counted, primary zones.
    type Respondent<'a> = (&'a str, Option<u64>, bool, bool, Vec<Zone>);
    let listed: Vec<Respondent> =
        report.respondents.iter().map(|r| (r.person.as_str(), r.answered_ms, r.questionnaire, r.safety, r.primary.clone())).collect();
    assert_eq!(
        listed,
        vec![
            ("Ada", Some(ada_ms), true, true, vec![Innovator, Integrator]),
            ("Bo", Some(ada_ms + 86_400_000), false, true, vec![]),
            ("Cy", None, false, false, vec![]),
        ],
        "everyone who answered, sorted by name, with what counted"
    );

    let text = ensemble_diagnostics::render_text(&report);
    let survey = text.split("\nSURVEY\n").nth(1).expect("the text report has a survey section");
    let lines: Vec<&str> = survey.lines().take(3).map(str::trim_end).collect();
    assert!(lines[0].starts_with("  Ada") && lines[0].contains("answered 2026-11-30") && lines[0].contains("primary: Innovator, Integrator"), "{}", lines[0]);
    assert!(lines[0].ends_with("questionnaire and safety"), "{}", lines[0]);
    assert!(lines[1].contains("answered 2026-12-01") && lines[1].contains("no questionnaire counted") && lines[1].ends_with("safety"), "{}", lines[1]);
    assert!(lines[2].starts_with("  Cy") && lines[2].contains("answered -") && lines[2].ends_with("nothing counted (see the notes)"), "{}", lines[2]);

    let html = ensemble_diagnostics::render_html(&report, None);
    assert!(
        html.contains("<tr><td>Ada</td><td>2026-11-30</td><td>Innovator, Integrator</td><td>questionnaire and safety</td></tr>"),
        "the HTML report has a row per person: {html}"
    );
    assert!(html.contains("<tr><td>Bo</td><td>2026-12-01</td>"));

    let json: serde_json::Value = serde_json::to_value(&report).expect("the report serialises");
    assert_eq!(json["respondents"][0]["person"], "Ada");
    assert_eq!(json["respondents"][0]["answered_ms"], ada_ms);
    assert_eq!(json["respondents"][0]["primary"], serde_json::json!(["innovator", "integrator"]));

    let nobody = diagnose(&Input::new(one_player()));
    assert!(nobody.respondents.is_empty());
    assert!(render_text_has(&nobody, "SURVEY\n  nobody has answered yet"));
    assert!(ensemble_diagnostics::render_html(&nobody, None).contains("Nobody has answered yet."));
}

fn render_text_has(report: &ensemble_diagnostics::Report, text: &str) -> bool {
    ensemble_diagnostics::render_text(report).contains(text)
}
