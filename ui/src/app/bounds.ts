/**
 * The bounds every attempt of a player plays within, as the settings keep them: how much output
 * one attempt may produce (MiB) and how long a server may stay silent (seconds). The ranges and
 * defaults are the engine's (`ensemble_api::bounds`, generated into the bindings), which checks
 * them again; they are checked here too so a person learns of a wrong value while typing it, not
 * when a performance is refused.
 */
import type { AttemptBounds } from "../bindings/AttemptBounds";
import { ATTEMPT_BOUND_RANGES, DEFAULT_ATTEMPT_BOUNDS } from "../bindings/engineValues";

export type Bound = keyof AttemptBounds;

type Rule = { min: number; max: number; unit: string; what: string };

export const BOUND_RULES: Record<Bound, Rule> = {
  max_output_mib: { ...ATTEMPT_BOUND_RANGES.max_output_mib, unit: "MiB", what: "Output limit per attempt" },
  read_timeout_secs: { ...ATTEMPT_BOUND_RANGES.read_timeout_secs, unit: "seconds", what: "Read timeout" },
};

export const DEFAULT_BOUNDS: AttemptBounds = DEFAULT_ATTEMPT_BOUNDS;

/** The value typed for `bound`, or why it cannot be used. */
export function parseBound(bound: Bound, text: string): { value: number } | { error: string } {
  const { min, max, unit, what } = BOUND_RULES[bound];
  const trimmed = text.trim();
  if (trimmed === "") return { error: `${what} is needed: a whole number of ${unit} from ${min} to ${max}.` };
  if (!/^\d+$/.test(trimmed)) return { error: `${what} must be a whole number of ${unit} from ${min} to ${max}.` };
  const value = Number(trimmed);
  if (value < min || value > max) return { error: `${what} must be from ${min} to ${max} ${unit}; ${trimmed} is outside that.` };
  return { value };
}

/** Stored bounds as far as they are usable; anything missing or out of range is the default. */
export function storedBounds(stored: unknown): AttemptBounds {
  const bounds = { ...DEFAULT_BOUNDS };
  if (typeof stored !== "object" || stored === null) return bounds;
  for (const bound of Object.keys(BOUND_RULES) as Bound[]) {
    const value = (stored as Record<string, unknown>)[bound];
    if (typeof value === "number" && "value" in parseBound(bound, String(value))) bounds[bound] = value;
  }
  return bounds;
}
