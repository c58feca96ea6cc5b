//! `ensemble tools FILE`: every player's tools as their servers report them, after the same
//! trust question as `run` (starting a stdio server runs a program).
//!
//! `ensemble tools FILE --server PLAYER.SERVER` is the inspector's "Test connection" at the
//! terminal: every tool that one server offers, not only those the player may call, so a person
//! can choose which to name in `allow` and which should ask.

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use ensemble_api::ApiError;
use ensemble_instruments::tools::OfferedTool;
use ensemble_score::{LoadError, Score, ToolServer};
use ensemble_store::Store;

use crate::printable::printable;
use crate::score_files::problem_line;
use crate::trust_prompt;

pub fn list(file: &Path, db: &Path, trust: bool) -> anyhow::Result<ExitCode> {
    let Some(score) = load(file)? else {
        return Ok(ExitCode::from(2));
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
        let width = player.tools.iter().map(|t| printable(&t.label()).chars().count()).max().unwrap_or(0);
        for tool in &player.tools {
            let approval = if tool.ask { "asks" } else { "runs" };
            let description = printable(&first_sentence(&tool.description));
            println!("  {:<width$}  {approval}  {description}", printable(&tool.label()));
        }
        if player.tools.is_empty() {
            println!("  (its servers offer no tool it may call)");
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// One tool server of one player, as `--server PLAYER.SERVER` names it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerName {
    pub player: String,
    pub server: String,
}

/// Splits `PLAYER.SERVER` at its last dot: a server's id holds no dot (only letters, digits,
/// `-` and `_`), a player's id may.
pub fn parse_server(text: &str) -> Result<ServerName, String> {
    match text.rsplit_once('.') {
        Some((player, server)) if !player.is_empty() && !server.is_empty() => {
            Ok(ServerName { player: player.to_string(), server: server.to_string() })
        }
        _ => Err(format!("expected PLAYER.SERVER, a player's id and one of its tool servers' ids, e.g. surveyor.files; got {text:?}")),
    }
}

/// Starts or reaches one tool server of one player, lists every tool it offers with what the
/// player's settings make of each, and stops it. A program runs, and a key is sent, only after
/// the trust question (asked only when the server needs it, so a mistyped name is said first).
pub fn test_server(file: &Path, db: &Path, trust: bool, name: &ServerName) -> anyhow::Result<ExitCode> {
    let Some(score) = load(file)? else {
        return Ok(ExitCode::from(2));
    };
    let store = Store::open(db)?;
    let score_dir = ensemble_api::folder::of(Some(file));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let test = || runtime.block_on(ensemble_api::tools::test_server(&store, &score, &score_dir, &name.player, &name.server));
    let mut tested = test();
    if matches!(tested, Err(ApiError::Untrusted { .. } | ApiError::KeyNotTrusted { .. })) {
        if !trust_prompt::confirm(&store, &score, file, &score_dir, trust)? {
            return Ok(ExitCode::from(2));
        }
        tested = test();
    }
    let tested = match tested {
        Ok(tested) => tested,
        // The server could not be started, reached or asked: as for the listing, exit 1.
        Err(ApiError::Connection(message)) => {
            eprintln!("ensemble: error: {}", printable(&message));
            return Ok(ExitCode::from(1));
        }
        Err(error) => return Err(error.into()),
    };
    let Some(settings) = score.players.iter().find(|p| p.id == tested.player).and_then(|p| p.tools.servers.iter().find(|s| s.id == tested.server)) else {
        bail!("player `{}` has no tool server `{}`", name.player, name.server);
    };
    let offered: Vec<Offer> = tested.tools.iter().map(|tool| Offer::of(tool, settings)).collect();
    let allowed = offered.iter().filter(|o| o.allowed).count();
    let from = tested.server_info.as_deref().map(|info| format!(" ({})", printable(info))).unwrap_or_default();
    println!(
        "{}.{}{from}: {} tool{}, {} of them allowed",
        printable(&tested.player),
        printable(&tested.server),
        offered.len(),
        if offered.len() == 1 { "" } else { "s" },
        allowed
    );
    let width = offered.iter().map(|o| o.name.chars().count()).max().unwrap_or(0);
    for offer in &offered {
        let allowed = if offer.allowed { "allowed" } else { "not allowed" };
        let approval = if offer.asks { "asks" } else { "runs" };
        println!("  {:<width$}  {:<14}  {allowed:<11}  {approval}  {}", offer.name, offer.hint, offer.description);
    }
    if offered.is_empty() {
        println!("  (it offers no tools)");
    }
    let missing: Vec<String> = settings.allow.iter().filter(|a| !tested.tools.iter().any(|t| t.name == **a)).map(|a| printable(a)).collect();
    if !missing.is_empty() {
        println!("  allowed but not offered (a performance would stop at this): {}", missing.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// One offered tool as the listing prints it, every text already made printable.
struct Offer {
    name: String,
    /// What the server says the tool does to things: `reads only`, `changes things` or `may destroy`.
    hint: &'static str,
    /// The player's `allow` lets it call the tool (an empty `allow` lets it call every one).
    allowed: bool,
    /// A call would wait for a person: the score's `approval` for it, else what the server's hints imply.
    asks: bool,
    description: String,
}

impl Offer {
    fn of(tool: &OfferedTool, settings: &ToolServer) -> Offer {
        // Unmarked means "may change things", as the protocol's defaults and the approval have it.
        let hint = match (tool.read_only, tool.destructive) {
            (_, Some(true)) => "may destroy",
            (Some(true), _) => "reads only",
            _ => "changes things",
        };
        Offer {
            name: printable(&tool.name),
            hint,
            allowed: settings.allows(&tool.name),
            asks: settings.asks(&tool.name, tool.default_approval),
            description: printable(&first_sentence(&tool.description)),
        }
    }
}

/// The score in `file`, or `None` once its problems are printed (nothing was started).
fn load(file: &Path) -> anyhow::Result<Option<Score>> {
    match ensemble_score::load(file) {
        Ok(loaded) => Ok(Some(loaded.score)),
        Err(LoadError::Invalid { problems, .. }) => {
            for problem in &problems {
                eprintln!("{}", problem_line(file, problem));
            }
            eprintln!("ensemble: error: {} has problems; no server was started", file.display());
            Ok(None)
        }
        Err(LoadError::Io { source, .. }) => bail!("cannot read {}: {source}", file.display()),
    }
}

/// The first sentence of a tool's description (servers write paragraphs), on one line.
fn first_sentence(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.find(". ") {
        Some(end) => line[..=end].to_string(),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_is_named_after_the_last_dot() {
        let named = parse_server("team.lead.files").expect("a player's id may hold dots");
        assert_eq!((named.player.as_str(), named.server.as_str()), ("team.lead", "files"), "a server's id holds no dot, so the last one separates");
        for wrong in ["files", ".files", "surveyor."] {
            assert!(parse_server(wrong).is_err(), "{wrong:?} names no player and server");
        }
    }
}
