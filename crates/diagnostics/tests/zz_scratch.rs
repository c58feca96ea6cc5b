mod common;
use common::*;
use ensemble_conductor::{Conductor, MemoryJournal, Options};
use ensemble_diagnostics::*;

#[tokio::test]
async fn scratch() {
    let text = std::fs::read_to_string("/work/main/assets/scores/feature-trio.score.toml").unwrap();
    let s = score(&text);
    let mut perfs = vec![];
    for i in 0..3 {
        let options = Options { performance: Some(format!("perf{i}")), base_dir: std::path::PathBuf::from("/work/main/assets/scores"), seed: i, offline: true, prior: Vec::new() };
        let mut c = Conductor::new(s.clone(), options, Box::new(MemoryJournal::default()));
        let mut rx = c.subscribe();
        c.run().await;
        let mut ev = vec![];
        while let Ok(e) = rx.try_recv() { ev.push(e); }
        perfs.push(Performance { id: format!("perf{i}"), events: ev });
    }
    let people = vec![PersonAnswers { person: "Ann".into(), alignment: None, safety: Some(SafetyAnswers { items: vec![3,5,2,4,3,5,6] }) }];
    let first = diagnose(&Input { created_ms: Some(1), ..Input::new(s.clone()) });
    let r = diagnose(&Input { performances: perfs, people, history: vec![first.record], created_ms: None, score: s });
    std::fs::write("/tmp/diag.txt", render_text(&r)).unwrap();
    std::fs::write("/tmp/diag.html", render_html(&r, None)).unwrap();
    std::fs::write("/tmp/diag.json", serde_json::to_string_pretty(&r).unwrap()).unwrap();
}
