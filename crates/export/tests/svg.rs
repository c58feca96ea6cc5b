//! The picture is well-formed XML whatever the score says, and shows every player and cue.

mod common;

use ensemble_export::{cue_label, svg};
use ensemble_score::Score;

/// All the text a person would read in the picture, in document order.
fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect::<String>())
        .collect()
}

fn parsed(score: &Score) -> (String, Vec<String>) {
    let picture = svg(score);
    let doc = roxmltree::Document::parse(&picture).unwrap_or_else(|e| panic!("the picture must be well-formed XML: {e}\n{picture}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg", "the document is an SVG");
    let texts = texts(&doc);
    (picture, texts)
}

fn assert_shows_everything(score: &Score, texts: &[String]) {
    for player in &score.players {
        // Control characters are shown as spaces.
        let shown: String = player.name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        assert!(texts.iter().any(|t| t == &shown), "player name {:?} is shown; texts: {texts:?}", player.name);
    }
    for cue in &score.cues {
        let label = cue_label(cue);
        if !label.is_empty() {
            assert!(texts.iter().any(|t| t == &label), "cue label {label:?} is shown; texts: {texts:?}");
        }
    }
    for zone in ["Innovator", "Integrator", "Improver", "Stabilizer"] {
        assert!(texts.iter().any(|t| t.starts_with(&format!("{zone} · "))), "the legend names the zone {zone} and its role");
    }
}

#[test]
fn every_example_is_drawn_whole() {
    for (path, score) in common::examples() {
        let (_, texts) = parsed(&score);
        assert_shows_everything(&score, &texts);
        assert!(texts.iter().any(|t| t == &score.title), "{}: the title is shown", path.display());
        for section in &score.sections {
            assert!(texts.iter().any(|t| t == &section.name), "{}: section {} is shown", path.display(), section.name);
        }
    }
}

#[test]
fn an_unplaced_score_is_laid_out_before_drawing() {
    let score = common::readme_example();
    let (picture, texts) = parsed(&score);
    assert_shows_everything(&score, &texts);
    let doc = roxmltree::Document::parse(&picture).expect("well-formed");
    let players: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("player"))
        .map(|g| {
            let card = g.first_element_child().expect("a player group starts with its card");
            let at = |k| card.attribute(k).and_then(|v: &str| v.parse::<f64>().ok()).expect("numeric position");
            (at("x"), at("y"))
        })
        .collect();
    assert_eq!(players.len(), 2, "both players are drawn");
    assert_ne!(players[0], players[1], "unplaced players must not be drawn on top of each other");
}

#[test]
fn hostile_text_is_escaped_not_interpreted() {
    let score = common::hostile();
    let (picture, texts) = parsed(&score);
    assert!(texts.iter().any(|t| t == common::HOSTILE_NAME), "the hostile name reads as text: {texts:?}");
    assert!(texts.iter().any(|t| t == common::HOSTILE_SECTION), "the hostile section name reads as text");
    assert!(texts.iter().any(|t| t == "Beta bell"), "a control character becomes a space: {texts:?}");
    assert!(!picture.contains("<b>"), "markup in a name must not become an element");
    assert!(!picture.contains('\u{7}'), "control characters must not reach the XML");
    assert_shows_everything(&score, &texts);
}

#[test]
fn long_names_are_shortened_with_an_ellipsis() {
    let mut score = common::readme_example();
    score.players[0].name = "A very long player name that goes on and on".into();
    let (_, texts) = parsed(&score);
    let shown = texts.iter().find(|t| t.starts_with("A very long")).expect("the long name is shown, shortened");
    assert!(shown.ends_with('…') && shown.chars().count() < score.players[0].name.chars().count(), "shortened: {shown}");
}

#[test]
fn empty_and_unplaceable_scores_still_draw() {
    let mut score = common::readme_example();
    score.players.clear();
    score.sections.clear();
    score.cues.clear();
    let (_, texts) = parsed(&score);
    assert!(texts.iter().any(|t| t == "Pair review"), "an empty score still has its title");

    let mut score = common::readme_example();
    score.players[0].position = ensemble_score::Position { x: f64::NAN, y: f64::INFINITY };
    let (_, texts) = parsed(&score);
    assert!(texts.iter().any(|t| t == "Critic"), "the drawable player is drawn");
    assert!(!texts.iter().any(|t| t == "Poet"), "a player at no finite place is left out, not drawn at NaN");
    ensemble_export::png(&score, 1).expect("the PNG of such a score renders too");
}

#[test]
fn a_cue_within_one_column_is_a_bracket_beside_it_with_its_label_outside() {
    let (_, score) = common::examples().into_iter().find(|(path, _)| path.ends_with("incident-response.score.toml")).expect("the example exists");
    let g = ensemble_score::GEOMETRY;
    let at = |id: &str| score.players.iter().find(|p| p.id == id).expect("the example's player").position;
    let (planner, communicator) = (at("planner"), at("communicator"));
    assert_eq!(planner.x, communicator.x, "the example stands them in one column");
    let picture = svg(&score);
    let doc = roxmltree::Document::parse(&picture).expect("well-formed");
    let number = |n: &roxmltree::Node, k: &str| n.attribute(k).and_then(|v| v.parse::<f64>().ok()).expect("numeric");
    // Drawn inside a group shifted by the margin: positions relative to a player's card.
    let card = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("player"))
        .map(|g| g.first_element_child().expect("a card"))
        .find(|c| c.parent().is_some_and(|g| g.descendants().any(|t| t.text() == Some("Communicator"))))
        .expect("the communicator's card");
    let right = number(&card, "x") + g.player_width;
    let middle = number(&card, "y") + g.player_height / 2.0;
    let end = format!("{} {}", right.round(), middle.round());
    assert!(
        doc.descendants().filter(|n| n.has_tag_name("path")).filter_map(|n| n.attribute("d")).any(|d| d.starts_with("M ") && d.ends_with(&end)),
        "the planner's cue ends on the communicator's right side, at ({end}): a bracket beside the column"
    );
    let label = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("cue-label"))
        .find(|n| n.descendants().any(|t| t.text() == Some("on success · checkpoint")))
        .expect("the success cue's label");
    let chip = label.first_element_child().expect("the label's chip");
    assert!(number(&chip, "x") > right, "the label starts beside the column, clear of the players' cards");
}
