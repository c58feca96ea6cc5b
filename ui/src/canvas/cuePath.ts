/**
 * The line a cue is drawn along and where its label sits, from the ends of the cue. A cue
 * between two players of one column (one above the other) leaves the source on its right and
 * comes back into the target on its right too, a bracket beside the column, with its label
 * starting at the bracket's outer point, away from the players; a loop cue that goes back (its
 * target left of its source) arcs below both players instead of cutting through them; any other
 * cue is React Flow's bezier. Shared by the edge that draws the cue, the canvas's choice of the
 * target's handle and its check of where labels have room (labelRoom.ts), so all mean the same.
 */
import { getBezierPath, Position } from "@xyflow/react";
import { GEOMETRY } from "../bindings/canvasGeometry";

/** `anchor`: whether the label is centred on (labelX, labelY) or starts there. */
export type CuePath = { path: string; labelX: number; labelY: number; anchor: "middle" | "start" };

/** The handle on a player's right a cue within one column comes back into. */
export const ASIDE_HANDLE = "aside";

/** Whether two players (by their top-left corners) stand in one column, one above the other. */
export function oneColumn(from: { x: number; y: number }, to: { x: number; y: number }): boolean {
  return Math.abs(from.x - to.x) < GEOMETRY.player_width && Math.abs(from.y - to.y) >= GEOMETRY.player_height;
}

export function cuePath(
  loop: boolean,
  sourceX: number,
  sourceY: number,
  targetX: number,
  targetY: number,
  sourcePosition: Position = Position.Right,
  targetPosition: Position = Position.Left,
): CuePath {
  if (sourcePosition === Position.Right && targetPosition === Position.Right) {
    // Out far enough to read as a bracket, further for players further apart.
    const out = Math.min(80, Math.max(36, Math.abs(targetY - sourceY) * 0.25));
    const edge = Math.max(sourceX, targetX) + out;
    const path = `M ${sourceX} ${sourceY} C ${edge} ${sourceY}, ${edge} ${targetY}, ${targetX} ${targetY}`;
    // The curve's outer point, at its middle.
    return { path, labelX: (sourceX + targetX) / 8 + (edge * 3) / 4, labelY: (sourceY + targetY) / 2, anchor: "start" };
  }
  if (loop && targetX < sourceX) {
    const drop = Math.max(90, Math.abs(targetX - sourceX) * 0.25);
    const bottom = Math.max(sourceY, targetY) + drop;
    const path = `M ${sourceX} ${sourceY} C ${sourceX + 80} ${sourceY}, ${sourceX + 80} ${bottom}, ${(sourceX + targetX) / 2} ${bottom} S ${targetX - 80} ${targetY}, ${targetX} ${targetY}`;
    return { path, labelX: (sourceX + targetX) / 2, labelY: bottom, anchor: "middle" };
  }
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return { path, labelX, labelY, anchor: "middle" };
}
