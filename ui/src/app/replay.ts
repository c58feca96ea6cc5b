/**
 * Replaying a recorded performance: its events from the store, folded with the same `fold` the
 * live view uses, up to a position the person scrubs to. Positions count the events a timeline
 * shows (tokens ride along with the event after them), so one step of the slider is one line.
 * Moving forward folds on from where the last position left off; moving back folds again from
 * the start, which stays cheap because token events only touch one player each.
 */
import { createStore } from "zustand/vanilla";
import type { Event } from "../bindings/Event";
import type { Summary } from "../bindings/Summary";
import { errorMessage, ipc } from "../ipc";
import { fold, IDLE, type Performance } from "./performance";

export type Replay = {
  summary: Summary;
  events: Event[];
  /** Index in `events` of each timeline line, in order. */
  steps: number[];
  /** How many timeline lines have happened, from 0 (nothing yet) to `steps.length` (the end). */
  position: number;
  /** The performance as of `position`. */
  state: Performance;
  /** Events folded into `state` (an index into `events`, exclusive). */
  applied: number;
  /** Every timeline line (no tokens), for the lanes: they show the whole performance at once. */
  whole: Event[];
  /** The performance as it ended: who played, for the list of players. */
  end: Performance;
};

export const replay = createStore<{ current: Replay | null; loading: string | null; error: string | null }>(() => ({
  current: null,
  loading: null,
  error: null,
}));

/** `from` folded on to just after `events[end - 1]`. */
function foldRange(from: Performance, events: Event[], start: number, end: number): Performance {
  let state = from;
  for (let i = start; i < end; i++) state = fold(state, events[i]);
  return state;
}

function at(current: Replay, position: number): Replay {
  const clamped = Math.max(0, Math.min(position, current.steps.length));
  // The end takes in trailing events too, so the last picture is the whole performance.
  const end = clamped === current.steps.length ? current.events.length : clamped === 0 ? 0 : current.steps[clamped - 1] + 1;
  const state = end >= current.applied ? foldRange(current.state, current.events, current.applied, end) : foldRange(IDLE, current.events, 0, end);
  return { ...current, position: clamped, state, applied: end };
}

export async function openReplay(summary: Summary): Promise<void> {
  replay.setState({ loading: summary.id, error: null });
  try {
    const events = await ipc.performanceEvents(summary.id);
    const steps = events.flatMap((e, i) => (e.type === "token" ? [] : [i]));
    const whole = steps.map((i) => events[i]);
    const start: Replay = { summary, events, steps, position: 0, state: IDLE, applied: 0, whole, end: IDLE };
    const opened = at(start, steps.length);
    replay.setState({ current: { ...opened, end: opened.state }, loading: null });
  } catch (error) {
    replay.setState({ loading: null, error: `The performance could not be read: ${errorMessage(error)}` });
  }
}

export function seek(position: number): void {
  const { current } = replay.getState();
  if (current && position !== current.position) replay.setState({ current: at(current, position) });
}

export function closeReplay(): void {
  replay.setState({ current: null, error: null });
}
