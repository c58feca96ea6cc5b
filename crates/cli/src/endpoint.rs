//! `--endpoint URL --model NAME`: playing a score's model parts on one OpenAI-compatible server.
//!
//! This is how example scores, written with rehearsal stand-ins, are played on a local model.
//! Rehearsal and openai parts move to the endpoint; commands, people and Anthropic parts stay as
//! they are. A key named by the score is dropped: it belongs to the score's own server, and
//! sending it to another would hand it to whoever runs that one.

use ensemble_score::{Instrument, KeyRef, OpenaiSettings, Score};

pub fn play_on_endpoint(score: &mut Score, base_url: &str, model: &str, key_env: Option<&str>) {
    let key = key_env.map(|name| KeyRef::Env(name.to_string()));
    for player in &mut score.players {
        let settings = match &player.instrument {
            Instrument::Rehearsal(_) => OpenaiSettings::default(),
            Instrument::Openai(s) => OpenaiSettings { temperature: s.temperature, max_tokens: s.max_tokens, ..OpenaiSettings::default() },
            Instrument::Command(_) | Instrument::Anthropic(_) | Instrument::Human(_) => continue,
        };
        player.instrument =
            Instrument::Openai(OpenaiSettings { base_url: base_url.to_string(), model: model.to_string(), key: key.clone(), ..settings });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ensemble_score::{CommandSettings, Intent, Player, RehearsalSettings};

    fn player(id: &str, instrument: Instrument) -> Player {
        Player {
            id: id.into(),
            name: id.into(),
            section: None,
            zone: None,
            join: Default::default(),
            timeout_secs: None,
            retries: None,
            position: Default::default(),
            part: "p".into(),
            instrument,
            tools: Default::default(),
        }
    }

    #[test]
    fn model_parts_move_and_others_stay() {
        let command = Instrument::Command(CommandSettings { program: "cat".into(), ..Default::default() });
        let openai = Instrument::Openai(OpenaiSettings {
            base_url: "https://api.example.com/v1".into(),
            model: "big".into(),
            temperature: Some(0.2),
            key: Some(KeyRef::Env("EXAMPLE_KEY".into())),
            usd_per_mtok_in: Some(1.0),
            ..Default::default()
        });
        let mut score = Score {
            format: 1,
            title: "t".into(),
            intent: Intent { goal: "g".into(), ..Default::default() },
            context: Default::default(),
            tempo: Default::default(),
            sections: vec![],
            players: vec![
                player("r", Instrument::Rehearsal(RehearsalSettings::default())),
                player("o", openai),
                player("c", command.clone()),
            ],
            cues: vec![],
        };
        play_on_endpoint(&mut score, "http://127.0.0.1:9/v1", "tiny", None);
        let expected_r = OpenaiSettings { base_url: "http://127.0.0.1:9/v1".into(), model: "tiny".into(), ..Default::default() };
        assert_eq!(score.players[0].instrument, Instrument::Openai(expected_r.clone()));
        assert_eq!(score.players[1].instrument, Instrument::Openai(OpenaiSettings { temperature: Some(0.2), ..expected_r }));
        assert_eq!(score.players[2].instrument, command);
    }
}
