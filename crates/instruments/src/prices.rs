//! What a model costs: the bundled price table, overridden by an instrument's own prices.
//!
//! Cost is accounted for every attempt, failed ones included, so a budget sees what was really
//! spent. The table (`data/prices.toml`) names its source and the day its figures were read; it
//! only prices models on their providers' own hosts, because the same model name on a local or
//! self-hosted server costs nothing per token. An instrument that states `usd_per_mtok_in` or
//! `usd_per_mtok_out` is billed at that price instead (each on its own).

use std::collections::HashMap;
use std::sync::OnceLock;

use ensemble_score::{AnthropicSettings, Instrument, OpenaiSettings};
use serde::Deserialize;

use crate::Usage;

/// The table as bundled: checked by a test, so it always parses.
const TABLE: &str = include_str!("../data/prices.toml");

/// The host Anthropic's instrument talks to when the score names none.
const ANTHROPIC_HOST: &str = "api.anthropic.com";

/// Prices per million tokens, in US dollars.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
pub struct Price {
    pub input: f64,
    pub output: f64,
}

impl Price {
    /// What `usage` costs at this price, always a finite amount.
    pub fn cost(&self, usage: &Usage) -> f64 {
        usage.cost_usd(Some(self.input), Some(self.output))
    }
}

#[derive(Debug, Deserialize)]
struct Table {
    source: String,
    as_of: String,
    provider: Vec<Provider>,
}

#[derive(Debug, Deserialize)]
struct Provider {
    hosts: Vec<String>,
    models: HashMap<String, Price>,
}

fn table() -> &'static Table {
    static PARSED: OnceLock<Table> = OnceLock::new();
    // The text is compiled in and a unit test parses it, so this cannot fail at run time.
    PARSED.get_or_init(|| {
        toml::from_str(TABLE).expect("the bundled price table parses (see the prices test)")
    })
}

/// Where the bundled figures come from, and the day they were read: shown beside costs.
pub fn price_source() -> (&'static str, &'static str) {
    let table = table();
    (&table.source, &table.as_of)
}

/// The bundled price of `model` on `host`, if the table lists it (a dated model id falls back
/// to the model without its date).
pub fn listed_price(host: &str, model: &str) -> Option<Price> {
    let provider = table()
        .provider
        .iter()
        .find(|p| p.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)))?;
    provider
        .models
        .get(model)
        .or_else(|| provider.models.get(without_date(model)?))
        .copied()
}

/// `claude-sonnet-4-5-20250929` -> `claude-sonnet-4-5`; `gpt-4.1-2025-04-14` -> `gpt-4.1`.
fn without_date(model: &str) -> Option<&str> {
    let compact = model
        .rsplit_once('-')
        .filter(|(_, d)| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
        .map(|(m, _)| m);
    compact.or_else(|| {
        let (rest, day) = model.rsplit_once('-')?;
        let (rest, month) = rest.rsplit_once('-')?;
        let (base, year) = rest.rsplit_once('-')?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        (digits(year, 4) && digits(month, 2) && digits(day, 2)).then_some(base)
    })
}

fn host_of(url: &str) -> Option<String> {
    reqwest::Url::parse(url)
        .ok()?
        .host_str()
        .map(str::to_string)
}

/// The instrument's own prices over the listed ones; nothing listed and nothing stated is free.
fn effective(stated_in: Option<f64>, stated_out: Option<f64>, listed: Option<Price>) -> Price {
    let listed = listed.unwrap_or_default();
    Price {
        input: stated_in.unwrap_or(listed.input),
        output: stated_out.unwrap_or(listed.output),
    }
}

pub fn openai_price(settings: &OpenaiSettings) -> Price {
    let listed = host_of(&settings.base_url).and_then(|host| listed_price(&host, &settings.model));
    effective(settings.usd_per_mtok_in, settings.usd_per_mtok_out, listed)
}

pub fn anthropic_price(settings: &AnthropicSettings) -> Price {
    let host = settings
        .base_url
        .as_deref()
        .map_or_else(|| Some(ANTHROPIC_HOST.to_string()), host_of);
    let listed = host.and_then(|host| listed_price(&host, &settings.model));
    effective(settings.usd_per_mtok_in, settings.usd_per_mtok_out, listed)
}

/// The price `instrument` is billed at: rehearsal, programs and people cost nothing per token.
pub fn price_of(instrument: &Instrument) -> Price {
    match instrument {
        Instrument::Openai(s) => openai_price(s),
        Instrument::Anthropic(s) => anthropic_price(s),
        Instrument::Rehearsal(_) | Instrument::Command(_) | Instrument::Human(_) => {
            Price::default()
        }
    }
}

/// What `usage` cost on `instrument`: how the conductor prices failed and retried attempts.
pub fn cost_of(instrument: &Instrument, usage: &Usage) -> f64 {
    price_of(instrument).cost(usage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_table_parses_and_names_its_source_and_date() {
        let (source, as_of) = price_source();
        assert!(
            source.starts_with("https://"),
            "the table says where its figures come from: {source}"
        );
        assert!(
            jiff_like_date(as_of),
            "the table says the day its figures were read, as YYYY-MM-DD: {as_of}"
        );
        for provider in &table().provider {
            for (model, price) in &provider.models {
                assert!(
                    price.input >= 0.0
                        && price.output >= 0.0
                        && price.input.is_finite()
                        && price.output.is_finite(),
                    "{model} has a usable price"
                );
            }
        }
    }

    fn jiff_like_date(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && s.bytes().filter(u8::is_ascii_digit).count() == 8
    }

    #[test]
    fn dated_model_ids_fall_back_to_the_model() {
        assert_eq!(
            without_date("claude-sonnet-4-5-20250929"),
            Some("claude-sonnet-4-5")
        );
        assert_eq!(without_date("gpt-4.1-2025-04-14"), Some("gpt-4.1"));
        assert_eq!(without_date("gpt-4o"), None);
        assert_eq!(without_date("llama3.1-8b"), None);
    }
}
