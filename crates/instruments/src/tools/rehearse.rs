//! Tools in rehearsal: a player with tools calls each of them once per attempt (up to its limit)
//! with empty arguments, through the same desk as a model, so approvals, events and limits are
//! exercised offline; the results are made up (see [`super::ToolDesk`]) and said to be.

use crate::Stage;

/// Makes the rehearsal's calls and returns one line per call for the rehearsed output.
pub(crate) async fn calls(stage: &Stage) -> String {
    let Some(desk) = &stage.tools else { return String::new() };
    let mut lines = String::new();
    for (n, spec) in desk.tools.iter().take(desk.limits.max_calls as usize).enumerate() {
        let id = format!("{}.{}.{}", stage.chorus, stage.attempt, n + 1);
        let answer = desk.call(&id, &spec.name, "{}", &stage.cancel).await;
        lines.push_str(&format!("Called {}: {}\n", spec.label(), answer.text));
    }
    lines
}

/// `output` with the call lines after its first line (the rehearsal label stays first).
pub(crate) fn after_label(output: String, lines: &str) -> String {
    if lines.is_empty() {
        return output;
    }
    match output.split_once('\n') {
        Some((label, rest)) => format!("{label}\n{lines}{rest}"),
        None => format!("{output}\n{lines}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::{ToolDesk, ToolLimits, ToolNote, rehearsal_tools};
    use ensemble_score::{Approval, ToolServer, Tools};
    use std::time::Duration;
    use tokio_util::sync::CancellationToken;

    #[tokio::test]
    async fn rehearsal_calls_each_named_tool_with_made_up_results_and_asks_where_the_score_says() {
        let mut server = ToolServer { id: "files".into(), program: Some("never-started".into()), ..Default::default() };
        server.allow = vec!["list".into(), "write".into()];
        server.approval.insert("list".into(), Approval::Allow);
        let tools = Tools { servers: vec![server], ..Tools::default() };
        let (notes, mut noted) = tokio::sync::mpsc::unbounded_channel();
        let limits = ToolLimits { max_calls: 5, timeout: Duration::from_secs(1), max_output_bytes: 100 };
        let desk = ToolDesk { toolbox: None, tools: rehearsal_tools(&tools), limits, notes };
        let stage = Stage {
            workspace: ".".into(),
            seed: 1,
            player: "p".into(),
            chorus: 2,
            attempt: 1,
            cancel: CancellationToken::new(),
            limits: crate::Limits::default(),
            tools: Some(desk),
        };
        let person = async {
            let mut seen = Vec::new();
            while let Some(note) = noted.recv().await {
                match note {
                    ToolNote::Waiting { tool, reply, .. } => {
                        seen.push(format!("waiting {tool}"));
                        let _ = reply.send(crate::tools::Decision::Approve);
                    }
                    ToolNote::Called { tool, rehearsal, .. } => seen.push(format!("called {tool} {rehearsal}")),
                    _ => {}
                }
                if seen.len() == 3 {
                    break;
                }
            }
            seen
        };
        let (lines, seen) = tokio::join!(calls(&stage), person);
        assert_eq!(seen, ["called files.list true", "waiting files.write", "called files.write true"], "write asks (the score sets nothing), list does not");
        assert_eq!(
            lines,
            "Called files.list: [rehearsal] made-up result of files.list for {}: no server was started\n\
             Called files.write: [rehearsal] made-up result of files.write for {}: no server was started\n"
        );
        assert_eq!(after_label("[rehearsal] p\nPart: x\n".into(), "Called a: b\n"), "[rehearsal] p\nCalled a: b\nPart: x\n");
    }
}
