//! Placing unplaced players and sections: every player inside its own frame and outside all
//! others, nothing overlapping, cues flowing left to right, saved positions kept.

use std::path::Path;

use ensemble_score::{
    Cue, GEOMETRY, Instrument, Intent, Player, Position, RehearsalSettings, Score, Section, Size, When, Zone,
    load, parse, place_unplaced,
};

/// The shortest useful score, as the README shows it under "The score format".
fn readme_example() -> Score {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
        .expect("README.md is readable");
    let from = readme.find("## The score format").expect("the README has a section on the score format");
    let rest = &readme[from..];
    let start = rest.find("```toml\n").expect("the score format section has a TOML example") + "```toml\n".len();
    let end = rest[start..].find("```").expect("the TOML example is closed") + start;
    parse(&rest[start..end], None).unwrap_or_else(|p| panic!("the README example must load: {p:?}"))
}

fn player(id: &str, section: Option<&str>) -> Player {
    Player {
        id: id.into(),
        name: id.to_uppercase(),
        section: section.map(Into::into),
        zone: Some(Zone::Improver),
        join: Default::default(),
        timeout_secs: None,
        retries: None,
        position: Position::default(),
        part: "Play.".into(),
        instrument: Instrument::Rehearsal(RehearsalSettings::default()),
        tools: Default::default(),
    }
}

fn section(id: &str, zone: Zone) -> Section {
    Section { id: id.into(), name: id.into(), zone, position: Position::default(), size: Size::default() }
}

fn cue(from: &str, to: &str, max_repeats: Option<u32>) -> Cue {
    Cue { from: from.into(), to: to.into(), when: When::Always, verdict: None, max_repeats, checkpoint: false }
}

fn score(sections: Vec<Section>, players: Vec<Player>, cues: Vec<Cue>) -> Score {
    Score {
        format: 1,
        title: "t".into(),
        intent: Intent { goal: "g".into(), ..Default::default() },
        context: Default::default(),
        tempo: Default::default(),
        sections,
        players,
        cues,
    }
}

/// Checks every rule a layout must keep, over all pairs: players do not overlap each other, each
/// player is wholly inside its own section's frame and outside every other frame, frames do not
/// overlap, and no player is left at the origin.
fn assert_well_placed(score: &Score) {
    let g = GEOMETRY;
    for (i, a) in score.players.iter().enumerate() {
        assert_ne!(a.position, Position::default(), "player {} was left at the origin, unplaced", a.id);
        let node = g.player_box(a);
        for b in &score.players[i + 1..] {
            assert!(!node.overlaps(&g.player_box(b)), "players {} ({:?}) and {} ({:?}) overlap", a.id, a.position, b.id, b.position);
        }
        let home = a.section.as_deref().and_then(|id| score.sections.iter().position(|s| s.id == id));
        for (s, section) in score.sections.iter().enumerate() {
            let frame = g.section_frame(section);
            if Some(s) == home {
                assert!(frame.contains(&node), "player {} {node:?} is not wholly inside its section {} {frame:?}", a.id, section.id);
            } else {
                assert!(!frame.overlaps(&node), "player {} {node:?} reaches into section {} {frame:?}, not its own", a.id, section.id);
            }
        }
    }
    for (i, a) in score.sections.iter().enumerate() {
        for b in &score.sections[i + 1..] {
            let (fa, fb) = (g.section_frame(a), g.section_frame(b));
            assert!(!fa.overlaps(&fb), "sections {} {fa:?} and {} {fb:?} overlap", a.id, b.id);
        }
    }
}

#[test]
fn the_readme_example_gets_a_readable_picture() {
    let mut score = readme_example();
    assert!(score.players.iter().all(|p| p.position == Position::default()), "the README example has no positions; the test relies on that");
    assert!(place_unplaced(&mut score), "an unplaced score must report that it placed something");
    assert_well_placed(&score);
    let poet = score.player("poet").expect("poet");
    let critic = score.player("critic").expect("critic");
    assert!(critic.position.x > poet.position.x, "the critic is cued by the poet, so it sits to the right; the loop back is not ranked");
    assert_ne!(score.sections[0].position, Position::default(), "the studio section got a frame");
}

#[test]
fn layout_is_deterministic_and_idempotent() {
    let mut first = readme_example();
    let mut second = readme_example();
    place_unplaced(&mut first);
    place_unplaced(&mut second);
    assert_eq!(first, second, "the same score must always get the same layout");
    let placed = first.clone();
    assert!(!place_unplaced(&mut first), "a placed score has nothing left to place");
    assert_eq!(first, placed, "placing again must change nothing");
}

