/**
 * The line a cue is drawn along and where its label sits, from the ends of the cue. A loop cue
 * that goes back (its target left of its source) arcs below both players instead of cutting
 * through them; any other cue is React Flow's bezier. Shared by the edge that draws the cue and
 * by the canvas's check of where labels have room (labelRoom.ts), so both mean the same place.
 */
import { getBezierPath, Position } from "@xyflow/react";

export type CuePath = { path: string; labelX: number; labelY: number };

export function cuePath(
  loop: boolean,
  sourceX: number,
  sourceY: number,
  targetX: number,
  targetY: number,
  sourcePosition: Position = Position.Right,
  targetPosition: Position = Position.Left,
): CuePath {
  if (loop && targetX < sourceX) {
    const drop = Math.max(90, Math.abs(targetX - sourceX) * 0.25);
    const bottom = Math.max(sourceY, targetY) + drop;
    const path = `M ${sourceX} ${sourceY} C ${sourceX + 80} ${sourceY}, ${sourceX + 80} ${bottom}, ${(sourceX + targetX) / 2} ${bottom} S ${targetX - 80} ${targetY}, ${targetX} ${targetY}`;
    return { path, labelX: (sourceX + targetX) / 2, labelY: bottom };
  }
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return { path, labelX, labelY };
}
