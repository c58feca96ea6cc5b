//! The limits a score's values are held to, and the engine's defaults for those it leaves out.
//!
//! Each is defined once, here. Validation refuses a value outside its limit and names the limit
//! in its message, the instruments fill in the defaults, and the studio's inspector shows the
//! defaults as placeholders and keeps typed values within the limits: it gets these values as
//! generated TypeScript (written by the bindings check of the studio shell), never as a copy.

use serde::Serialize;
use ts_rs::TS;

/// One limit of a player's tool use: a whole number from 1 to `max` under the player's `tools`,
/// `default` when the score leaves it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ToolLimit {
    /// Its key under a player's `tools`.
    pub key: &'static str,
    /// What the engine uses when the score leaves it out.
    pub default: u64,
    /// The most a score may set: beyond it a value is a typo, not a plan.
    pub max: u64,
    /// What it counts, as validation messages say it.
    #[serde(skip)]
    pub what: &'static str,
}

impl ToolLimit {
    /// Most tool calls in one chorus.
    pub const MAX_CALLS: ToolLimit = ToolLimit {
        key: "max_calls",
        default: 16,
        max: 1_000,
        what: "tool calls in one chorus",
    };
    /// Longest one tool call may take, in seconds (at most a day).
    pub const TIMEOUT_SECS: ToolLimit = ToolLimit {
        key: "timeout_secs",
        default: 60,
        max: 24 * 3600,
        what: "seconds one call may take",
    };
    /// Most bytes of one tool result handed to the model (at most 16 MiB).
    pub const MAX_OUTPUT_BYTES: ToolLimit = ToolLimit {
        key: "max_output_bytes",
        default: 65_536,
        max: 16 << 20,
        what: "bytes of one result",
    };
}

/// Every limit of a player's tool use, in the order the inspector shows them.
pub const TOOL_LIMITS: [ToolLimit; 3] = [
    ToolLimit::MAX_CALLS,
    ToolLimit::TIMEOUT_SECS,
    ToolLimit::MAX_OUTPUT_BYTES,
];

// Each default is itself accepted, and `max_calls` is a `u32` in the score, so its default and
// maximum must fit one (`Tools::DEFAULT_MAX_CALLS` narrows it).
const _: () = {
    let mut i = 0;
    while i < TOOL_LIMITS.len() {
        assert!(
            TOOL_LIMITS[i].default >= 1 && TOOL_LIMITS[i].default <= TOOL_LIMITS[i].max,
            "a tool limit's default is within it"
        );
        i += 1;
    }
    assert!(
        ToolLimit::MAX_CALLS.max <= u32::MAX as u64,
        "max_calls is a u32 in the score"
    );
};

/// The instrument kinds with a tool loop. A command or a person has none, so tools on them
/// would silently do nothing; validation refuses them instead.
pub const TOOL_INSTRUMENTS: [&str; 3] = ["openai", "anthropic", "rehearsal"];

/// The highest temperature an OpenAI-compatible endpoint accepts (the least is 0).
pub const OPENAI_MAX_TEMPERATURE: f64 = 2.0;
/// The highest temperature Anthropic's Messages API accepts (the least is 0).
pub const ANTHROPIC_MAX_TEMPERATURE: f64 = 1.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tools;

    #[test]
    fn each_tool_limit_is_named_by_its_key_in_the_score() {
        let tools = Tools {
            max_calls: Some(1),
            timeout_secs: Some(1),
            max_output_bytes: Some(1),
            servers: vec![],
        };
        let written = serde_json::to_value(&tools).expect("tools serialize");
        let mut keys: Vec<&str> = written
            .as_object()
            .expect("tools are a table")
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "servers")
            .collect();
        keys.sort_unstable();
        let mut limits: Vec<&str> = TOOL_LIMITS.iter().map(|l| l.key).collect();
        limits.sort_unstable();
        assert_eq!(
            limits, keys,
            "every limit under `tools` has one definition, under the key the score uses"
        );
    }

    #[test]
    fn the_defaults_the_engine_reads_are_the_limits_own() {
        assert_eq!(
            (
                u64::from(Tools::DEFAULT_MAX_CALLS),
                Tools::DEFAULT_TIMEOUT_SECS,
                Tools::DEFAULT_MAX_OUTPUT_BYTES
            ),
            (16, 60, 65_536),
            "the defaults documented on `Tools` are the ones filled in"
        );
        assert_eq!(
            (ToolLimit::TIMEOUT_SECS.max, ToolLimit::MAX_OUTPUT_BYTES.max),
            (86_400, 16_777_216),
            "a day, and 16 MiB"
        );
    }
}
