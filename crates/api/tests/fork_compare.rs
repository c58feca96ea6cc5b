//! Forking and comparing through the operations layer, against a real SQLite store: a fork is
//! recorded with its link, carries the players before the chosen one, plays the rest, and can be
//! compared with the performance it came from (outputs word by word, the score line by line).

use std::path::{Path, PathBuf};

use ensemble_api::compare::{TextChangeKind, compare, previous};
use ensemble_api::fork::{ForkRequest, fork, prepare};
use ensemble_api::players::PlayerOutcome;
use ensemble_api::{ApiError, PerformRequest, Staged};
use ensemble_conductor::{Event, EventKind, Outcome};
use ensemble_store::Store;

/// a -> b -> c, each on rehearsal; `part_of_b` is b's part.
fn chain(part_of_b: &str) -> String {
    let mut text = "format = 1\ntitle = \"Chain\"\n\n[intent]\ngoal = \"Pass a note down the line.\"\n".to_string();
    for (id, part) in [("a", "Start the note."), ("b", part_of_b), ("c", "End the note.")] {
        text.push_str(&format!(
            "\n[[players]]\nid = \"{id}\"\nname = \"{id}\"\nzone = \"integrator\"\npart = \"{part}\"\n\n[players.instrument]\nkind = \"rehearsal\"\n"
        ));
    }
    text.push_str("\n[[cues]]\nfrom = \"a\"\nto = \"b\"\n\n[[cues]]\nfrom = \"b\"\nto = \"c\"\n");
    text
}

fn write(dir: &Path, text: &str) -> PathBuf {
    let file = dir.join("chain.score.toml");
    std::fs::write(&file, text).expect("the test folder is writable");
    file
}

fn conduct(staged: Staged) -> (Outcome, Vec<Event>) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime starts");
    let mut events = Vec::new();
    let outcome = runtime.block_on(staged.run(|e| events.push(e)));
    (outcome, events)
}

fn perform(store: &Store, file: &Path) -> String {
    let score = ensemble_score::load(file).expect("the chain loads").score;
    let staged = ensemble_api::perform::begin(store, PerformRequest { score, path: Some(file.to_path_buf()), offline: true, seed: 4 })
        .expect("a valid score begins");
    let id = staged.id.clone();
    assert_eq!(conduct(staged).0, Outcome::Succeeded);
    id
}

