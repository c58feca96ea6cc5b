//! Importing a LangGraph graph description: the JSON `get_graph().to_json()` writes.

use ensemble_import::{ImportSource, import};
use ensemble_score::When;

/// An agent that calls tools in a loop and hands to a grader, as `to_json()` writes it.
const GRAPH: &str = r#"{
  "nodes": [
    {"id": "__start__", "type": "schema", "data": "__start__"},
    {"id": "agent", "type": "runnable", "data": {"id": ["langgraph", "utils", "RunnableCallable"], "name": "agent"}},
    {"id": "tools", "type": "runnable", "data": {"id": ["langgraph", "prebuilt", "ToolNode"], "name": "tools"}},
    {"id": "grade", "type": "runnable", "data": {"id": ["langgraph", "utils", "RunnableCallable"], "name": "grade_documents"}},
    {"id": "__end__", "type": "schema", "data": "__end__"}
  ],
  "edges": [
    {"source": "__start__", "target": "agent"},
    {"source": "agent", "target": "tools", "conditional": true, "data": "continue"},
    {"source": "agent", "target": "__end__", "conditional": true, "data": "end"},
    {"source": "tools", "target": "agent"},
    {"source": "agent", "target": "grade", "conditional": true},
    {"source": "grade", "target": "grade"}
  ]
}"#;

#[test]
fn nodes_become_players_and_conditional_edges_verdict_cues() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rag_agent.json");
    std::fs::write(&path, GRAPH).unwrap();
    let imported = import(&path).expect("the graph imports");
    let score = &imported.score;
    assert_eq!(imported.report.source, ImportSource::Langgraph);
    assert_eq!(score.title, "Rag agent");
    assert_eq!(imported.stem, "rag-agent");

    let players: Vec<(&str, &str, &str)> = score
        .players
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str(), p.instrument.kind()))
        .collect();
    assert_eq!(
        players,
        [
            ("agent", "Agent", "rehearsal"),
            ("tools", "Tools", "rehearsal"),
            ("grade", "Grade documents", "rehearsal")
        ]
    );

    // From, to, when, verdict pattern, repeat limit.
    type CueShape<'a> = (&'a str, &'a str, When, Option<&'a str>, Option<u32>);
    let cues: Vec<CueShape> = score
        .cues
        .iter()
        .map(|c| {
            (
                c.from.as_str(),
                c.to.as_str(),
                c.when,
                c.verdict.as_deref(),
                c.max_repeats,
            )
        })
        .collect();
    assert_eq!(
        cues,
        [
            (
                "agent",
                "tools",
                When::Verdict,
                Some(r"(?m)^\s*NEXT:\s*(?:continue)\s*$"),
                None
            ),
            ("tools", "agent", When::Always, None, Some(3)),
            (
                "agent",
                "grade",
                When::Verdict,
                Some(r"(?m)^\s*NEXT:\s*(?:grade)\s*$"),
                None
            ),
        ],
        "a conditional edge fires on its branch name (the target's id when it has no label); the edge back to the agent closes a loop"
    );
    let agent = score.player("agent").unwrap();
    assert!(
        agent
            .part
            .contains("`NEXT: <choice>`, where the choice is one of: continue, end, grade."),
        "{}",
        agent.part
    );

    let pattern = regex::Regex::new(score.cues[0].verdict.as_deref().unwrap()).unwrap();
    assert!(
        pattern.is_match("I need the search tool.\nNEXT: continue\n"),
        "the branch line the part asks for fires the cue"
    );
    assert!(
        !pattern.is_match("I will continue later.\nNEXT: end"),
        "another branch does not"
    );

    let places: Vec<String> = imported
        .report
        .notes
        .iter()
        .map(|n| format!("{}: {}", n.place, n.message))
        .collect();
    assert!(
        places
            .iter()
            .any(|m| m.starts_with("edge grade -> grade: a step that hands to itself")),
        "{places:?}"
    );
    assert!(
        places
            .iter()
            .any(|m| m.starts_with("edge tools -> agent: closes a loop")),
        "{places:?}"
    );
    assert!(
        places
            .iter()
            .any(|m| m.starts_with("node agent: the routing function")),
        "{places:?}"
    );
    assert_eq!(
        &ensemble_score::parse(&imported.text, None).expect("the written score loads"),
        score
    );
}

#[test]
fn json_that_is_not_a_graph_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("package.json");
    std::fs::write(&path, r#"{"name": "not-a-graph", "nodes": 3}"#).unwrap();
    let message = import(&path).unwrap_err().to_string();
    assert!(
        message.contains(
            "is not a LangGraph graph description: it needs a `nodes` list and an `edges` list"
        ),
        "{message}"
    );

    let only_ends = dir.path().join("empty.json");
    std::fs::write(
        &only_ends,
        r#"{"nodes": [{"id": "__start__"}, {"id": "__end__"}], "edges": []}"#,
    )
    .unwrap();
    assert!(
        import(&only_ends)
            .unwrap_err()
            .to_string()
            .contains("no node besides __start__ and __end__")
    );
}
