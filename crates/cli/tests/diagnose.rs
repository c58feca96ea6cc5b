//! `ensemble diagnose` and `ensemble survey` through the real binary and a real store file.

mod support;

use serde_json::Value;
use support::{examples, run, text};

fn metric<'a>(report: &'a Value, dimension: &str, id: &str) -> &'a Value {
    report["attunement"]
        .as_array()
        .expect("attunement is a list of dimensions")
        .iter()
        .find(|d| d["id"] == dimension)
        .and_then(|d| d["metrics"].as_array().expect("a dimension lists metrics").iter().find(|m| m["id"] == id))
        .unwrap_or_else(|| panic!("the report has {dimension}/{id}: {report}"))
}

#[test]
fn every_example_is_diagnosed_after_an_offline_performance_and_the_trend_grows() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let db = dir.path().join("store.sqlite3").display().to_string();
    for example in examples() {
        let file = dir.path().join(example.file_name().expect("an example has a file name"));
        std::fs::copy(&example, &file).expect("the example can be copied");
        let file = file.display().to_string();
        let score = ensemble_score::load(std::path::Path::new(&file)).expect("the example loads").score;

        let before = run(&["diagnose", &file, "--db", &db, "--format", "json"]);
        assert_eq!(before.status.code(), Some(0), "{}", text(&before.stderr));
        let before: Value = serde_json::from_slice(&before.stdout).expect("--format json prints one report");
        assert_eq!(before["performances"].as_array().map(Vec::len), Some(0), "nothing was performed yet");
        assert_eq!(before["alignment"]["players"].as_array().map(Vec::len), Some(score.players.len()), "every player is aligned");

        let played = run(&["run", &file, "--db", &db, "--offline", "--seed", "2"]);
        assert!(played.status.code() == Some(0) || played.status.code() == Some(1), "{}", text(&played.stderr));
        let after = run(&["diagnose", &file, "--db", &db, "--format", "json"]);
        assert_eq!(after.status.code(), Some(0), "{}", text(&after.stderr));
        let after: Value = serde_json::from_slice(&after.stdout).expect("--format json prints one report");
        assert_eq!(after["performances"].as_array().map(Vec::len), Some(1), "{file}: the offline performance is read");
        let same_song = metric(&after, "same_song", "same_song.shared_version");
        assert_eq!(same_song["value"].as_f64(), Some(1.0), "{file}: every cued player played from the starting context");
        let points = after["trend"].as_array().expect("a trend").iter().map(|line| line["points"].as_array().map(Vec::len).unwrap_or(0)).max();
        assert_eq!(points, Some(2), "{file}: the first diagnosis is in the trend of the second");

        let html = run(&["diagnose", &file, "--db", &db, "--format", "html"]);
        let html = text(&html.stdout);
        assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"), "{}", &html[..html.len().min(80)]);
        for player in &score.players {
            assert!(html.contains(&player.id) || html.contains(&player.name), "{file}: the report names {}", player.id);
        }
    }
}

#[test]
fn a_returned_survey_is_scored_and_kept_for_later_diagnoses() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let db = dir.path().join("store.sqlite3").display().to_string();
    let file = dir.path().join("trio.score.toml");
    std::fs::copy(support::feature_trio(), &file).expect("the example can be copied");
    let file = file.display().to_string();

    let sheet = dir.path().join("ann.survey.toml");
    let written = run(&["survey", "--person", "Ann", "-o", &sheet.display().to_string()]);
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
    let blank = std::fs::read_to_string(&sheet).expect("the survey file was written");
    assert!(blank.contains("person = \"Ann\"") && blank.contains("Scenario 6"), "{blank}");
    // Ann fills it in: all points on the first statement, and safety items 7,1,7,1,7,1,7 (items 1,
    // 3 and 5 are reverse-scored, so these answers say: safe on every item but 2, 4, 6 and 7).
    let filled = blank
        .replace("points = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]",
                 "points = [[10, 0, 0, 0], [10, 0, 0, 0], [10, 0, 0, 0], [10, 0, 0, 0], [10, 0, 0, 0], [10, 0, 0, 0]]")
        .replace("items = [4, 4, 4, 4, 4, 4, 4]", "items = [7, 1, 7, 1, 7, 1, 7]");
    assert_ne!(filled, blank, "the blank sheet has the expected answer lines");
    std::fs::write(&sheet, filled).expect("the sheet can be filled in");

    let before = now_ms();
    let out = run(&["diagnose", &file, "--db", &db, "--format", "json", "--survey", &sheet.display().to_string()]);
    let after = now_ms();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("one report");
    // Listed as someone who answered, with when the store kept the answers and what counted.
    let respondents = report["respondents"].as_array().expect("the report lists who answered");
    assert_eq!(respondents.len(), 1);
    assert_eq!((respondents[0]["person"].as_str(), respondents[0]["questionnaire"].as_bool(), respondents[0]["safety"].as_bool()), (Some("Ann"), Some(true), Some(true)));
    let kept = respondents[0]["answered_ms"].as_u64().expect("the store says when the answers were kept");
    assert!((before..=after).contains(&kept), "kept at {kept}, during the diagnosis ({before}..={after})");
    assert_eq!(respondents[0]["primary"], report["alignment"]["people"][0]["primary"], "the same primary zones as Ann's alignment");
    // Reverse-scored: 8-7, 1, 8-7, 1, 8-7, 1, 7 -> 1,1,1,1,1,1,7: mean 13/7.
    let mean = metric(&report, "voice", "voice.mean")["value"].as_f64().expect("one person answered");
    assert!((mean - 13.0 / 7.0).abs() < 1e-9, "mean {mean}");
    assert_eq!(report["alignment"]["people"].as_array().map(Vec::len), Some(1));

    // Kept: a later diagnosis without --survey still hears Ann.
    let later: Value = serde_json::from_slice(&run(&["diagnose", &file, "--db", &db, "--format", "json"]).stdout).expect("one report");
    assert_eq!(metric(&later, "voice", "voice.mean")["value"].as_f64(), Some(mean));
}

#[test]
fn a_broken_score_or_survey_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let db = dir.path().join("store.sqlite3").display().to_string();
    let broken = dir.path().join("broken.score.toml");
    std::fs::write(&broken, "format = 1\ntitle = \"Broken\"\n[intent]\ngoal = \"x\"\ncolour = \"blue\"\n").expect("writable");
    let out = run(&["diagnose", &broken.display().to_string(), "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("colour"), "{}", text(&out.stderr));

    let survey = dir.path().join("bad.survey.toml");
    std::fs::write(&survey, "[[people]]\nperson = \"\"\n").expect("writable");
    let out = run(&["diagnose", &support::feature_trio().display().to_string(), "--db", &db, "--survey", &survey.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no name"), "{}", text(&out.stderr));

    // How many performances to read is held to the engine's range, named in the message.
    let trio = support::feature_trio().display().to_string();
    for last in ["0", "1001", "ten"] {
        let out = run(&["diagnose", &trio, "--db", &db, "--last", last]);
        assert_eq!(out.status.code(), Some(2), "--last {last} is refused");
        assert!(text(&out.stderr).contains("a whole number from 1 to 1000"), "the message names the range: {}", text(&out.stderr));
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("the clock is after 1970").as_millis() as u64
}
