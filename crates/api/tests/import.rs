//! The import operation: a CrewAI project or a LangGraph graph written as a score file into the
//! chosen folder, and nothing written at all when the source is refused or the file exists.

use std::path::Path;

use ensemble_api::import::import;

fn crew(dir: &Path) {
    std::fs::write(dir.join("agents.yaml"), "planner:\n  role: Planner\n  goal: Plan\n  backstory: Plans.\n  llm: gpt-4o\n  tools: [Search]\ncoder:\n  role: Coder\n  goal: Code\n  backstory: Codes.\n  llm: ollama/qwen2.5-coder\n").unwrap();
    std::fs::write(dir.join("tasks.yaml"), "plan:\n  description: Plan.\n  expected_output: A plan.\n  agent: planner\ncode:\n  description: Code it.\n  expected_output: A patch.\n  agent: coder\n").unwrap();
}

fn listing(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_crew_is_written_as_a_score_that_loads() {
    let source = tempfile::tempdir().unwrap();
    let project = source.path().join("dev_team");
    std::fs::create_dir(&project).unwrap();
    crew(&project);
    let out = tempfile::tempdir().unwrap();
    let into = out.path().join("imported");

    let imported = import(&project.join("tasks.yaml"), &into).expect("the crew imports");
    assert_eq!(imported.score, into.join("dev-team.score.toml"));
    assert_eq!(
        listing(&into),
        ["dev-team.score.toml"],
        "the score and nothing else is written"
    );
    let loaded =
        ensemble_score::load(&imported.score).expect("the written file loads like any score");
    assert_eq!(
        loaded
            .score
            .players
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        ["planner", "coder"]
    );
    assert_eq!(
        loaded.score.cues.len(),
        1,
        "code takes the plan: planner -> coder"
    );
    let report = imported
        .report
        .expect("an import from another tool has a report");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.place == "agent planner" && n.message.contains("tools Search")),
        "{report:?}"
    );

    let again = import(&project, &into).unwrap_err().to_string();
    assert!(
        again.contains("already exists; nothing was imported or overwritten"),
        "{again}"
    );
    assert_eq!(
        std::fs::read_to_string(&imported.score).unwrap(),
        loaded.text,
        "the existing file is untouched"
    );
}

#[test]
fn a_refused_source_writes_nothing() {
    let source = tempfile::tempdir().unwrap();
    crew(source.path());
    // An alias bomb in tasks.yaml.
    let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for (prev, next) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .windows(2)
        .map(|w| (w[0], w[1]))
    {
        bomb.push_str(&format!(
            "{next}: &{next} [{}]\n",
            vec![format!("*{prev}"); 10].join(",")
        ));
    }
    std::fs::write(source.path().join("tasks.yaml"), bomb).unwrap();
    let out = tempfile::tempdir().unwrap();
    let into = out.path().join("never");
    let err = import(source.path(), &into).unwrap_err().to_string();
    assert!(err.contains("tasks.yaml is not valid YAML"), "{err}");
    assert!(
        !into.exists(),
        "not even the folder is made for a refused import"
    );

    let graph = source.path().join("graph.json");
    std::fs::write(&graph, [0u8, 159, 146, 150]).unwrap();
    assert!(
        import(&graph, &into)
            .unwrap_err()
            .to_string()
            .contains("is not text")
    );
    assert!(!into.exists());
}

#[test]
fn a_langgraph_graph_is_imported() {
    let source = tempfile::tempdir().unwrap();
    let graph = source.path().join("Support Bot.json");
    std::fs::write(&graph, r#"{"nodes":[{"id":"__start__"},{"id":"triage"},{"id":"answer"},{"id":"__end__"}],
        "edges":[{"source":"__start__","target":"triage"},{"source":"triage","target":"answer","conditional":true,"data":"simple"},
                 {"source":"triage","target":"__end__","conditional":true,"data":"escalate"},{"source":"answer","target":"__end__"}]}"#).unwrap();
    let out = tempfile::tempdir().unwrap();
    let imported = import(&graph, out.path()).unwrap();
    assert_eq!(imported.score, out.path().join("support-bot.score.toml"));
    let loaded = ensemble_score::load(&imported.score).unwrap();
    assert_eq!(loaded.score.cues.len(), 1);
    assert_eq!(
        loaded.score.cues[0].verdict.as_deref(),
        Some(r"(?m)^\s*NEXT:\s*(?:simple)\s*$")
    );
}

/// The browser tests show the report of a real import: `tests/ui/fixtures/crew-import.json` is
/// this operation's result on the crew beside it. When the import changes, this test rewrites
/// the fixture and fails once; commit the new fixture.
#[test]
fn the_browser_fixture_is_the_real_import_of_its_crew() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let crew = root.join("tests/ui/fixtures/crew-import");
    let out = tempfile::tempdir().unwrap();
    let imported = import(&crew.join("agents.yaml"), out.path()).expect("the fixture crew imports");
    let score = ensemble_score::load(&imported.score).expect("the written score loads").score;
    let fixture = serde_json::json!({ "score": score, "report": imported.report });
    let text = format!("{}\n", serde_json::to_string_pretty(&fixture).unwrap());
    let path = root.join("tests/ui/fixtures/crew-import.json");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != text {
        std::fs::write(&path, &text).expect("the fixture can be written");
        panic!("{} was out of date with the import; it was rewritten just now: review and commit it", path.display());
    }
}
