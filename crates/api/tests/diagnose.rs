//! Diagnosing through the operations layer: how many recorded performances a diagnosis reads.

use ensemble_api::PerformRequest;
use ensemble_api::diagnose::{DiagnoseRequest, LAST_RANGE, diagnose};
use ensemble_store::Store;

const SCORE: &str = "format = 1\ntitle = \"Pair\"\n[intent]\ngoal = \"Hand a note on.\"\n\n\
    [[players]]\nid = \"a\"\nname = \"A\"\nzone = \"integrator\"\npart = \"Write a line.\"\n[players.instrument]\nkind = \"rehearsal\"\n\n\
    [[players]]\nid = \"b\"\nname = \"B\"\nzone = \"stabilizer\"\npart = \"Check it.\"\n[players.instrument]\nkind = \"rehearsal\"\n\n\
    [[cues]]\nfrom = \"a\"\nto = \"b\"\n";

#[test]
fn a_diagnosis_reads_the_latest_performances_asked_for_within_the_range() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let store = Store::open(&dir.path().join("store.sqlite3")).expect("a new store opens");
    let file = dir.path().join("pair.score.toml");
    std::fs::write(&file, SCORE).expect("the folder is writable");
    let score = ensemble_score::load(&file).expect("the score loads").score;
    let mut begun = vec![];
    for seed in 1..=3 {
        let request = PerformRequest { score: score.clone(), path: Some(file.clone()), offline: true, seed };
        begun.push(ensemble_api::perform::begin(&store, request).expect("a valid score begins").id);
    }

    let read = |last: usize| {
        let request = DiagnoseRequest { score: score.clone(), path: Some(file.clone()), last, survey: vec![], now_ms: 1 };
        diagnose(&store, request).expect("the diagnosis is made").performances
    };
    assert_eq!(read(2), begun[1..].to_vec(), "the latest two, oldest first");
    assert_eq!(*LAST_RANGE.start(), 1, "the least a diagnosis reads");
    assert_eq!(read(0), begun[2..].to_vec(), "below the range: the latest one, not none");
    assert_eq!(read(*LAST_RANGE.end() + 1), begun, "above the range: as many as the range allows, here all three");
}
