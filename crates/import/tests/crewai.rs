//! Importing a small crew written for this test: every carried-over value checked, and every
//! part that cannot be carried over found in the report.

use std::path::{Path, PathBuf};

use ensemble_import::{ImportSource, import, locate_crew};
use ensemble_score::{Instrument, KeyRef, When};

const AGENTS: &str = r#"
# A crew as `crewai create crew` lays it out, with a few settings the studio cannot carry.
researcher:
  role: >
    {topic} Senior Data Researcher
  goal: Uncover developments in {topic}
  backstory: A seasoned researcher.
  llm: ollama/llama3.1
  tools:
    - SerperDevTool
  allow_delegation: true
  max_execution_time: 300
  verbose: true
writer:
  role: Technical Writer
  goal: Write clear reports
  backstory: Writes for engineers.
  llm: anthropic/claude-3-5-sonnet-latest
  memory: true
reviewer:
  role: Reviewer
  goal: Check the report
  backstory: Careful.
  llm: gpt-4o-mini
  max_retry_limit: 3
  allow_delegation: false
editor:
  role: Editor
  goal: Polish
  backstory: Picky.
  llm: groq/llama3-70b
"#;

const TASKS: &str = r#"
research_task:
  description: Research {topic}.
  expected_output: Ten bullet points.
  agent: researcher
  human_input: true
writing_task:
  description: Write the report.
  expected_output: A markdown report.
  agent: writer
  output_file: report.md
review_task:
  description: Review the report and the research.
  expected_output: A list of fixes.
  agent: reviewer
  context: [research_task, writing_task]
revise_task:
  description: Apply the fixes.
  expected_output: The final report.
  agent: writer
  async_execution: true
polish_task:
  description: Polish the wording.
  expected_output: Polished.
  agent: editor
  context: [missing_task]
  callback: notify
"#;

/// `ROOT/my_crew/src/my_crew/config/{agents,tasks}.yaml` and `crew.py`, as CrewAI lays them out.
fn crew(root: &Path, agents: &str, tasks: &str, crew_py: &str) -> PathBuf {
    let project = root.join("my_crew");
    let config = project.join("src/my_crew/config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("agents.yaml"), agents).unwrap();
    std::fs::write(config.join("tasks.yaml"), tasks).unwrap();
    std::fs::write(project.join("src/my_crew/crew.py"), crew_py).unwrap();
    project
}

fn notes_of(report: &ensemble_import::ImportReport, place: &str) -> Vec<String> {
    report
        .notes
        .iter()
        .filter(|n| n.place == place)
        .map(|n| n.message.clone())
        .collect()
}

#[test]
fn a_crew_becomes_players_cues_and_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let project = crew(
        dir.path(),
        AGENTS,
        TASKS,
        "crew = Crew(process=Process.sequential)\n",
    );
    let imported = import(&project).expect("the crew imports");
    let score = &imported.score;

    assert_eq!(imported.report.source, ImportSource::Crewai);
    assert_eq!(
        score.title, "My crew",
        "the title comes from the project folder"
    );
    assert_eq!(imported.stem, "my-crew");
    assert_eq!(score.sections.len(), 1);
    assert_eq!(score.sections[0].name, "My crew (sequential process)");
    assert_eq!(
        score.intent.done_when, "Polished.",
        "done when the last task's expected output is there"
    );

    let ids: Vec<&str> = score.players.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        ["researcher", "writer", "reviewer", "editor"],
        "one player per agent, in file order"
    );
    assert!(
        score
            .players
            .iter()
            .all(|p| p.section.as_deref() == Some("crew"))
    );

    let researcher = score.player("researcher").unwrap();
    match &researcher.instrument {
        Instrument::Openai(s) => {
            assert_eq!(
                (s.base_url.as_str(), s.model.as_str(), s.key.clone()),
                ("http://127.0.0.1:11434/v1", "llama3.1", None)
            );
        }
        other => {
            panic!("ollama/… should play on the local OpenAI-compatible endpoint, not {other:?}")
        }
    }
    assert_eq!(
        researcher.timeout_secs,
        Some(300),
        "max_execution_time carries over as the timeout"
    );
    assert!(
        researcher
            .part
            .starts_with("Role: {topic} Senior Data Researcher"),
        "the part opens with the role: {}",
        researcher.part
    );
    assert!(
        researcher
            .part
            .contains("Goal: Uncover developments in {topic}")
    );
    assert!(
        researcher
            .part
            .contains("Backstory: A seasoned researcher.")
    );
    assert!(
        researcher.part.contains(
            "Task research_task:\nResearch {topic}.\nExpected output: Ten bullet points."
        )
    );

    let writer = score.player("writer").unwrap();
    match &writer.instrument {
        Instrument::Anthropic(s) => assert_eq!(
            (s.model.as_str(), &s.key),
            (
                "claude-3-5-sonnet-latest",
                &KeyRef::Env("ANTHROPIC_API_KEY".into())
            )
        ),
        other => panic!("anthropic/… should play on Anthropic, not {other:?}"),
    }
    let first = writer
        .part
        .find("Task writing_task:")
        .expect("the writer's first task is in its part");
    let second = writer
        .part
        .find("Task revise_task:")
        .expect("the writer's second task is in its part");
    assert!(first < second, "tasks keep their order in the part");

    let reviewer = score.player("reviewer").unwrap();
    match &reviewer.instrument {
        Instrument::Openai(s) => assert_eq!(
            (s.base_url.as_str(), s.model.as_str(), s.key.clone()),
            (
                "https://api.openai.com/v1",
                "gpt-4o-mini",
                Some(KeyRef::Env("OPENAI_API_KEY".into()))
            )
        ),
        other => panic!("gpt-… should play on OpenAI, not {other:?}"),
    }
    assert_eq!(reviewer.retries, Some(3));
    assert_eq!(
        score.player("editor").unwrap().instrument.kind(),
        "rehearsal",
        "a provider without an instrument plays on rehearsal"
    );

    // Worked out by hand from the task order and contexts:
    // writing_task <- research_task (the task before it), review_task <- research_task and
    // writing_task (its context), revise_task <- review_task (the task before it, closing the
    // writer -> reviewer -> writer cycle), polish_task <- nothing (its context names no task).
    let cues: Vec<(&str, &str, bool, Option<u32>)> = score
        .cues
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str(), c.checkpoint, c.max_repeats))
        .collect();
    assert_eq!(
        cues,
        [
            ("researcher", "writer", true, None),
            ("researcher", "reviewer", true, None),
            ("writer", "reviewer", false, None),
            ("reviewer", "writer", false, Some(1)),
        ],
        "cues follow the tasks; human_input holds the research's hand-offs; the cue back is a loop cue"
    );
    assert!(score.cues.iter().all(|c| c.when == When::Always));
    assert_eq!((imported.report.players, imported.report.cues), (4, 4));

    let joined = |place| notes_of(&imported.report, place).join(" | ");
    assert!(
        joined("agent researcher").contains("tools SerperDevTool are not carried over"),
        "{}",
        joined("agent researcher")
    );
    assert!(joined("agent researcher").contains("allow_delegation"));
    assert!(
        !joined("agent researcher").contains("verbose"),
        "verbose changes nothing a score has, so it is not reported"
    );
    assert!(joined("agent writer").contains("`memory` is not carried over"));
    assert!(
        joined("agent reviewer").is_empty(),
        "allow_delegation: false and max_retry_limit carry over: {}",
        joined("agent reviewer")
    );
    assert!(joined("agent editor").contains("llm `groq/llama3-70b` has no matching instrument"));
    assert!(joined("task writing_task").contains("`output_file` is not carried over"));
    assert!(joined("task revise_task").contains("async_execution"));
    assert!(
        joined("task revise_task").contains("loop cue"),
        "the hand-back is explained: {}",
        joined("task revise_task")
    );
    assert!(joined("task polish_task").contains("missing_task"));
    assert!(joined("task polish_task").contains("`callback` is not carried over"));
    assert!(joined("crew").contains("inputs {topic} are filled in"));

    // The text is a normal score file: it parses back to the same score.
    assert_eq!(
        &ensemble_score::parse(&imported.text, None).expect("the written score loads"),
        score
    );
    assert!(
        score
            .players
            .iter()
            .all(|p| p.position.x != 0.0 || p.position.y != 0.0),
        "every player was placed on the canvas"
    );
}