#[test]
fn a_loop_is_ranked_forward_and_its_back_edge_ignored() {
    // write -> review -> test, review -> write closes a loop (with and without max_repeats).
    for limit in [Some(3), None] {
        let mut s = score(
            vec![section("build", Zone::Integrator), section("check", Zone::Improver)],
            vec![player("write", Some("build")), player("review", Some("check")), player("test", Some("check"))],
            vec![cue("write", "review", None), cue("review", "write", limit), cue("review", "test", None)],
        );
        assert!(place_unplaced(&mut s));
        assert_well_placed(&s);
        let x = |id: &str| s.player(id).expect(id).position.x;
        assert!(x("write") < x("review") && x("review") < x("test"), "cues flow left to right (limit {limit:?}): {:?}", s.players);
    }
}

#[test]
fn a_player_without_a_section_sits_outside_every_frame() {
    let mut s = score(
        vec![section("a", Zone::Innovator), section("b", Zone::Stabilizer)],
        vec![
            player("p1", Some("a")),
            player("loose", None),
            player("lost", Some("no-such-section")),
            player("p2", Some("b")),
            player("p3", Some("a")),
        ],
        vec![cue("p1", "loose", None), cue("loose", "p2", None), cue("ghost", "p1", None), cue("p3", "p3", None)],
    );
    assert!(place_unplaced(&mut s));
    assert_well_placed(&s);
}

#[test]
fn a_placed_score_is_kept_as_it_is() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/scores");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("assets/scores exists") {
        let path = entry.expect("a readable folder entry").path();
        if !path.to_string_lossy().ends_with(".score.toml") {
            continue;
        }
        seen += 1;
        let mut score = load(&path).unwrap_or_else(|e| panic!("{} loads: {e:?}", path.display())).score;
        let before = score.clone();
        assert!(!place_unplaced(&mut score), "{} has every position saved; nothing is placed", path.display());
        assert_eq!(score, before, "{}: saved positions and sizes must not change", path.display());
    }
    assert!(seen >= 3, "expected the example scores in {}", dir.display());
}

#[test]
fn unplaced_players_join_a_placed_section_without_moving_it() {
    let mut build = section("build", Zone::Integrator);
    build.position = Position { x: 500.0, y: 300.0 };
    let mut kept = player("kept", Some("build"));
    kept.position = Position { x: 520.0, y: 348.0 };
    let mut s = score(
        vec![build, section("fresh", Zone::Innovator)],
        vec![kept, player("new1", Some("build")), player("new2", Some("build")), player("new3", Some("fresh")), player("loose", None)],
        vec![cue("new3", "kept", None)],
    );
    assert!(place_unplaced(&mut s));
    assert_eq!(s.sections[0].position, Position { x: 500.0, y: 300.0 }, "a saved frame never moves");
    assert_eq!(s.player("kept").expect("kept").position, Position { x: 520.0, y: 348.0 }, "a saved position is kept");
    assert_well_placed(&s);
}

#[test]
fn empty_and_degenerate_scores_do_not_panic() {
    let mut empty = score(vec![], vec![], vec![]);
    assert!(!place_unplaced(&mut empty), "an empty score has nothing to place");

    let mut lonely = score(vec![section("x", Zone::Improver), section("y", Zone::Innovator)], vec![], vec![]);
    assert!(place_unplaced(&mut lonely));
    assert_well_placed(&lonely);

    // Duplicate ids, a cycle of cues without a limit, a cue to nowhere, and non-finite numbers.
    let mut odd_section = section("odd", Zone::Stabilizer);
    odd_section.position = Position { x: f64::NAN, y: f64::INFINITY };
    odd_section.size = Size { width: f64::NAN, height: -5.0 };
    let mut odd = score(
        vec![section("d", Zone::Improver), section("d", Zone::Innovator), odd_section],
        vec![player("a", Some("d")), player("a", Some("d")), player("b", None), player("c", Some("odd"))],
        vec![cue("a", "b", None), cue("b", "a", None), cue("b", "zzz", None)],
    );
    place_unplaced(&mut odd);
    assert!(odd.players.iter().all(|p| p.position != Position::default()), "every player got a place: {:?}", odd.players);
}

/// A small deterministic generator, so the random score is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn three_hundred_random_players_never_overlap() {
    let mut rng = Lcg(7);
    let sections: Vec<Section> = (0..24).map(|i| section(&format!("s{i}"), Zone::ALL[i % 4])).collect();
    let players: Vec<Player> = (0..300)
        .map(|i| {
            let home = match rng.below(5) {
                0 => None,
                1 => Some("missing".to_string()),
                _ => Some(format!("s{}", rng.below(20))),
            };
            player(&format!("p{i}"), home.as_deref())
        })
        .collect();
    let cues: Vec<Cue> = (0..600)
        .map(|_| {
            let limit = if rng.below(6) == 0 { Some(2) } else { None };
            cue(&format!("p{}", rng.below(300)), &format!("p{}", rng.below(310)), limit)
        })
        .collect();
    let mut s = score(sections, players, cues);
    let started = std::time::Instant::now();
    assert!(place_unplaced(&mut s));
    assert!(started.elapsed().as_secs() < 5, "placing 300 players must be quick, took {:?}", started.elapsed());
    assert_well_placed(&s);
}
