//! Checking an instrument before a performance: can it be reached, does it know the model.
//!
//! The inspector offers this as "test connection". Each check is the cheapest question that
//! proves the instrument would play: listing models costs nothing, spawning a program is avoided.
//! The answer is a sentence for a person; a failure is a [`PlayError`] classified like a failed
//! attempt, so the same words appear in the inspector and in a performance.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ensemble_score::{AnthropicSettings, CommandSettings, Instrument, OpenaiSettings};
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use crate::limits::{Limits, size_words};
use crate::{PlayError, anthropic, http, openai};

/// A check is a quick question: a server that takes longer than this is reported as not answering.
const CHECK_TIMEOUT: Duration = Duration::from_secs(15);
/// The largest model list read; a list of thousands of models is far smaller.
const MAX_LISTING_BYTES: usize = 4 << 20;

/// Checks that `instrument` can be reached and would play; says what was found.
pub async fn test_connection(instrument: &Instrument) -> Result<String, PlayError> {
    match instrument {
        Instrument::Rehearsal(_) => Ok("rehearsal plays offline; there is nothing to connect to".into()),
        Instrument::Human(_) => Ok("a person answers in the studio; there is nothing to connect to".into()),
        Instrument::Command(settings) => command(settings),
        Instrument::Openai(settings) => openai(settings).await,
        Instrument::Anthropic(settings) => anthropic(settings).await,
    }
}

fn command(settings: &CommandSettings) -> Result<String, PlayError> {
    let program = Path::new(&settings.program);
    if settings.program.trim().is_empty() {
        return Err(PlayError::fatal("no program is set"));
    }
    if program.components().count() > 1 {
        if program.is_absolute() && !program.is_file() {
            return Err(PlayError::fatal(format!("program {} does not exist", settings.program)));
        }
        let place = if program.is_absolute() { "" } else { " (inside the workspace)" };
        return Ok(format!("will run {}{place}", settings.program));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .find_map(|dir| executable(dir.join(program)))
        .map(|found| format!("found {} at {}", settings.program, found.display()))
        .ok_or_else(|| PlayError::fatal(format!("program {:?} was not found on PATH", settings.program)))
}

/// The file that running `candidate` would start, if there is one: on Unix a file with an
/// execute bit.
#[cfg(unix)]
fn executable(candidate: PathBuf) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    candidate.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).then_some(candidate)
}

/// The file that running `candidate` would start, if there is one: elsewhere (Windows) there is
/// no execute bit, and a name without an extension is started as `NAME.exe`, as std does.
#[cfg(not(unix))]
fn executable(candidate: PathBuf) -> Option<PathBuf> {
    let candidate = if candidate.extension().is_none() { candidate.with_extension("exe") } else { candidate };
    candidate.is_file().then_some(candidate)
}

async fn openai(settings: &OpenaiSettings) -> Result<String, PlayError> {
    let endpoint = settings.base_url.trim_end_matches('/');
    let key = openai::key(settings, endpoint)?;
    let url = format!("{endpoint}/models");
    let mut request = http::client().get(&url).timeout(CHECK_TIMEOUT);
    if let Some(key) = &key {
        http::check_key_transport(&url, endpoint)?;
        request = request.bearer_auth(key);
    }
    let models = list_models(request, endpoint, key.as_deref()).await?;
    if models.iter().any(|id| id == &settings.model) {
        Ok(format!("reached {endpoint}; model {} is listed", settings.model))
    } else {
        Ok(format!("reached {endpoint}, but model {} is not listed (listed: {})", settings.model, listing(&models)))
    }
}

async fn anthropic(settings: &AnthropicSettings) -> Result<String, PlayError> {
    let endpoint = anthropic::endpoint(settings);
    let key = anthropic::key(settings, &endpoint)?;
    // Retrieving one model's description is free and proves both the key and the model name.
    let url = format!("{endpoint}/v1/models/{}", settings.model);
    http::check_key_transport(&url, &endpoint)?;
    let request = http::client()
        .get(&url)
        .timeout(CHECK_TIMEOUT)
        .header("x-api-key", &key)
        .header("anthropic-version", anthropic::API_VERSION);
    let never = CancellationToken::new();
    let limits = Limits::default();
    let response = http::send(request, &endpoint, &limits, &never).await?;
    http::check_status(response, &endpoint, Some(&key), &limits, &never).await?;
    Ok(format!("reached {endpoint}; model {} is available", settings.model))
}

async fn list_models(request: reqwest::RequestBuilder, endpoint: &str, key: Option<&str>) -> Result<Vec<String>, PlayError> {
    #[derive(Deserialize)]
    struct Listing {
        data: Vec<Model>,
    }
    #[derive(Deserialize)]
    struct Model {
        id: String,
    }
    let never = CancellationToken::new();
    let limits = Limits::default();
    let response = http::send(request, endpoint, &limits, &never).await?;
    let response = http::check_status(response, endpoint, key, &limits, &never).await?;
    let body = http::read_body(response, MAX_LISTING_BYTES, &limits)
        .await
        .map_err(|e| PlayError::transient(format!("{endpoint}/models stopped answering: {e}")))?;
    if body.cut {
        return Err(PlayError::fatal(format!("{endpoint}/models answered with more than {} (not a model list)", size_words(MAX_LISTING_BYTES))));
    }
    let listing: Listing = serde_json::from_slice(&body.bytes)
        .map_err(|e| PlayError::fatal(format!("{endpoint}/models did not answer with a model list: {e}")))?;
    Ok(listing.data.into_iter().map(|m| m.id).collect())
}

fn listing(models: &[String]) -> String {
    match models.len() {
        0 => "none".to_string(),
        1..=8 => models.join(", "),
        n => format!("{} and {} more", models[..8].join(", "), n - 8),
    }
}
