/**
 * Where a cue's label has room on a zoomed-out canvas. Below the readable zoom a label is drawn
 * as large as the names (NAME_PX on screen, so ever larger in flow pixels as the view zooms
 * out), and one that would then cover a player is left out (detail.css): its cue is still drawn,
 * and its tooltip and the inspector say it in full. A label only grows as the view zooms out, so
 * once it covers a player it covers one at every level further out: one number per cue, the
 * highest level at which it covers one, says where that starts. Worked out once per layout from
 * the players' places (players are all GEOMETRY's size), not per frame.
 */
import type { Cue } from "../bindings/Cue";
import type { Player } from "../bindings/Player";
import { GEOMETRY } from "../bindings/canvasGeometry";
import { Position } from "@xyflow/react";
import { cuePath, oneColumn } from "./cuePath";
import { COMPACT_LEVELS, NAME_PX, detailOf } from "./detail";

/** A box on the canvas, in flow pixels. */
export type Box = { x: number; y: number; right: number; bottom: number };

/** A compact label's height and its padding and border across, in em of its text (detail.css). */
const LINE_EM = 1.3 + 2 * 0.077;
const SIDES_EM = 2 * 0.385 + 2 * 0.077;
/** The widest a compact label is drawn, in em (detail.css). */
const MAX_EM = 7;
/** The width of a character of the short words, on average, in em: capitals of the UI font. */
const CHAR_EM = 0.62;
/** Room kept clear around a label, in em: a label that touches a player reads as part of it, and
 * the width of its words is only estimated. */
const MARGIN_EM = 0.3;
/** Players are found through a grid of squares this wide, in flow pixels. */
const CELL = 400;

/** The box of a label with `text` centred on (x, y), or starting there, its text `px` flow pixels tall. */
export function labelBox(x: number, y: number, text: string, px: number, anchor: "middle" | "start" = "middle"): Box {
  const width = Math.min(MAX_EM, [...text].length * CHAR_EM + SIDES_EM) * px;
  const height = LINE_EM * px;
  const left = anchor === "start" ? x : x - width / 2;
  return { x: left, y: y - height / 2, right: left + width, bottom: y + height / 2 };
}

const overlap = (a: Box, b: Box) => a.x < b.right && b.x < a.right && a.y < b.bottom && b.y < a.bottom;

/** The players' boxes, found by the squares of the grid they touch. */
function grid(players: readonly Player[]): Map<string, Box[]> {
  const cells = new Map<string, Box[]>();
  for (const { position } of players) {
    const box = { x: position.x, y: position.y, right: position.x + GEOMETRY.player_width, bottom: position.y + GEOMETRY.player_height };
    for (const key of cellsOf(box)) cells.set(key, [...(cells.get(key) ?? []), box]);
  }
  return cells;
}

function cellsOf(box: Box): string[] {
  const keys: string[] = [];
  for (let cx = Math.floor(box.x / CELL); cx <= Math.floor(box.right / CELL); cx++) {
    for (let cy = Math.floor(box.y / CELL); cy <= Math.floor(box.bottom / CELL); cy++) keys.push(`${cx},${cy}`);
  }
  return keys;
}

/**
 * For each cue, the highest compact level at which its short label would cover a player, or
 * undefined where it has room at every level. `shorts` are the cues' short labels, in order.
 */
export function crowdLevels(players: readonly Player[], cues: readonly Cue[], shorts: readonly string[]): (number | undefined)[] {
  const cells = grid(players);
  const at = new Map(players.map((p) => [p.id, p.position]));
  const levels = COMPACT_LEVELS.map((level) => ({ level, px: NAME_PX / (detailOf(level).zoom ?? 1) }));
  return cues.map((cue, i) => {
    const from = at.get(cue.from);
    const to = at.get(cue.to);
    if (!from || !to || !shorts[i]) return undefined;
    // The handles: the middle of the source's right side and of the target's left side, or its
    // right side within one column.
    const middle = GEOMETRY.player_height / 2;
    const aside = oneColumn(from, to);
    const { labelX, labelY, anchor } = cuePath(
      cue.max_repeats !== undefined,
      from.x + GEOMETRY.player_width,
      from.y + middle,
      aside ? to.x + GEOMETRY.player_width : to.x,
      to.y + middle,
      Position.Right,
      aside ? Position.Right : Position.Left,
    );
    for (const { level, px } of levels) {
      const drawn = labelBox(labelX, labelY, shorts[i], px, anchor);
      const margin = MARGIN_EM * px;
      const box = { x: drawn.x - margin, y: drawn.y - margin, right: drawn.right + margin, bottom: drawn.bottom + margin };
      if (cellsOf(box).some((key) => cells.get(key)?.some((player) => overlap(box, player)))) return level;
    }
    return undefined;
  });
}
