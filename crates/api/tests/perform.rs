//! Performing and resuming through the operations layer, as both front ends do: what is recorded,
//! what trust refuses, and how an interrupted performance goes on.

use std::path::Path;

use ensemble_api::{ApiError, PerformRequest};
use ensemble_conductor::{Conductor, Event, EventKind, Journal, JournalError, Options};
use ensemble_store::{NewPerformance, Status, Store};

fn chain(players: &[&str], instrument: &str) -> String {
    let mut text = "# A chain, written by hand: spacing and comments as a person leaves them.\nformat = 1\ntitle   = \"Chain\"\n\n[intent]\ngoal = \"Pass a note down the line.\"\n".to_string();
    for id in players {
        text.push_str(&format!(
            "\n[[players]]\nid = \"{id}\"\nname = \"{id}\"\nzone = \"integrator\"\npart = \"Add a line.\"  # short on purpose\n\n\
             [players.instrument]\n{instrument}\n"
        ));
    }
    for pair in players.windows(2) {
        text.push_str(&format!("\n[[cues]]\nfrom = \"{}\"\nto = \"{}\"\n", pair[0], pair[1]));
    }
    text
}

const REHEARSAL: &str = "kind = \"rehearsal\"";
const PROGRAM: &str = "kind = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", \"cat\"]";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).expect("the test folder is writable");
    file
}

fn player_of(event: &Event) -> Option<&str> {
    match &event.kind {
        EventKind::PlayerCued { player, .. } | EventKind::PlayerFinished { player, .. } => Some(player),
        _ => None,
    }
}

#[test]
fn a_performance_records_the_files_own_text_and_its_absolute_path() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let text = chain(&["a", "b"], REHEARSAL);
    let file = write(dir.path(), "chain.score.toml", &text);
    let score = ensemble_score::load(&file).expect("the chain loads").score;

    let staged = ensemble_api::perform::begin(
        &store,
        PerformRequest { score: score.clone(), path: Some(file.clone()), offline: true, seed: 3 },
    )
    .expect("a valid score begins");
    assert_eq!(store.score_toml(&staged.id).expect("recorded"), text, "the file's own text, comments and spacing included");
    let summary = store.summary(&staged.id).expect("recorded");
    assert_eq!(summary.score_path.as_deref(), Some(file.display().to_string().as_str()));

    // The same file named relatively records the same absolute path.
    let relative = pathdiff(&file);
    let again = ensemble_api::perform::begin(&store, PerformRequest { score: score.clone(), path: Some(relative), offline: true, seed: 3 })
        .expect("a valid score begins");
    assert_eq!(store.summary(&again.id).expect("recorded").score_path, summary.score_path, "one path for one file");

    // An edited score records its canonical text, with the file's comments carried over.
    let mut edited = score;
    edited.players[0].part = "Add two lines.".into();
    let changed = ensemble_api::perform::begin(&store, PerformRequest { score: edited.clone(), path: Some(file), offline: true, seed: 3 })
        .expect("a valid score begins");
    let recorded = store.score_toml(&changed.id).expect("recorded");
    assert!(recorded.contains("Add two lines.") && recorded.contains("# A chain, written by hand"), "{recorded}");
    assert_eq!(ensemble_score::parse(&recorded, None).expect("the record parses"), edited, "what is recorded is what played");
}

#[test]
fn a_performance_of_a_loaded_file_records_what_one_begun_from_the_score_alone_records() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let text = chain(&["a", "b"], REHEARSAL);
    let file = write(dir.path(), "chain.score.toml", &text);
    let loaded = ensemble_score::load(&file).expect("the chain loads");
    let recorded_both_ways = |score: &ensemble_score::Score| {
        let request = PerformRequest { score: score.clone(), path: Some(file.clone()), offline: true, seed: 3 };
        let plain = ensemble_api::perform::begin(&store, request.clone()).expect("a valid score begins");
        let from_loaded = ensemble_api::perform::begin_loaded(&store, &loaded, request).expect("a valid score begins");
        let (plain, from_loaded) = (store.score_toml(&plain.id).expect("recorded"), store.score_toml(&from_loaded.id).expect("recorded"));
        assert_eq!(from_loaded, plain, "the text recorded must not depend on whether the file was loaded first");
        from_loaded
    };

    assert_eq!(recorded_both_ways(&loaded.score), text, "played as loaded: the file's own text");
    let mut placed = loaded.score.clone();
    assert!(ensemble_score::place_unplaced(&mut placed), "the chain has no canvas places of its own");
    assert_eq!(recorded_both_ways(&placed), text, "places filled in on opening are not a change");
    let mut edited = loaded.score.clone();
    edited.players[1].part = "Add the last line.".into();
    let recorded = recorded_both_ways(&edited);
    assert!(recorded.contains("Add the last line.") && recorded.contains("# A chain, written by hand"), "{recorded}");

    // A change made after loading is validated again: a dangling cue is refused, nothing recorded.
    let before = store.list().expect("the list reads").len();
    let mut broken = loaded.score.clone();
    broken.cues.push(ensemble_score::Cue { from: "a".into(), to: "nobody".into(), ..broken_cue() });
    let request = PerformRequest { score: broken, path: Some(file.clone()), offline: true, seed: 3 };
    let refused = ensemble_api::perform::begin_loaded(&store, &loaded, request);
    assert!(matches!(&refused, Err(ApiError::Invalid { problems }) if problems.iter().any(|p| p.message.contains("nobody"))), "a dangling cue is refused");
    assert_eq!(store.list().expect("the list reads").len(), before, "nothing was recorded");
}

