/**
 * The live state of the players as the canvas shows it (the live performance, or a moment of a
 * replay), handed to the player nodes through a context instead of through React Flow's nodes.
 * A streamed token changes a player's tokens and preview only: the nodes and edges given to React
 * Flow stay the same objects (they change with a player's state, see `liveShape`), so a fast
 * stream re-renders the player nodes and nothing else of the canvas.
 */
import { createContext, useContext } from "react";
import type { Live } from "../app/performance";

export const LiveContext = createContext<Record<string, Live>>({});

/** A player's live state as the canvas shows it now. */
export function useLive(player: string): Live | undefined {
  return useContext(LiveContext)[player];
}

/** What of the live state shapes the canvas's nodes and edges: each player's state, not its stream. */
export function liveShape(live: Record<string, Live>): string {
  let shape = "";
  for (const [player, l] of Object.entries(live)) shape += `${player} ${l.state} ${l.chorus} ${l.edited ?? false} ${l.detail ?? ""}\n`;
  return shape;
}
