/** How a cue reads on the canvas: a compact label and, for its tooltip, the cue in full words. */
import type { Cue } from "../bindings/Cue";

const VERDICT_CHARS = 24;
/** Marks the checkpoint in a label; the canvas draws it as an icon (not every font has the glyph). */
export const CHECKPOINT_MARK = "⏸";

/**
 * The words a verdict pattern looks for, without the regex machinery around them: inline
 * flags like `(?m)`, anchors, a leading `VERDICT:` (the label already says "verdict") and
 * escapes. `(?m)^VERDICT: CHANGES REQUESTED` reads as `CHANGES REQUESTED`.
 */
export function verdictWords(pattern: string): string {
  const words = pattern
    .replace(/\(\?[a-zA-Z]+\)/g, "")
    .replace(/\\[AzZbB]/g, "")
    .replace(/(^|\|)\^/g, "$1")
    .replace(/\$(\||$)/g, "$1")
    .replace(/\\(.)/g, "$1")
    .replace(/^\s*verdict\s*:\s*/i, "")
    .replace(/\s+/g, " ")
    .trim();
  return words.length > VERDICT_CHARS ? `${words.slice(0, VERDICT_CHARS - 1).trimEnd()}…` : words;
}

/** A compact label for the edge: `✓`, `✗`, `verdict: APPROVED`, then `↻ 3` and `⏸ checkpoint`. */
export function cueLabel(cue: Cue): string {
  return labelParts(cue, false);
}

/**
 * The label as short as it can say the same for a zoomed-out canvas, where it is drawn as large
 * as the players' names: `APPROVED` instead of `verdict: APPROVED`, the checkpoint's mark alone.
 */
export function cueShortLabel(cue: Cue): string {
  return labelParts(cue, true);
}

function labelParts(cue: Cue, short: boolean): string {
  const parts: string[] = [];
  const limit = cue.max_repeats !== undefined ? `↻ ${cue.max_repeats}` : undefined;
  if (short && limit) parts.push(limit);
  switch (cue.when ?? "always") {
    case "success":
      parts.push("✓");
      break;
    case "failure":
      parts.push("✗");
      break;
    case "verdict": {
      const words = cue.verdict ? verdictWords(cue.verdict) : "";
      parts.push(words ? (short ? words : `verdict: ${words}`) : "verdict");
      break;
    }
    default:
      break;
  }
  if (!short && limit) parts.push(limit);
  if (cue.checkpoint) parts.push(short ? CHECKPOINT_MARK : `${CHECKPOINT_MARK} checkpoint`);
  return parts.join(" · ");
}

/** The cue in full words, for the label's tooltip. */
export function cueDescription(cue: Cue): string {
  const lines = [`${cue.from} → ${cue.to}`];
  switch (cue.when ?? "always") {
    case "success":
      lines.push("fires when it succeeds");
      break;
    case "failure":
      lines.push("fires when it fails");
      break;
    case "verdict":
      lines.push(cue.verdict ? `fires when the output matches /${cue.verdict}/` : "fires on a verdict (no pattern yet)");
      break;
    default:
      lines.push("always fires");
  }
  if (cue.max_repeats !== undefined) lines.push(`loop: re-cues at most ${cue.max_repeats} times`);
  if (cue.checkpoint) lines.push("checkpoint: you approve the hand-off first");
  return lines.join("\n");
}