/// `file` relative to the current directory, so the test names it the way a person at a shell would.
fn pathdiff(file: &Path) -> std::path::PathBuf {
    let cwd = std::env::current_dir().expect("the test runs in a folder");
    let mut up = std::path::PathBuf::new();
    for _ in cwd.components().skip(1) {
        up.push("..");
    }
    up.join(file.strip_prefix("/").expect("temporary folders are absolute"))
}

#[test]
fn a_score_with_problems_or_untrusted_programs_is_refused_and_nothing_is_recorded() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let file = write(dir.path(), "programs.score.toml", &chain(&["a"], PROGRAM));
    let score = ensemble_score::load(&file).expect("the score loads").score;

    let request = PerformRequest { score: score.clone(), path: Some(file.clone()), offline: false, seed: 1 };
    let Err(ApiError::Untrusted { reach }) = ensemble_api::perform::begin(&store, request.clone()) else {
        panic!("an untrusted program must be refused before anything is recorded")
    };
    assert_eq!(reach.len(), 1, "one program: {reach:?}");
    assert!(reach[0].starts_with("runs a: sh -c cat (in "), "the program, its arguments and its folder: {reach:?}");
    assert!(store.list().expect("the list reads").is_empty(), "nothing was recorded");

    let mut broken = score.clone();
    broken.cues.push(ensemble_score::Cue { from: "a".into(), to: "nobody".into(), ..broken_cue() });
    let refused = ensemble_api::perform::begin(&store, PerformRequest { score: broken, ..request.clone() });
    assert!(matches!(&refused, Err(ApiError::Invalid { .. })), "a dangling cue is refused");
    assert!(refused.err().expect("refused").to_string().contains("nobody"));

    ensemble_api::perform::begin(&store, PerformRequest { offline: true, ..request.clone() }).expect("rehearsal needs no trust");
    ensemble_api::trust::trust(&store, &score, dir.path(), Some(&file)).expect("trust is recorded");
    ensemble_api::perform::begin(&store, request).expect("trusted programs may run");
}

fn broken_cue() -> ensemble_score::Cue {
    ensemble_score::Cue {
        from: String::new(),
        to: String::new(),
        when: Default::default(),
        verdict: None,
        max_repeats: None,
        checkpoint: false,
    }
}

/// Records events until the first player finishes, then nothing: as if the process died there.
struct CutAfterFirstFinish {
    inner: Box<dyn Journal>,
    cut: bool,
}

impl Journal for CutAfterFirstFinish {
    fn append(&mut self, event: &Event) -> Result<(), JournalError> {
        if self.cut {
            return Ok(());
        }
        self.cut = matches!(event.kind, EventKind::PlayerFinished { .. });
        self.inner.append(event)
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime starts")
}

#[test]
fn an_interrupted_performance_resumes_without_replaying_its_finished_player() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let db = dir.path().join("store.sqlite3");
    // The process that began the performance, and this one, which resumes it once that died.
    let first = Store::open(&db).expect("a new store opens");
    let store = Store::open(&db).expect("a store opens again");
    let text = chain(&["a", "b", "c"], REHEARSAL);
    let file = write(dir.path(), "chain.score.toml", &text);
    let score = ensemble_score::parse(&text, Some(dir.path())).expect("the chain is a valid score");
    let id = "01JRESUMEDPERFORMANCE0000A".to_string();
    first
        .begin(&NewPerformance {
            id: id.clone(),
            title: score.title.clone(),
            score_path: Some(file.display().to_string()),
            score_toml: text.clone(),
            offline: false,
            seed: 7,
        })
        .expect("a performance can begin");

