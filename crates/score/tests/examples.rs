//! The example scores load, validate on disk, and are canonical: saving gives back the same bytes.

use std::path::{Path, PathBuf};

use ensemble_score::{Instrument, Zone, load, parse, to_toml};

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/scores");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("assets/scores exists")
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".score.toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "expected at least three example scores in {}", dir.display());
    files
}

#[test]
fn every_example_round_trips_byte_for_byte() {
    for path in examples() {
        let loaded = load(&path).unwrap_or_else(|e| panic!("{} does not load: {e:?}", path.display()));
        let text = to_toml(&loaded.score, Some(&loaded.text)).expect("an example can be written");
        assert!(text == loaded.text, "{} is not canonical; canonical form:\n{text}", path.display());
    }
}

#[test]
fn every_example_runs_offline_and_its_loops_end() {
    let mut zones = std::collections::BTreeSet::new();
    for path in examples() {
        let score = load(&path).expect("examples load").score;
        for player in &score.players {
            zones.insert(score.zone_of(player).expect("every example player has a zone"));
            match &player.instrument {
                Instrument::Rehearsal(_) | Instrument::Human(_) => {}
                other => panic!("{}: player {} plays {}, not offline", path.display(), player.id, other.kind()),
            }
        }
        for cue in score.cues.iter().filter(|c| c.verdict.is_some()) {
            let from = score.player(&cue.from).expect("cues name players");
            let Instrument::Rehearsal(r) = &from.instrument else { continue };
            // Each verdict cue can fire on one of the rehearsal's verdict lines.
            let pattern = regex::Regex::new(cue.verdict.as_deref().expect("filtered above")).expect("valid");
            assert!(
                r.verdicts.iter().any(|v| pattern.is_match(&format!("...\nVERDICT: {v}"))),
                "{}: cue {} → {} never fires on the verdicts of {}",
                path.display(), cue.from, cue.to, from.id
            );
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        assert!(text.contains("http://127.0.0.1:11434/v1"), "{} shows how to use Ollama", path.display());
    }
    assert_eq!(zones.into_iter().collect::<Vec<_>>(), Zone::ALL.to_vec(), "the examples cover all four zones");
}

/// A score written by hand, in no particular order and style.
const UNTIDY: &str = r#"
title = 'Untidy'
format = 1
cues = [ { to = "b", from = "a", when = "success" } ]

[[players]]
part = "Line one\nLine two\n"
name = "B"
id = "b"
instrument = { kind = "rehearsal", latency_ms = 10 }
zone = "stabilizer"

[intent]
done_when = "Done"
goal    =    "Do it"

[[players]]
  id = "a"   # the first
  name = "A"
  zone = "innovator"
  part = "Say \"hi\""
  position.x = 3
  position.y = 4.5
  [players.instrument]
  kind = "openai"
  model = "llama3.2"
  base_url = "http://127.0.0.1:11434/v1"
  key.env = "OPENAI_API_KEY"
"#;

#[test]
fn formatting_an_untidy_score_reaches_a_fixed_point() {
    let score = parse(UNTIDY, None).expect("the untidy score is valid");
    let once = to_toml(&score, Some(UNTIDY)).expect("writable");
    let again = to_toml(&parse(&once, None).expect("canonical text loads"), Some(&once)).expect("writable");
    assert_eq!(once, again);
    assert_eq!(parse(&once, None).expect("canonical text loads"), score, "nothing is lost");
    assert!(once.starts_with("format = 1\ntitle = \"Untidy\"\n\n[intent]\ngoal = \"Do it\"\n"), "{once}");
    assert!(once.contains("part = \"\"\"\nLine one\nLine two\n\"\"\""), "{once}");
    assert!(once.contains("position = { x = 3.0, y = 4.5 }"), "{once}");
    assert!(once.contains("key = { env = \"OPENAI_API_KEY\" }"), "{once}");
    assert!(once.contains("name = \"A\" # the first") || once.contains("id = \"a\" # the first"), "{once}");
    let sections: Vec<usize> = ["[intent]", "[[players]]", "[players.instrument]", "[[cues]]"]
        .iter()
        .map(|h| once.find(h).unwrap_or_else(|| panic!("{h} missing in\n{once}")))
        .collect();
    assert!(sections.windows(2).all(|w| w[0] < w[1]), "tables in canonical order:\n{once}");
}

#[test]
fn saving_writes_the_file_atomically_and_reloads() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("untidy.score.toml");
    let score = parse(UNTIDY, None).expect("valid");
    ensemble_score::save(&path, &score, Some(UNTIDY)).expect("saved");
    let loaded = load(&path).expect("a saved score loads");
    assert_eq!(loaded.score, score);
    let names: Vec<_> = std::fs::read_dir(dir.path()).expect("listable").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(names.len(), 1, "no temporary file is left behind: {names:?}");
}

#[test]
fn a_value_toml_cannot_hold_is_an_error_not_a_panic() {
    let mut score = parse(UNTIDY, None).expect("valid");
    score.tempo.max_tokens = Some(u64::MAX);
    assert!(to_toml(&score, None).is_err());
}

#[test]
fn tricky_text_survives_a_save() {
    let mut score = parse(UNTIDY, None).expect("valid");
    let tricky = [
        "ends without a newline\nsecond line",
        "\nstarts with a newline\n",
        "quotes \"\"\" inside\nand ''' too\n",
        "back\\slash\tand tab\nand trailing space \n",
        "carriage\r\nreturn\n",
        "ünïcödé ✓ — and emoji 🎻\n",
        "'single' and \"double\" on one line",
        "",
    ];
    for text in tricky {
        score.players[0].part = text.to_string();
        score.intent.constraints = text.to_string();
        let written = to_toml(&score, None).expect("writable");
        let back = parse(&written, None).unwrap_or_else(|p| panic!("{p:#?}\n{written}"));
        assert_eq!(back, score, "{written}");
        assert_eq!(to_toml(&back, Some(&written)).expect("writable"), written);
    }
}
