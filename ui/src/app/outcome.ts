/**
 * A performance's outcome in words that say what it left out: a success in which players were
 * never cued reads "finished, 2 of 4 players never cued", a fork adds how many it carried over.
 * The same words as the engine's `Outcome::summary`, for the live finish (lists get them from
 * the store as `outcome_summary`).
 */
import type { Event } from "../bindings/Event";

export function outcomeWords(finish: Extract<Event, { type: "performance_finished" }>): string {
  const players = finish.players ?? 0;
  const neverCued = finish.never_cued ?? 0;
  const carried = finish.carried ?? 0;
  let text = finish.outcome === "succeeded" && neverCued > 0 ? "finished" : finish.outcome.replace("_", " ");
  if (neverCued > 0) text += `, ${neverCued} of ${players} ${players === 1 ? "player" : "players"} never cued`;
  if (carried > 0) text += `, ${carried} carried over`;
  return text;
}

/** The words of the finish that ends `events`, if it has ended. */
export function endedWith(events: Event[]): string | null {
  const last = events[events.length - 1];
  return last?.type === "performance_finished" ? outcomeWords(last) : null;
}
