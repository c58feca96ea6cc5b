//! `ensemble tools FILE`: every player's tools as their servers report them, after the same
//! trust question as `run` (starting a stdio server runs a program).

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use ensemble_score::LoadError;
use ensemble_store::Store;

use crate::score_files::problem_line;
use crate::trust_prompt;

pub fn list(file: &Path, db: &Path, trust: bool) -> anyhow::Result<ExitCode> {
    let score = match ensemble_score::load(file) {
        Ok(loaded) => loaded.score,
        Err(LoadError::Invalid { problems, .. }) => {
            for problem in &problems {
                eprintln!("{}", problem_line(file, problem));
            }
            eprintln!("ensemble: error: {} has problems; no server was started", file.display());
            return Ok(ExitCode::from(2));
        }
        Err(LoadError::Io { source, .. }) => bail!("cannot read {}: {source}", file.display()),
    };
    if score.players.iter().all(|p| p.tools.servers.is_empty()) {
        println!("no player in {} has tools", file.display());
        return Ok(ExitCode::SUCCESS);
    }
    let store = Store::open(db)?;
    let score_dir = ensemble_api::folder::of(Some(file));
    if !trust_prompt::confirm(&store, &score, file, &score_dir, trust)? {
        return Ok(ExitCode::from(2));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let listed = runtime.block_on(ensemble_api::tools::list(&store, &score, &score_dir))?;
    let mut failed = false;
    for player in listed {
        println!("{}", player.player);
        if let Some(error) = &player.error {
            failed = true;
            println!("  could not list its tools: {error}");
            continue;
        }
        let width = player.tools.iter().map(|t| t.label().chars().count()).max().unwrap_or(0);
        for tool in &player.tools {
            let approval = if tool.ask { "asks" } else { "runs" };
            let description = first_sentence(&tool.description);
            println!("  {:<width$}  {approval}  {description}", tool.label());
        }
        if player.tools.is_empty() {
            println!("  (its servers offer no tool it may call)");
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The first sentence of a tool's description (servers write paragraphs), on one line.
fn first_sentence(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.find(". ") {
        Some(end) => line[..=end].to_string(),
        None => line,
    }
}
