//! How long a server asked to be left alone before the next attempt: OpenAI's `retry-after-ms`,
//! else `Retry-After` in seconds or as an HTTP date.
//!
//! The header is the server's word, not ours to obey blindly: a value that is not a number, is
//! negative, NaN or infinite is ignored (the conductor's own backoff applies), and any wait is
//! cut to [`MAX_RETRY_AFTER`], so `Retry-After: 999999` cannot park a performance for eleven days
//! and `retry-after-ms: 1e300` cannot overflow a duration.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::limits::MAX_RETRY_AFTER;

/// The wait the server asked for, at most [`MAX_RETRY_AFTER`]; `None` when it asked for none
/// or said something unusable.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    retry_after_at(headers, SystemTime::now())
}

/// [`retry_after`] as of `now`, which an HTTP date is measured from.
pub fn retry_after_at(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        // Compared in milliseconds before any conversion, so no value can overflow.
        let capped = ms.min(MAX_RETRY_AFTER.as_millis() as f64);
        return Some(Duration::from_micros((capped * 1000.0) as u64));
    }
    let value = header("retry-after")?;
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO).min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use reqwest::header::{HeaderMap, HeaderValue};

    use super::retry_after_at;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).expect("test values are header-safe"));
        }
        headers
    }

    #[test]
    fn every_value_is_capped_and_none_panics() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let wait = |pairs: &[(&'static str, &str)]| retry_after_at(&headers(pairs), now);
        assert_eq!(wait(&[("retry-after", "2")]), Some(Duration::from_secs(2)));
        assert_eq!(wait(&[("retry-after", "999999")]), Some(Duration::from_secs(60)), "eleven days are cut to a minute");
        assert_eq!(wait(&[("retry-after", "18446744073709551615")]), Some(Duration::from_secs(60)));
        assert_eq!(wait(&[("retry-after-ms", "1500")]), Some(Duration::from_millis(1500)));
        assert_eq!(wait(&[("retry-after-ms", "1e300")]), Some(Duration::from_secs(60)), "a huge float is capped, not a panic");
        assert_eq!(wait(&[("retry-after-ms", "0.5")]), Some(Duration::from_micros(500)));
        for bad in ["NaN", "inf", "-inf", "-5", "", "soon"] {
            assert_eq!(wait(&[("retry-after-ms", bad)]), None, "retry-after-ms {bad:?} is ignored");
        }
        assert_eq!(wait(&[("retry-after-ms", "NaN"), ("retry-after", "3")]), Some(Duration::from_secs(3)), "a bad ms value falls back to Retry-After");
        assert_eq!(wait(&[("retry-after", "-1")]), None);
        assert_eq!(wait(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]), Some(Duration::ZERO), "a date in the past means now");
        assert_eq!(wait(&[("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT")]), Some(Duration::from_secs(60)), "a far date is capped");
    }
}
