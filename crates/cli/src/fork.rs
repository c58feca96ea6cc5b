//! `fork`: re-running a recorded performance from a player, through the operation the studio
//! uses too (`ensemble_api::fork`). Trust is asked as for `run`, and the new performance is
//! conducted, shown and recorded the same way.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ensemble_api::fork::{ForkRequest, prepare};

use crate::conduct::{Sink, check_people_can_answer, perform};
use crate::{Bounds, Hands, trust_prompt};

pub struct ForkArgs {
    pub id: String,
    pub player: String,
    pub db: PathBuf,
    pub score: Option<PathBuf>,
    pub offline: bool,
    pub trust: bool,
    pub hands: Hands,
    pub bounds: Bounds,
}

pub fn fork(args: ForkArgs) -> anyhow::Result<ExitCode> {
    let store = crate::inspect::open_existing(&args.db)?;
    let request = ForkRequest { performance: args.id.clone(), player: args.player.clone(), score_file: args.score.clone() };
    let fork = prepare(&store, &request)?;
    if !args.offline {
        check_people_can_answer(&fork.score, &args.hands)?;
        let file = fork.path.clone().unwrap_or_else(|| PathBuf::from("(recorded score)"));
        if !trust_prompt::confirm(&store, &fork.score, Path::new(&file), &fork.base_dir, args.trust)? {
            return Ok(ExitCode::from(2));
        }
    }
    let limits = args.bounds.limits()?;
    let carried: Vec<String> = fork.carried.iter().map(|c| c.player.clone()).collect();
    let sink = Sink::open(args.hands.events.as_deref())?;
    let staged = ensemble_api::fork::begin(&store, fork, args.offline)?.with_limits(limits);
    let note = if carried.is_empty() { "nothing carried over".to_string() } else { format!("carried over: {}", carried.join(", ")) };
    if sink_is_stdout(&args.hands) {
        eprintln!("fork {} of {} from {} ({note})", staged.id, args.id, args.player);
    } else {
        println!("fork {} of {} from {} ({note})", staged.id, args.id, args.player);
    }
    perform(staged, args.hands, sink)
}

fn sink_is_stdout(hands: &Hands) -> bool {
    hands.events.as_deref() == Some("-")
}
