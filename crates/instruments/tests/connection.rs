//! "Test connection" against real servers on loopback and real programs.

mod common;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use ensemble_instruments::test_connection;
use ensemble_score::{AnthropicSettings, CommandSettings, HumanSettings, Instrument, KeyRef, OpenaiSettings, RehearsalSettings};
use serde_json::json;

async fn models_server() -> String {
    let router = Router::new().route(
        "/v1/models",
        get(|| async { axum::Json(json!({ "object": "list", "data": [{ "id": "smollm2", "object": "model" }, { "id": "qwen", "object": "model" }] })) }),
    );
    format!("{}/v1", common::serve(router).await)
}

fn openai(base_url: &str, model: &str) -> Instrument {
    Instrument::Openai(OpenaiSettings { base_url: base_url.into(), model: model.into(), ..OpenaiSettings::default() })
}

#[tokio::test]
async fn openai_reports_whether_the_model_is_listed() {
    let base = models_server().await;

    let listed = test_connection(&openai(&base, "smollm2")).await.expect("the server answers");
    let missing = test_connection(&openai(&base, "llama3")).await.expect("the server answers");

    assert_eq!(listed, format!("reached {base}; model smollm2 is listed"));
    assert!(missing.contains("model llama3 is not listed") && missing.contains("smollm2, qwen"), "{missing}");
}

#[tokio::test]
async fn openai_unreachable_is_an_error_naming_the_url() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("loopback has free ports").local_addr().expect("bound").port();
    let base = format!("http://127.0.0.1:{port}/v1");

    let error = test_connection(&openai(&base, "smollm2")).await.expect_err("nothing listens there");

    assert_eq!(error.message, format!("could not reach {base} (is the server running?)"));
}

#[tokio::test]
async fn anthropic_checks_the_key_and_the_model() {
    common::set_key_var();
    let router = Router::new().route(
        "/v1/models/{model}",
        get(|headers: HeaderMap, axum::extract::Path(model): axum::extract::Path<String>| async move {
            if headers.get("x-api-key").and_then(|v| v.to_str().ok()) != Some(common::KEY) {
                let body = json!({ "type": "error", "error": { "type": "authentication_error", "message": "invalid x-api-key" } });
                return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
            }
            if model != "claude-test" {
                let body = json!({ "type": "error", "error": { "type": "not_found_error", "message": format!("model: {model}") } });
                return (StatusCode::NOT_FOUND, axum::Json(body)).into_response();
            }
            axum::Json(json!({ "type": "model", "id": model, "display_name": "Claude Test" })).into_response()
        }),
    );
    let base = common::serve(router).await;
    let instrument = |model: &str| {
        Instrument::Anthropic(AnthropicSettings {
            base_url: Some(base.clone()),
            model: model.into(),
            temperature: None,
            max_tokens: None,
            key: KeyRef::Env(common::KEY_VAR.into()),
            usd_per_mtok_in: None,
            usd_per_mtok_out: None,
        })
    };

    let known = test_connection(&instrument("claude-test")).await.expect("key and model are right");
    let unknown = test_connection(&instrument("claude-nope")).await.expect_err("the model is unknown");

    assert_eq!(known, format!("reached {base}; model claude-test is available"));
    assert!(!unknown.transient);
    assert!(unknown.message.contains("404") && unknown.message.contains("model: claude-nope"), "{}", unknown.message);
}

#[tokio::test]
async fn command_checks_that_the_program_can_be_found() {
    let command = |program: &str| Instrument::Command(CommandSettings { program: program.into(), ..CommandSettings::default() });

    let found = test_connection(&command("sh")).await.expect("sh is on PATH");
    let missing = test_connection(&command("no-such-program-ensemble")).await.expect_err("there is no such program");

    assert!(found.starts_with("found sh at /"), "{found}");
    assert!(missing.message.contains("no-such-program-ensemble"), "{}", missing.message);
}

#[tokio::test]
async fn rehearsal_and_people_need_no_connection() {
    let rehearsal = test_connection(&Instrument::Rehearsal(RehearsalSettings::default())).await.expect("always fine");
    let human = test_connection(&Instrument::Human(HumanSettings::default())).await.expect("always fine");

    assert!(rehearsal.contains("offline"), "{rehearsal}");
    assert!(human.contains("person"), "{human}");
}