#[test]
fn a_hierarchical_crew_and_a_task_without_agent_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = "plan:\n  description: Plan it.\n  expected_output: A plan.\n  human_input: true\n";
    let project = crew(
        dir.path(),
        "lead:\n  role: Lead\n  goal: Lead\n  backstory: Leads.\n",
        tasks,
        "Crew(process=Process.hierarchical)\n",
    );
    let imported = import(&project).unwrap();
    assert_eq!(
        imported.score.sections[0].name,
        "My crew (hierarchical process)"
    );
    assert_eq!(
        imported
            .score
            .players
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        ["lead", "manager"]
    );
    assert!(
        imported
            .score
            .player("manager")
            .unwrap()
            .part
            .contains("Task plan:")
    );
    let messages: Vec<String> = imported
        .report
        .notes
        .iter()
        .map(|n| format!("{}: {}", n.place, n.message))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("crew: hierarchical process")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("task plan: human_input: no hand-off follows")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("agent lead: no llm")),
        "{messages:?}"
    );
}

#[test]
fn either_file_or_the_config_folder_finds_the_crew() {
    let dir = tempfile::tempdir().unwrap();
    let project = crew(dir.path(), AGENTS, TASKS, "");
    let config = project.join("src/my_crew/config");
    let by_project = locate_crew(&project)
        .unwrap()
        .expect("the project folder is found");
    for path in [
        config.join("tasks.yaml"),
        config.join("agents.yaml"),
        config.clone(),
    ] {
        assert_eq!(
            locate_crew(&path).unwrap().as_ref(),
            Some(&by_project),
            "{} finds the same crew",
            path.display()
        );
    }
    assert_eq!(by_project.name, "my_crew");
    assert!(
        locate_crew(&dir.path().join("nothing-here.txt"))
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_key_in_the_llm_settings_is_never_carried() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";
    let agents = format!(
        "lead:\n  role: Lead\n  goal: Lead\n  backstory: Leads.\n  llm:\n    model: gpt-4o\n    api_key: {secret}\n"
    );
    let project = crew(
        dir.path(),
        &agents,
        "t:\n  description: Do.\n  expected_output: Done.\n  agent: lead\n",
        "",
    );
    let imported = import(&project).unwrap();
    assert!(
        !imported.text.contains(secret),
        "the key must not reach the score file"
    );
    let report = serde_json::to_string(&imported.report).unwrap();
    assert!(
        !report.contains(secret),
        "the key must not reach the report"
    );
    assert!(
        report.contains("llm settings api_key are not carried over"),
        "{report}"
    );
    match &imported.score.players[0].instrument {
        Instrument::Openai(s) => assert_eq!(
            s.key,
            Some(KeyRef::Env("OPENAI_API_KEY".into())),
            "the key is referenced by its variable"
        ),
        other => panic!("{other:?}"),
    }
}
