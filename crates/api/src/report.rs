//! Reports of a recorded performance: a self-contained HTML page for people, OpenTelemetry traces
//! (OTLP JSON) for tracing tools, saved to a file or sent to an OTLP/HTTP endpoint.
//!
//! A report is made from the score recorded with the performance (not whatever the file says
//! now), so it describes the piece that was played. Like every export it is checked first for
//! what must not leave the machine: the recorded score's text is scanned, and the report is
//! refused with the findings until the person says to go on (`allow`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use ensemble_export::Finding;
use ensemble_store::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, resume};

/// What to make of a performance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportFormat {
    /// One HTML page that loads nothing from anywhere.
    Html,
    /// OpenTelemetry traces in the OTLP JSON encoding.
    Otlp,
}

impl ReportFormat {
    fn suffix(self) -> &'static str {
        match self {
            ReportFormat::Html => "report.html",
            ReportFormat::Otlp => "traces.json",
        }
    }
}

/// The longest a connection to an OTLP endpoint may take to open, and a whole send.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const SEND_TIMEOUT: Duration = Duration::from_secs(20);
/// How much of an endpoint's refusal is quoted back.
const QUOTED_BODY: usize = 300;

/// What the check before a report finds in the score recorded with performance `id`.
pub fn check(store: &Store, id: &str) -> Result<Vec<Finding>, ApiError> {
    let recorded = resume::recorded(store, id)?;
    let text = store.score_toml(id)?;
    Ok(ensemble_export::scan(&recorded.score, &text))
}

/// The report of performance `id` as `format`. Refused with the findings when the check finds
/// anything and `allow` is false.
pub fn report(store: &Store, id: &str, format: ReportFormat, allow: bool) -> Result<Vec<u8>, ApiError> {
    let findings = check(store, id)?;
    if !findings.is_empty() && !allow {
        return Err(ApiError::Findings { findings });
    }
    let mut score = resume::recorded(store, id)?.score;
    ensemble_score::place_unplaced(&mut score);
    let events = store.events(id)?;
    Ok(match format {
        ReportFormat::Html => ensemble_export::report(&score, id, &events),
        ReportFormat::Otlp => ensemble_export::otlp(&score, id, &events),
    }
    .into_bytes())
}

/// The newest performance's id, for `--last`.
pub fn last(store: &Store) -> Result<String, ApiError> {
    store
        .list()?
        .into_iter()
        .max_by_key(|s| s.started_ms)
        .map(|s| s.id)
        .ok_or_else(|| ApiError::Export("there is no recorded performance yet".into()))
}

/// The file name a report gets by default: the performance's title as a slug, its id and the
/// format's suffix, e.g. `kite-review-01J….report.html`.
pub fn file_name(store: &Store, id: &str, format: ReportFormat) -> Result<String, ApiError> {
    let title = store.summary(id)?.title;
    let slug: String = crate::export::slug(&title).chars().take(60).collect();
    let safe_id: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
    let stem = if slug.is_empty() { "performance".to_string() } else { slug };
    Ok(format!("{stem}-{safe_id}.{}", format.suffix()))
}

/// Where a report goes by default: `folder`, under [`file_name`].
pub fn default_target(store: &Store, id: &str, format: ReportFormat, folder: &Path) -> Result<PathBuf, ApiError> {
    Ok(folder.join(file_name(store, id, format)?))
}

/// Where OTLP/HTTP traces are posted for an endpoint a person typed: `http://host:4318` and
/// `http://host:4318/` become `http://host:4318/v1/traces`; one that already ends in
/// `/v1/traces` is kept. Only http and https are accepted.
pub fn traces_url(endpoint: &str) -> Result<url::Url, ApiError> {
    let trimmed = endpoint.trim();
    let full = if trimmed.trim_end_matches('/').ends_with("/v1/traces") {
        trimmed.trim_end_matches('/').to_string()
    } else {
        format!("{}/v1/traces", trimmed.trim_end_matches('/'))
    };
    let url = url::Url::parse(&full).map_err(|e| ApiError::Export(format!("the OTLP endpoint `{trimmed}` is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ApiError::Export(format!("the OTLP endpoint `{trimmed}` must start with http:// or https://")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::Export("the OTLP endpoint must not hold a user name or password".into()));
    }
    Ok(url)
}

/// Sends performance `id` as OTLP/JSON traces to the OTLP/HTTP receiver at `endpoint` (a POST
/// to `endpoint/v1/traces`), after the same check as any report. Returns the URL it was sent to.
/// The trace id comes from the performance id, so sending the same performance twice gives the
/// receiver the same trace, not a second one.
pub async fn send(store: &Store, id: &str, endpoint: &str, allow: bool) -> Result<String, ApiError> {
    let url = traces_url(endpoint)?;
    let body = report(store, id, ReportFormat::Otlp, allow)?;
    post(&url, body).await?;
    Ok(url.to_string())
}

async fn post(url: &url::Url, body: Vec<u8>) -> Result<(), ApiError> {
    let failed = |e: String| ApiError::Export(format!("the traces could not be sent to {url}: {e}"));
    let client = reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(SEND_TIMEOUT)
        // A receiver that redirects elsewhere is not followed: the traces go where the person said.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| failed(e.to_string()))?;
    let response = client
        .post(url.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| failed(if e.is_timeout() { "no answer in time".into() } else { e.to_string() }))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    // Only the start of the refusal is read: a receiver cannot make this wait on a long body.
    let mut response = response;
    let mut start = Vec::new();
    while start.len() < 4 * QUOTED_BODY {
        match response.chunk().await {
            Ok(Some(chunk)) => start.extend_from_slice(&chunk),
            _ => break,
        }
    }
    let quoted: String = String::from_utf8_lossy(&start).chars().filter(|c| !c.is_control()).take(QUOTED_BODY).collect();
    Err(failed(format!("the receiver answered {status}{}", if quoted.is_empty() { String::new() } else { format!(": {quoted}") })))
}
