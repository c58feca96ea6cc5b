/**
 * The live state of the players as the canvas shows it (the live performance, or a moment of a
 * replay), handed to the player nodes through a context instead of through React Flow's nodes.
 * A streamed token changes a player's tokens and preview only: the nodes and edges given to React
 * Flow stay the same objects (they change with a player's state, see `liveShape`), so a fast
 * stream re-renders player nodes and nothing else of the canvas.
 *
 * Each node subscribes to its own player, and streamed progress is spread over frames: a change
 * that is only a new token count and preview (see `streamedOnly`) waits its turn, the players
 * that waited longest going first. A frame shows four of those waiting (more when more than
 * sixty wait) and everyone who has waited fifteen frames. Up to four streams are then shown every
 * frame; fifty players streaming at once redraw four nodes a frame, each about five times a
 * second, instead of fifty nodes every frame, which cost more than a frame on a two-core machine
 * (bench/README.md). Anything else (a player cued, finished, failed, asking, edited, calling a
 * tool) is shown at once.
 */
import { createContext, useCallback, useContext, useSyncExternalStore } from "react";
import type { Live } from "../app/performance";
import { streamedOnly } from "../app/pace";

/** Streamed progress reaches every node within this many frames (250 ms at 60 Hz). */
const SPREAD_FRAMES = 15;
/** A frame redraws at least this many waiting nodes: a few streams are shown every frame. */
const NODES_PER_FRAME = 4;

/** What the player nodes read: each player's live state as shown now. */
export type LiveSource = {
  get(player: string): Live | undefined;
  subscribe(player: string, listener: () => void): () => void;
};

/** The live states the canvas shows, paced as above; `show` takes the newest picture. */
export type PacedLive = LiveSource & { show(live: Record<string, Live>): void };

export function pacedLive(requestFrame: (callback: () => void) => void = (callback) => requestAnimationFrame(callback)): PacedLive {
  const shown = new Map<string, Live>();
  let latest: Record<string, Live> = {};
  // Players whose newest state is streamed progress not shown yet, with the frame they began
  // waiting in; longest waiting first (a Map keeps the order keys were first set in).
  const waiting = new Map<string, number>();
  const listeners = new Map<string, Set<() => void>>();
  let frames = 0;
  let framed = false;

  const publish = (player: string) => {
    waiting.delete(player);
    const live = latest[player];
    if (live) shown.set(player, live);
    else shown.delete(player);
    listeners.get(player)?.forEach((listener) => listener());
  };
  const frame = () => {
    framed = false;
    frames++;
    // Enough that all who wait now get their turn within the spread, and whoever has waited the
    // whole spread already.
    let turns = Math.max(NODES_PER_FRAME, Math.ceil(waiting.size / SPREAD_FRAMES));
    for (const [player, since] of waiting) {
      if (turns <= 0 && frames - since < SPREAD_FRAMES) break;
      publish(player);
      turns--;
    }
    if (waiting.size > 0) schedule();
  };
  const schedule = () => {
    if (framed) return;
    framed = true;
    requestFrame(frame);
  };

  return {
    get: (player) => shown.get(player),
    subscribe(player, listener) {
      let set = listeners.get(player);
      if (!set) listeners.set(player, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    show(live) {
      latest = live;
      for (const player of shown.keys()) if (!(player in live)) publish(player);
      for (const [player, next] of Object.entries(live)) {
        const before = shown.get(player);
        if (before === next) waiting.delete(player);
        else if (before && streamedOnly(before, next)) {
          if (!waiting.has(player)) waiting.set(player, frames);
        } else publish(player);
      }
      if (waiting.size > 0) schedule();
    },
  };
}

const NOTHING: LiveSource = { get: () => undefined, subscribe: () => () => {} };

export const LiveContext = createContext<LiveSource>(NOTHING);

/** A player's live state as the canvas shows it now; re-renders with that player alone. */
export function useLive(player: string): Live | undefined {
  const source = useContext(LiveContext);
  const subscribe = useCallback((listener: () => void) => source.subscribe(player, listener), [source, player]);
  return useSyncExternalStore(subscribe, () => source.get(player));
}

/** What of the live state shapes the canvas's nodes and edges: each player's state, not its stream. */
export function liveShape(live: Record<string, Live>): string {
  let shape = "";
  for (const [player, l] of Object.entries(live)) shape += `${player} ${l.state} ${l.chorus} ${l.edited ?? false} ${l.detail ?? ""}\n`;
  return shape;
}
