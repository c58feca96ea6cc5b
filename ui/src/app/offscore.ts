/**
 * Same song: every player should play from the shared context the score has now. A player cued
 * with an older version (the context changed while the performance played, or between its
 * stretches, or since it was recorded) is "off the score".
 */
import type { Live } from "./performance";

/** Whether `live` played from a context version other than `current`, the open score's. */
export function isOffScore(live: Live | undefined, current: string | undefined): boolean {
  return !!live?.context && !!current && live.context !== current && live.state !== "waiting" && live.state !== "carried";
}
