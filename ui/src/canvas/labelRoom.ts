/**
 * Whether a cue's label has room where it is drawn. A cue between two players of one column
 * leaves its label's middle on or between those players; zoomed out, where a label is drawn as
 * large as the names, such a label would cover a name and is left out instead (detail.css). Its
 * cue is still drawn and the inspector and tooltip say it in full.
 */

/** A player's box on the canvas, in flow pixels. */
export type Box = { x: number; y: number; width: number; height: number };

/** Flow pixels around a player within which a label's middle counts as on it. */
export const CLEARANCE = 16;

/** Whether the point (x, y), a label's middle, lies on any of `boxes` or within CLEARANCE of it. */
export function crowdsPlayer(x: number, y: number, boxes: readonly Box[]): boolean {
  return boxes.some(
    (b) => x >= b.x - CLEARANCE && x <= b.x + b.width + CLEARANCE && y >= b.y - CLEARANCE && y <= b.y + b.height + CLEARANCE,
  );
}
