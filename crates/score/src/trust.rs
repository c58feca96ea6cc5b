//! What a score would run on this computer, and a fingerprint of it for trusting.
//!
//! A score from somewhere else is untrusted: its `command` instruments name programs that run with
//! the user's rights. Nothing here decides trust; it says what there is to trust. The fingerprint
//! covers every program, argument, working directory and passed-through variable, so trusting a
//! score once does not silently trust a later edit that runs something else.

use sha2::{Digest, Sha256};

use crate::{Instrument, Score};

/// Each program the score runs, as `player: program arg…`, in score order.
pub fn programs(score: &Score) -> Vec<String> {
    score
        .players
        .iter()
        .filter_map(|player| match &player.instrument {
            Instrument::Command(command) => {
                let mut line = format!("{}: {}", player.id, command.program);
                for arg in &command.args {
                    line.push(' ');
                    line.push_str(arg);
                }
                Some(line)
            }
            _ => None,
        })
        .collect()
}

/// `sha256:` and 16 hex digits over every command instrument, or `None` when the score runs no
/// program (and so needs no trust).
pub fn programs_fingerprint(score: &Score) -> Option<String> {
    let mut hasher = Sha256::new();
    let mut any = false;
    for player in &score.players {
        let Instrument::Command(command) = &player.instrument else { continue };
        any = true;
        // Length-prefixed fields, so no two different settings hash alike by concatenation.
        let fields = [player.id.as_str(), command.program.as_str(), command.cwd.as_deref().unwrap_or("")]
            .into_iter()
            .chain(command.args.iter().map(String::as_str))
            .chain(std::iter::once("\u{0}env"))
            .chain(command.env.iter().map(String::as_str));
        for field in fields {
            hasher.update((field.len() as u64).to_le_bytes());
            hasher.update(field.as_bytes());
        }
    }
    any.then(|| format!("sha256:{}", &hex::encode(hasher.finalize())[..16]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CommandSettings, Intent, Player, Position, RehearsalSettings, FORMAT_VERSION};

    fn score(instruments: Vec<Instrument>) -> Score {
        Score {
            format: FORMAT_VERSION,
            title: "t".into(),
            intent: Intent { goal: "g".into(), ..Intent::default() },
            context: Default::default(),
            tempo: Default::default(),
            sections: vec![],
            players: instruments
                .into_iter()
                .enumerate()
                .map(|(i, instrument)| Player {
                    id: format!("p{i}"),
                    name: format!("P{i}"),
                    section: None,
                    zone: Some(crate::Zone::Improver),
                    join: Default::default(),
                    timeout_secs: None,
                    retries: None,
                    position: Position::default(),
                    part: "x".into(),
                    instrument,
                })
                .collect(),
            cues: vec![],
        }
    }

    fn command(program: &str, args: &[&str]) -> Instrument {
        Instrument::Command(CommandSettings { program: program.into(), args: args.iter().map(|a| a.to_string()).collect(), ..Default::default() })
    }

    #[test]
    fn a_score_without_programs_needs_no_trust() {
        let s = score(vec![Instrument::Rehearsal(RehearsalSettings::default())]);
        assert_eq!(programs_fingerprint(&s), None);
        assert!(programs(&s).is_empty());
    }

    #[test]
    fn programs_are_listed_and_any_change_to_them_changes_the_fingerprint() {
        let base = score(vec![command("sh", &["-c", "echo hi"]), Instrument::Rehearsal(RehearsalSettings::default())]);
        assert_eq!(programs(&base), vec!["p0: sh -c echo hi".to_string()]);
        let print = programs_fingerprint(&base).expect("a score with a program has a fingerprint");
        assert_eq!(Some(print.clone()), programs_fingerprint(&base.clone()), "the fingerprint is stable");

        let other_args = score(vec![command("sh", &["-c", "rm -rf ~"]), Instrument::Rehearsal(RehearsalSettings::default())]);
        assert_ne!(programs_fingerprint(&other_args), Some(print.clone()));
        let split_differently = score(vec![command("sh", &["-c echo", "hi"]), Instrument::Rehearsal(RehearsalSettings::default())]);
        assert_ne!(programs_fingerprint(&split_differently), Some(print.clone()));
        let mut with_env = base.clone();
        if let Instrument::Command(c) = &mut with_env.players[0].instrument {
            c.env.push("AWS_SECRET_ACCESS_KEY".into());
        }
        assert_ne!(programs_fingerprint(&with_env), Some(print.clone()));

        let mut reworded = base.clone();
        reworded.players[0].part = "a different part".into();
        assert_eq!(programs_fingerprint(&reworded), Some(print), "editing a part does not ask for trust again");
    }
}
