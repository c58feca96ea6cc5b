//! `ensemble import` of a CrewAI project and a LangGraph graph through the real binary: the score
//! file written, its path printed, the report listed; refused sources write nothing.

mod support;

use support::{run, text};

#[test]
fn a_crew_is_imported_and_its_report_printed() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let config = dir.path().join("news_crew/config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("agents.yaml"),
        "scout:\n  role: Scout\n  goal: Find news\n  backstory: Reads a lot.\n  llm: claude-3-5-haiku-latest\n  tools: [WebSearch]\n\
         editor:\n  role: Editor\n  goal: Edit\n  backstory: Cuts words.\n  llm: mistral/mistral-large\n",
    )
    .unwrap();
    std::fs::write(
        config.join("tasks.yaml"),
        "find:\n  description: Find three stories.\n  expected_output: Three links.\n  agent: scout\n  human_input: true\n\
         edit:\n  description: Write the digest.\n  expected_output: A digest.\n  agent: editor\n  output_file: digest.md\n",
    )
    .unwrap();
    let into = dir.path().join("scores");
    let out = run(&[
        "import",
        &config.join("agents.yaml").display().to_string(),
        "--into",
        &into.display().to_string(),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let written = into.join("news-crew.score.toml");
    assert_eq!(
        text(&out.stdout).trim(),
        written.display().to_string(),
        "the score's path is printed"
    );
    assert!(
        stderr.contains("imported 2 player(s) and 1 cue(s)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  agent scout: tools WebSearch are not carried over"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  agent editor: llm `mistral/mistral-large` has no matching instrument"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  task edit: `output_file` is not carried over"),
        "{stderr}"
    );

    let score = ensemble_score::load(&written)
        .expect("the written score loads")
        .score;
    assert_eq!(score.title, "News crew");
    assert_eq!(
        score.player("scout").unwrap().instrument.kind(),
        "anthropic"
    );
    assert!(
        score.cues[0].checkpoint,
        "human_input on `find` holds its hand-off to the editor"
    );

    let again = run(&[
        "import",
        &config.display().to_string(),
        "--into",
        &into.display().to_string(),
    ]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "a second import would overwrite the first"
    );
    assert!(
        text(&again.stderr).contains("already exists"),
        "{}",
        text(&again.stderr)
    );
}

#[test]
fn a_graph_is_imported_and_hostile_files_are_refused_with_nothing_written() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let graph = dir.path().join("review.json");
    std::fs::write(
        &graph,
        r#"{"nodes":[{"id":"__start__"},{"id":"draft"},{"id":"review"},{"id":"__end__"}],
            "edges":[{"source":"__start__","target":"draft"},{"source":"draft","target":"review"},
                     {"source":"review","target":"draft","conditional":true,"data":"revise"},
                     {"source":"review","target":"__end__","conditional":true,"data":"accept"}]}"#,
    )
    .unwrap();
    let into = dir.path().join("out");
    let out = run(&[
        "import",
        &graph.display().to_string(),
        "--into",
        &into.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let score = ensemble_score::load(&into.join("review.score.toml"))
        .expect("the graph's score loads")
        .score;
    let back = score
        .cues
        .iter()
        .find(|c| c.from == "review")
        .expect("review hands back to draft");
    assert_eq!(back.max_repeats, Some(3), "the review loop is bounded");

    let refused = dir.path().join("refused");
    for (name, bytes) in [
        (
            "bomb.json",
            format!(
                "{{\"nodes\": {}1{}, \"edges\": []}}",
                "[".repeat(5000),
                "]".repeat(5000)
            )
            .into_bytes(),
        ),
        ("binary.json", vec![0x7f, b'E', b'L', b'F', 0, 0, 1]),
        ("huge.json", vec![b' '; 2 * 1024 * 1024]),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = run(&[
            "import",
            &file.display().to_string(),
            "--into",
            &refused.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out.stderr));
        assert!(
            !text(&out.stderr).is_empty(),
            "{name} is refused with a message"
        );
        assert!(
            !refused.exists(),
            "{name}: nothing is written for a refused import"
        );
    }
}
