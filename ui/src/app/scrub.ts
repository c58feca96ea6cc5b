/**
 * Scrubbing the live performance's timeline: the canvas shows the performance as it was at a
 * moment, folded from the recorded timeline, while the performance itself plays on. Going back
 * to the live edge drops the picture.
 */
import { createStore } from "zustand/vanilla";
import { fold, IDLE, performance, type Performance } from "./performance";

export const scrub = createStore<{ at: number | null; state: Performance | null }>(() => ({ at: null, state: null }));

/** Shows the live performance as of `at` (epoch ms) on the canvas. */
export function scrubLive(at: number): void {
  const { events } = performance.getState();
  let state = IDLE;
  for (const event of events) {
    if (event.at_ms > at) break;
    state = fold(state, event);
  }
  scrub.setState({ at, state });
}

export function backToLive(): void {
  scrub.setState({ at: null, state: null });
}

// A new performance starts at its live edge.
performance.subscribe((now, before) => {
  if (now.id !== before.id && scrub.getState().at !== null) backToLive();
});