    // The first stretch: only the events up to a's finish reach the store.
    let journal = Box::new(CutAfterFirstFinish { inner: first.journal(&id).expect("journal"), cut: false });
    let options = Options { performance: Some(id.clone()), base_dir: dir.path().to_path_buf(), seed: 7, offline: false, prior: vec![] };
    runtime().block_on(Conductor::new(score, options, journal).run());
    let before = store.events(&id).expect("recorded events read back");
    assert!(before.iter().any(|e| matches!(&e.kind, EventKind::PlayerFinished { player, .. } if player == "a")));
    assert!(!before.iter().any(|e| matches!(e.kind, EventKind::PerformanceFinished { .. })), "cut before the end");

    // Its process is gone: refused while it looks alive, resumable once the owner is dead.
    let refused = ensemble_api::resume::resume(&store, &id).err().expect("a performance still owned by a live process is refused");
    assert!(refused.to_string().contains("still running"), "{refused}");
    drop(first);
    assert_eq!(store.summary(&id).expect("summary").status, Status::Interrupted);

    let staged = ensemble_api::resume::resume(&store, &id).expect("an interrupted performance can be resumed");
    let mut streamed = vec![];
    runtime().block_on(staged.run(|event| streamed.push(event)));

    let started = streamed
        .iter()
        .position(|e| matches!(e.kind, EventKind::PerformanceStarted { resumed: true, .. }))
        .expect("the resumed stretch says it is resumed");
    let after = &streamed[started..];
    assert!(
        !after.iter().any(|e| matches!(e.kind, EventKind::PlayerCued { .. }) && player_of(e) == Some("a")),
        "a had finished and is not played again: {after:?}"
    );
    assert!(after.iter().any(|e| matches!(e.kind, EventKind::PlayerCued { .. }) && player_of(e) == Some("c")));
    assert!(
        matches!(streamed.last().map(|e| &e.kind), Some(EventKind::PerformanceFinished { .. })),
        "run returns only once the finish has been forwarded"
    );

    let all = store.events(&id).expect("recorded events read back");
    assert_eq!(all[..before.len()], before[..], "the prior record is kept as it was");
    let seqs: Vec<u64> = all.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=all.len() as u64).collect::<Vec<_>>(), "seq goes on without gaps");
    for player in ["a", "b", "c"] {
        let times = all.iter().filter(|e| matches!(e.kind, EventKind::PlayerFinished { .. }) && player_of(e) == Some(player)).count();
        assert_eq!(times, 1, "{player} finished exactly once over both stretches");
    }
    let summary = store.summary(&id).expect("summary");
    assert_eq!((summary.status, summary.outcome.as_deref()), (Status::Finished, Some("succeeded")));

    let again = ensemble_api::resume::resume(&store, &id).err().expect("a finished performance is refused");
    assert!(again.to_string().contains("already finished"), "{again}");
}

#[test]
fn a_resume_refuses_programs_nobody_trusted() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let db = dir.path().join("store.sqlite3");
    let first = Store::open(&db).expect("a new store opens");
    let text = chain(&["a"], PROGRAM);
    let file = write(dir.path(), "programs.score.toml", &text);
    let id = "01JUNTRUSTEDRESUME00000000".to_string();
    // Recorded elsewhere (another store, or trust given there): this store never trusted it.
    first
        .begin(&NewPerformance {
            id: id.clone(),
            title: "Chain".into(),
            score_path: Some(file.display().to_string()),
            score_toml: text,
            offline: false,
            seed: 1,
        })
        .expect("a performance can begin");
    drop(first);
    let store = Store::open(&db).expect("the store opens again");

    let refused = ensemble_api::resume::resume(&store, &id).err().expect("untrusted programs do not run on resume");
    assert!(matches!(&refused, ApiError::Untrusted { reach } if reach.len() == 1 && reach[0].starts_with("runs a: sh -c cat")), "{refused}");
    assert_eq!(store.summary(&id).expect("summary").status, Status::Interrupted, "a refused resume claims nothing");
}

#[test]
fn an_unknown_performance_is_refused_with_its_id() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let error = ensemble_api::resume::resume(&store, "01NOSUCHPERFORMANCE").err().expect("nothing to resume");
    assert!(error.to_string().contains("01NOSUCHPERFORMANCE"), "{error}");
}
