//! Prices: the bundled table on providers' own hosts, an instrument's own prices over it, and
//! nothing charged for local servers, rehearsal, programs or people. Values worked out by hand.

use ensemble_instruments::{Usage, cost_of, listed_price};
use ensemble_score::{
    AnthropicSettings, CommandSettings, Instrument, KeyRef, OpenaiSettings, RehearsalSettings,
};

fn openai(base_url: &str, model: &str) -> OpenaiSettings {
    OpenaiSettings {
        base_url: base_url.into(),
        model: model.into(),
        ..OpenaiSettings::default()
    }
}

fn anthropic(model: &str) -> AnthropicSettings {
    AnthropicSettings {
        base_url: None,
        model: model.into(),
        temperature: None,
        max_tokens: None,
        key: KeyRef::Env("ANTHROPIC_API_KEY".into()),
        usd_per_mtok_in: None,
        usd_per_mtok_out: None,
    }
}

fn usage(input_tokens: u64, output_tokens: u64) -> Usage {
    Usage {
        input_tokens,
        output_tokens,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn a_listed_model_on_its_providers_host_costs_its_listed_price() {
    // gpt-4o: $2.50 in, $10 out per million. 1,200 in = $0.003; 350 out = $0.0035.
    let cost = cost_of(
        &Instrument::Openai(openai("https://api.openai.com/v1", "gpt-4o")),
        &usage(1_200, 350),
    );
    assert!(
        close(cost, 0.0065),
        "1,200 in and 350 out on gpt-4o cost $0.0065, got {cost}"
    );
    // claude-sonnet-4-5 with a date: $3 in, $15 out. 2,000 in = $0.006; 1,000 out = $0.015.
    let cost = cost_of(
        &Instrument::Anthropic(anthropic("claude-sonnet-4-5-20250929")),
        &usage(2_000, 1_000),
    );
    assert!(
        close(cost, 0.021),
        "a dated Claude id is priced as its model: expected $0.021, got {cost}"
    );
}

#[test]
fn the_same_model_on_a_local_server_costs_nothing() {
    let cost = cost_of(
        &Instrument::Openai(openai("http://127.0.0.1:11434/v1", "gpt-4o")),
        &usage(1_000_000, 1_000_000),
    );
    assert_eq!(
        cost, 0.0,
        "a model name on a local server is not billed by its provider"
    );
    assert_eq!(
        listed_price("127.0.0.1", "gpt-4o"),
        None,
        "the table prices providers' hosts only"
    );
}

#[test]
fn an_instruments_own_price_overrides_the_table_each_on_its_own() {
    // Output at $20 instead of $10; input stays at the listed $2.50: $0.003 + 350 * 20 / 1e6 = $0.01.
    let settings = OpenaiSettings {
        usd_per_mtok_out: Some(20.0),
        ..openai("https://api.openai.com/v1", "gpt-4o")
    };
    let cost = cost_of(&Instrument::Openai(settings), &usage(1_200, 350));
    assert!(
        close(cost, 0.010),
        "the stated output price replaces the listed one: expected $0.01, got {cost}"
    );
    // A local model with stated prices is billed at them: 500 * 1 / 1e6 + 250 * 4 / 1e6 = $0.0015.
    let settings = OpenaiSettings {
        usd_per_mtok_in: Some(1.0),
        usd_per_mtok_out: Some(4.0),
        ..openai("http://127.0.0.1:8080/v1", "mine")
    };
    let cost = cost_of(&Instrument::Openai(settings), &usage(500, 250));
    assert!(close(cost, 0.0015), "expected $0.0015, got {cost}");
}

#[test]
fn rehearsal_programs_and_unlisted_models_cost_nothing() {
    let lots = usage(10_000_000, 10_000_000);
    assert_eq!(
        cost_of(&Instrument::Rehearsal(RehearsalSettings::default()), &lots),
        0.0
    );
    assert_eq!(
        cost_of(
            &Instrument::Command(CommandSettings {
                program: "sh".into(),
                ..CommandSettings::default()
            }),
            &lots
        ),
        0.0
    );
    assert_eq!(
        cost_of(
            &Instrument::Openai(openai("https://api.openai.com/v1", "a-model-nobody-listed")),
            &lots
        ),
        0.0
    );
}
