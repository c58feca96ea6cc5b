//! A CrewAI `llm` (a LiteLLM model string such as `ollama/llama3.1` or `anthropic/claude-…`)
//! mapped to an instrument of the score. Keys are referenced by the name of the environment
//! variable the provider reads; a key value is never carried over.

use ensemble_score::{AnthropicSettings, Instrument, KeyRef, OpenaiSettings, RehearsalSettings};

/// Where Ollama listens when it runs on this machine, with its OpenAI-compatible path.
pub const OLLAMA_URL: &str = "http://127.0.0.1:11434/v1";
pub const OPENAI_URL: &str = "https://api.openai.com/v1";
pub const OPENAI_KEY_ENV: &str = "OPENAI_API_KEY";
pub const ANTHROPIC_KEY_ENV: &str = "ANTHROPIC_API_KEY";

/// The instrument for a model string, or `None` when no instrument of the score plays it.
pub fn instrument(model: &str) -> Option<Instrument> {
    let model = model.trim();
    let (provider, name) = match model.split_once('/') {
        Some((provider, name)) => (provider.to_ascii_lowercase(), name.trim()),
        None => (String::new(), model),
    };
    if name.is_empty() {
        return None;
    }
    let openai = |base_url: &str, key: Option<KeyRef>| {
        Instrument::Openai(OpenaiSettings {
            base_url: base_url.into(),
            model: name.into(),
            key,
            ..Default::default()
        })
    };
    let anthropic = || {
        Instrument::Anthropic(AnthropicSettings {
            base_url: None,
            model: name.into(),
            temperature: None,
            max_tokens: None,
            key: KeyRef::Env(ANTHROPIC_KEY_ENV.into()),
            usd_per_mtok_in: None,
            usd_per_mtok_out: None,
        })
    };
    match provider.as_str() {
        "ollama" | "ollama_chat" => Some(openai(OLLAMA_URL, None)),
        "openai" => Some(openai(OPENAI_URL, Some(KeyRef::Env(OPENAI_KEY_ENV.into())))),
        "anthropic" => Some(anthropic()),
        "" if name.starts_with("gpt-") || is_openai_reasoning(name) => {
            Some(openai(OPENAI_URL, Some(KeyRef::Env(OPENAI_KEY_ENV.into()))))
        }
        "" if name.starts_with("claude-") => Some(anthropic()),
        _ => None,
    }
}

/// OpenAI's `o1`, `o3-mini`, `o4-mini`... names, which LiteLLM routes to OpenAI without a prefix.
fn is_openai_reasoning(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next() == Some('o') && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// The stand-in for a part whose model has no instrument yet.
pub fn rehearsal() -> Instrument {
    Instrument::Rehearsal(RehearsalSettings::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(model: &str) -> String {
        match instrument(model) {
            Some(Instrument::Openai(s)) => format!("openai {} {} {:?}", s.base_url, s.model, s.key),
            Some(Instrument::Anthropic(s)) => format!("anthropic {} {:?}", s.model, s.key),
            Some(other) => other.kind().to_string(),
            None => "none".into(),
        }
    }

    #[test]
    fn model_strings_map_to_instruments() {
        assert_eq!(
            described("ollama/llama3.1:8b"),
            "openai http://127.0.0.1:11434/v1 llama3.1:8b None"
        );
        assert_eq!(
            described("gpt-4o-mini"),
            "openai https://api.openai.com/v1 gpt-4o-mini Some(Env(\"OPENAI_API_KEY\"))"
        );
        assert_eq!(
            described("openai/o3-mini"),
            "openai https://api.openai.com/v1 o3-mini Some(Env(\"OPENAI_API_KEY\"))"
        );
        assert_eq!(
            described("o1"),
            "openai https://api.openai.com/v1 o1 Some(Env(\"OPENAI_API_KEY\"))"
        );
        assert_eq!(
            described("anthropic/claude-3-5-sonnet-latest"),
            "anthropic claude-3-5-sonnet-latest Env(\"ANTHROPIC_API_KEY\")"
        );
        assert_eq!(
            described("claude-3-haiku"),
            "anthropic claude-3-haiku Env(\"ANTHROPIC_API_KEY\")"
        );
        assert_eq!(
            described("groq/llama3-70b"),
            "none",
            "a provider without an instrument is not guessed"
        );
        assert_eq!(described("ollama/"), "none");
        assert_eq!(
            described("omni"),
            "none",
            "only o + digit is an OpenAI reasoning model"
        );
    }
}