fn cued(events: &[Event]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerCued { player, .. } => Some(player.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_fork_with_the_current_file_plays_the_changed_player_onwards_and_compares_with_its_origin() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let file = write(dir.path(), &chain("Add a line."));
    let first = perform(&store, &file);

    // b's part is rewritten; the fork plays the file as it is now, from b.
    write(dir.path(), &chain("Add two lines."));
    let request = ForkRequest { performance: first.clone(), player: "b".into(), score_file: Some(file.clone()) };
    let staged = fork(&store, &request, true).expect("an offline fork needs no trust");
    let second = staged.id.clone();
    let (outcome, events) = conduct(staged);
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(cued(&events), ["b", "c"], "a is carried over, b and c play");
    assert!(events.iter().any(|e| matches!(&e.kind, EventKind::PlayerCarried { player, from_performance, .. } if player == "a" && from_performance == &first)));

    let summary = store.summary(&second).expect("the fork is recorded");
    assert_eq!((summary.forked_from.as_deref(), summary.forked_player.as_deref()), (Some(first.as_str()), Some("b")));
    assert_eq!(summary.outcome_summary.as_deref(), Some("succeeded, 1 carried over"));
    assert_eq!(summary.seed, 4, "a fork plays with the recorded performance's seed");
    assert!(store.score_toml(&second).expect("recorded").contains("Add two lines."), "the fork records the score it played");

    assert_eq!(previous(&store, &second).expect("listed"), Some(first.clone()), "the same file, started just before");
    assert_eq!(previous(&store, &first).expect("listed"), None);
    let comparison = compare(&store, &first, &second).expect("both are recorded");
    assert_eq!(comparison.players.iter().map(|p| p.player.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
    let a = &comparison.players[0];
    assert_eq!(a.right.as_ref().map(|r| r.outcome), Some(PlayerOutcome::Carried));
    assert!(!a.output_changed, "a carried output is the recorded one");
    let b = &comparison.players[1];
    assert_eq!((b.left.as_ref().map(|r| r.outcome), b.right.as_ref().map(|r| r.outcome)), (Some(PlayerOutcome::Finished), Some(PlayerOutcome::Finished)));
    // The rehearsal stand-in's output follows the part, so the rewritten part shows in the words.
    let rebuilt: String = b.output_changes.iter().filter(|c| c.kind != TextChangeKind::Delete).map(|c| c.text.as_str()).collect();
    assert_eq!(rebuilt, b.right.as_ref().expect("b played").output, "equal and inserted runs spell the right output");
    let removed: String = b.output_changes.iter().filter(|c| c.kind != TextChangeKind::Insert).map(|c| c.text.as_str()).collect();
    assert_eq!(removed, b.left.as_ref().expect("b played").output, "equal and deleted runs spell the left output");
    let changed: Vec<(TextChangeKind, &str)> =
        comparison.score_changes.iter().filter(|c| c.kind != TextChangeKind::Equal).map(|c| (c.kind, c.text.as_str())).collect();
    assert_eq!(
        changed,
        [(TextChangeKind::Delete, "part = \"Add a line.\"\n"), (TextChangeKind::Insert, "part = \"Add two lines.\"\n")],
        "exactly b's part line changed in the score"
    );
}

#[test]
fn a_fork_of_the_recorded_score_ignores_the_file_and_refuses_an_unknown_player() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let file = write(dir.path(), &chain("Add a line."));
    let first = perform(&store, &file);
    write(dir.path(), &chain("Something else entirely."));

    let request = ForkRequest { performance: first.clone(), player: "c".into(), score_file: None };
    let planned = prepare(&store, &request).expect("c is a player");
    assert_eq!(planned.carried.iter().map(|c| c.player.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert!(planned.score.players[1].part == "Add a line.", "the recorded score, not the file as it is now");
    let second = {
        let staged = ensemble_api::fork::begin(&store, planned, true).expect("offline");
        let id = staged.id.clone();
        assert_eq!(cued(&conduct(staged).1), ["c"]);
        id
    };
    assert_eq!(store.score_toml(&second).expect("recorded"), store.score_toml(&first).expect("recorded"), "the same text is recorded");
    let comparison = compare(&store, &first, &second).expect("both recorded");
    assert!(comparison.score_changes.is_empty(), "the same score: nothing changed");

    let wrong = ForkRequest { performance: first, player: "nobody".into(), score_file: None };
    match prepare(&store, &wrong) {
        Err(ApiError::UnknownPlayer { player, players }) => {
            assert_eq!(player, "nobody");
            assert_eq!(players, ["a", "b", "c"]);
        }
        other => panic!("an unknown player is refused, got {:?}", other.map(|f| f.player)),
    }
}

#[test]
fn a_fork_interrupted_before_it_played_resumes_carrying_the_same_players() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("store.sqlite3");
    let file = write(dir.path(), &chain("Add a line."));
    let (first, second) = {
        let store = Store::open(&db).expect("a new store opens");
        let first = perform(&store, &file);
        let request = ForkRequest { performance: first.clone(), player: "b".into(), score_file: None };
        // Recorded, then the process dies before conducting it.
        let staged = fork(&store, &request, true).expect("offline");
        (first, staged.id.clone())
    };
    let store = Store::open(&db).expect("the store opens again");
    assert_eq!(store.summary(&second).expect("recorded").status, ensemble_store::Status::Interrupted);
    let staged = ensemble_api::resume::resume(&store, &second).expect("an interrupted fork resumes");
    let (outcome, events) = conduct(staged);
    assert_eq!(outcome, Outcome::Succeeded);
    let carried: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PlayerCarried { player, from_performance, .. } if from_performance == &first => Some(player.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(carried, ["a"], "the resumed fork carries what the fork was made with");
    assert_eq!(cued(&events), ["b", "c"]);
}
