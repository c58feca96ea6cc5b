/**
 * Cues have no id of their own: a cue is named by its ends. A score may (wrongly) hold the same
 * cue twice, and the canvas still needs one key per edge, so repeats get a `#n` suffix.
 */
import type { Cue } from "../bindings/Cue";

export function cueKey(from: string, to: string): string {
  return `${from}->${to}`;
}

/** One key per cue, in order, unique even when the score repeats a cue. */
export function cueKeys(cues: readonly Cue[]): string[] {
  const seen = new Map<string, number>();
  return cues.map((cue) => {
    const key = cueKey(cue.from, cue.to);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n === 0 ? key : `${key}#${n}`;
  });
}

/** A short label for the edge: condition, loop limit and checkpoint, in that order. */
export function cueLabel(cue: Cue): string {
  const parts: string[] = [];
  switch (cue.when ?? "always") {
    case "success":
      parts.push("on success");
      break;
    case "failure":
      parts.push("on failure");
      break;
    case "verdict":
      parts.push(cue.verdict ? `verdict /${cue.verdict}/` : "verdict");
      break;
    default:
      break;
  }
  if (cue.max_repeats !== undefined) parts.push(`↻ ${cue.max_repeats}`);
  if (cue.checkpoint) parts.push("⏸ checkpoint");
  return parts.join(" · ");
}
