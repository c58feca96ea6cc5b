/**
 * How fast streamed progress reaches what a person sees. A fast stream changes every playing
 * player's token count and preview in every batch (one a frame); redrawing all of that each frame
 * costs more than a frame (layout, paint, raster of fifty nodes and fifty table rows) and shows a
 * person nothing they could read. Everything else a batch brings (a player cued, finished,
 * failed, asking; a cue fired; the performance paused or ended) is shown at once: only the
 * count and the preview wait, and never for long.
 *
 * The panels read `pacedPerformance`, the performance store as of the last change that was not
 * only streamed progress, brought up to date at most every `PANEL_INTERVAL_MS`. The canvas paces
 * each player node on its own (see canvas/streamed.ts), with `streamedOnly` deciding the same way.
 */
import { createStore } from "zustand/vanilla";
import { performance, type Live, type Performance } from "./performance";

/** The panels (run panel, meters) show streamed progress at 4 Hz. */
export const PANEL_INTERVAL_MS = 250;

/** Whether `next` differs from `shown` only in what streams: the token count and the preview. */
export function streamedOnly(shown: Live, next: Live): boolean {
  for (const key of Object.keys(next) as (keyof Live)[]) {
    if (key !== "tokens" && key !== "preview" && shown[key] !== next[key]) return false;
  }
  for (const key of Object.keys(shown) as (keyof Live)[]) {
    if (key !== "tokens" && key !== "preview" && !(key in next) && shown[key] !== undefined) return false;
  }
  return true;
}

/** Whether the performance `next` differs from `shown` only in its players' streamed progress. */
export function onlyStreamed(shown: Performance, next: Performance): boolean {
  for (const key of Object.keys(next) as (keyof Performance)[]) {
    if (key !== "live" && shown[key] !== next[key]) return false;
  }
  if (Object.keys(shown).length !== Object.keys(next).length) return false;
  if (shown.live === next.live) return true;
  const players = Object.keys(next.live);
  if (players.length !== Object.keys(shown.live).length) return false;
  for (const player of players) {
    const before = shown.live[player];
    const after = next.live[player];
    if (before !== after && (!before || !streamedOnly(before, after))) return false;
  }
  return true;
}

/**
 * The performance as the panels show it: the same object as `performance` holds, except that a
 * change of streamed progress alone is passed on within `PANEL_INTERVAL_MS`, not at once.
 */
export const pacedPerformance = createStore<Performance>(() => performance.getState());

let pending: ReturnType<typeof setTimeout> | null = null;

performance.subscribe((next) => {
  if (next === pacedPerformance.getState()) return;
  if (onlyStreamed(pacedPerformance.getState(), next)) {
    // The latest state is read when the interval is up, so the last batch is never left out.
    pending ??= setTimeout(() => {
      pending = null;
      pacedPerformance.setState(performance.getState(), true);
    }, PANEL_INTERVAL_MS);
    return;
  }
  if (pending !== null) clearTimeout(pending);
  pending = null;
  pacedPerformance.setState(next, true);
});
