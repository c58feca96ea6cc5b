// Generated from the engine's definitions by `cargo test -p ensemble-studio`; do not edit.
import type { AttemptBounds } from "./AttemptBounds";
import type { Instrument } from "./Instrument";
import type { ToolLimit } from "./ToolLimit";
import type { Zone } from "./Zone";

/** The limits of a player's tool use: its key under `tools`, the engine's default when a score leaves it
 * out, and the most a score may set (the least is 1). From `ensemble_score::TOOL_LIMITS`. */
export const TOOL_LIMITS = [
  {
    "key": "max_calls",
    "default": 16,
    "max": 1000
  },
  {
    "key": "timeout_secs",
    "default": 60,
    "max": 86400
  },
  {
    "key": "max_output_bytes",
    "default": 65536,
    "max": 16777216
  }
] as const satisfies readonly ToolLimit[];

/** The instrument kinds that call tools; the engine refuses tools on the others. From
 * `ensemble_score::TOOL_INSTRUMENTS`. */
export const TOOL_INSTRUMENTS: readonly Instrument["kind"][] = [
  "openai",
  "anthropic",
  "rehearsal"
];

/** The highest temperature each model instrument accepts (the least is 0). From
 * `ensemble_score::{OPENAI,ANTHROPIC}_MAX_TEMPERATURE`. */
export const MAX_TEMPERATURE = {
  "anthropic": 1.0,
  "openai": 2.0
} as const satisfies Partial<Record<Instrument["kind"], number>>;

/** The four capability zones, in the engine's order. From `ensemble_score::Zone::ALL`. */
export const ZONES: readonly Zone[] = [
  "innovator",
  "integrator",
  "improver",
  "stabilizer"
];

/** The values each bound of an attempt may take, in its unit. From `ensemble_api::bounds`. */
export const ATTEMPT_BOUND_RANGES: Record<keyof AttemptBounds, { min: number; max: number }> = {
  "max_output_mib": {
    "max": 4096,
    "min": 1
  },
  "read_timeout_secs": {
    "max": 86400,
    "min": 1
  }
};

/** The bounds of an attempt until a person sets them: the instruments' own. From
 * `ensemble_api::bounds::AttemptBounds::default()`. */
export const DEFAULT_ATTEMPT_BOUNDS: AttemptBounds = {
  "max_output_mib": 16,
  "read_timeout_secs": 120
};

/** The points a person spreads over the four statements of one survey scenario. From
 * `ensemble_diagnostics::questionnaire::POINTS_PER_SCENARIO`. */
export const POINTS_PER_SCENARIO = 10;

/** The answers a psychological-safety item takes, ends included. From
 * `ensemble_diagnostics::questionnaire::SAFETY_SCALE`. */
export const SAFETY_SCALE: { min: number; max: number } = {
  "max": 7,
  "min": 1
};

/** How many of the latest performances a diagnosis reads: when not told, and the least and most it
 * may be told. From `ensemble_api::diagnose::{DEFAULT_LAST, LAST_RANGE}`. */
export const DIAGNOSE_LAST = {
  "default": 10,
  "max": 1000,
  "min": 1
} as const;
