/**
 * Where the canvas looks. A newly opened score is shown whole whenever its names can still be
 * read at the zoom that fits it: below READABLE_ZOOM the canvas draws players compactly with
 * their names kept readable (detail.ts), down to FLOOR_ZOOM. A score too large for that (a
 * generated one of hundreds of players) opens at a readable zoom from its left edge, where its
 * cues start; the overview map and "Fit" reach the rest. "Fit" always shows everything. Fits
 * wait for React Flow to hold the current nodes, so asking for one right after an edit (tidy)
 * fits the new layout, not the old.
 */
import type { Edge, Node, ReactFlowInstance } from "@xyflow/react";
import { createStore } from "zustand/vanilla";
import { FLOOR_ZOOM, READABLE_ZOOM } from "./detail";

export const MAX_ZOOM = 1.2;
/** Room left around the score by a fit, in screen pixels. */
export const PADDING_PX = 32;

/** Bumped to ask the canvas for a fit after its next render. */
export const fitRequests = createStore<{ tick: number }>(() => ({ tick: 0 }));

export function requestFit(): void {
  fitRequests.setState((s) => ({ tick: s.tick + 1 }));
}

type Flow<N extends Node> = Pick<ReactFlowInstance<N, Edge>, "fitView" | "getNodes" | "getNodesBounds" | "setViewport">;

export function fitAll<N extends Node>(flow: Flow<N>, duration = 300): void {
  void flow.fitView({ padding: `${PADDING_PX}px`, maxZoom: MAX_ZOOM, duration });
}

/** The first view of a score in a canvas of `width` × `height` pixels. */
export function firstView(
  bounds: { x: number; y: number; width: number; height: number },
  width: number,
  height: number,
): { x: number; y: number; zoom: number } {
  const room = { w: Math.max(1, width - 2 * PADDING_PX), h: Math.max(1, height - 2 * PADDING_PX) };
  const fit = Math.min(room.w / Math.max(1, bounds.width), room.h / Math.max(1, bounds.height), MAX_ZOOM);
  // Whole while its names stay readable; else at a readable zoom from its left edge.
  const zoom = fit >= FLOOR_ZOOM ? fit : Math.min(READABLE_ZOOM, MAX_ZOOM);
  const place = (start: number, size: number, available: number, total: number) =>
    size * zoom <= available ? (total - size * zoom) / 2 - start * zoom : PADDING_PX - start * zoom;
  return {
    x: place(bounds.x, bounds.width, room.w, width),
    y: place(bounds.y, bounds.height, room.h, height),
    zoom,
  };
}

export function showFirstView<N extends Node>(flow: Flow<N>, width: number, height: number): void {
  const nodes = flow.getNodes();
  if (nodes.length === 0) return;
  void flow.setViewport(firstView(flow.getNodesBounds(nodes), width, height));
}
