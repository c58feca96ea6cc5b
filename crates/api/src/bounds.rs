//! The bounds of one attempt as a person sets them: how much output one attempt may produce, in
//! whole MiB, and how long a server may stay silent, in whole seconds. The studio's settings and
//! the `ensemble` command's options accept the same ranges, checked here, so a value one front end
//! takes the other takes too.

use std::ops::RangeInclusive;
use std::time::Duration;

use ensemble_instruments::{DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_READ_TIMEOUT, Limits};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ApiError;

/// The per-attempt output limits accepted, in MiB: at least one (a model's long answer is a few
/// hundred KiB), at most 4 GiB (more would only defer running out of memory).
pub const MAX_OUTPUT_MIB: RangeInclusive<u32> = 1..=4096;
/// The read timeouts accepted, in seconds: from one second to one day.
pub const READ_TIMEOUT_SECS: RangeInclusive<u32> = 1..=86_400;

/// How far one attempt of a player may go before it is failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttemptBounds {
    /// The most output one attempt may produce (a program's stdout or a model's streamed text),
    /// in MiB; past it the attempt fails with the output so far kept.
    pub max_output_mib: u32,
    /// The longest a server may stay silent (before its answer starts, or mid-stream), in seconds.
    pub read_timeout_secs: u32,
}

impl Default for AttemptBounds {
    /// The instruments' own defaults.
    fn default() -> AttemptBounds {
        AttemptBounds {
            max_output_mib: (DEFAULT_MAX_OUTPUT_BYTES >> 20) as u32,
            read_timeout_secs: DEFAULT_READ_TIMEOUT.as_secs() as u32,
        }
    }
}

impl AttemptBounds {
    /// The limits the instruments play within; a value outside its range is refused with a
    /// message that gives the range.
    pub fn limits(self) -> Result<Limits, ApiError> {
        let out_of_range = |what: &str, value: u32, range: &RangeInclusive<u32>, unit: &str| {
            ApiError::Setting(format!(
                "the {what} must be between {} and {} {unit}; {value} is outside that",
                range.start(),
                range.end()
            ))
        };
        if !MAX_OUTPUT_MIB.contains(&self.max_output_mib) {
            return Err(out_of_range("output limit per attempt", self.max_output_mib, &MAX_OUTPUT_MIB, "MiB"));
        }
        if !READ_TIMEOUT_SECS.contains(&self.read_timeout_secs) {
            return Err(out_of_range("read timeout", self.read_timeout_secs, &READ_TIMEOUT_SECS, "seconds"));
        }
        Ok(Limits {
            read_timeout: Duration::from_secs(u64::from(self.read_timeout_secs)),
            // At most 4096 MiB (checked above), which fits a usize on the 64-bit systems the
            // studio runs on; a 32-bit one gets its largest size instead.
            max_output_bytes: usize::try_from(u64::from(self.max_output_mib) << 20).unwrap_or(usize::MAX),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_instruments_own() {
        assert_eq!(AttemptBounds::default(), AttemptBounds { max_output_mib: 16, read_timeout_secs: 120 });
        assert_eq!(AttemptBounds::default().limits().expect("the defaults are in range"), Limits::default());
    }

    #[test]
    fn values_become_bytes_and_seconds() {
        let limits = AttemptBounds { max_output_mib: 3, read_timeout_secs: 45 }.limits().expect("in range");
        assert_eq!(limits.max_output_bytes, 3 * 1024 * 1024);
        assert_eq!(limits.read_timeout, Duration::from_secs(45));
        let widest = AttemptBounds { max_output_mib: 4096, read_timeout_secs: 86_400 }.limits().expect("the ends are in range");
        assert_eq!(widest.max_output_bytes as u64, 4096 * 1024 * 1024, "4 GiB does not overflow");
    }

    #[test]
    fn values_out_of_range_are_refused_with_the_range() {
        let zero = AttemptBounds { max_output_mib: 0, read_timeout_secs: 10 }.limits().expect_err("no output at all is refused");
        assert_eq!(zero.to_string(), "the output limit per attempt must be between 1 and 4096 MiB; 0 is outside that");
        let long = AttemptBounds { max_output_mib: 1, read_timeout_secs: 86_401 }.limits().expect_err("over a day is refused");
        assert_eq!(long.to_string(), "the read timeout must be between 1 and 86400 seconds; 86401 is outside that");
    }
}
