/**
 * Semantic zoom: how much of the score the canvas draws at a zoom. From READABLE_ZOOM up a
 * player shows everything (name, instrument, zone, part, live output). Below it that detail is
 * too small to read and is hidden, and the player is drawn compactly: its zone stripe and its
 * name. At every zoom down to FLOOR_ZOOM the names of players and sections are drawn at least
 * NAME_PX tall on screen, larger in the flow as the view zooms out (in full detail too, from the
 * zoom where their own size would fall below that). Below the floor the names shrink with the
 * rest, still inside their nodes.
 *
 * The drawn size changes in levels LEVEL_STEP apart (so a name is at most that much above
 * NAME_PX), never on every zoom tick: the canvas holds the level as an attribute of its own
 * element (zoomDetail.ts), nodes do not re-render for it, and a zoom gesture restyles the names
 * a handful of times in all. Each level's sizes are plain values in rules of their own
 * (`levelRules`; detail.css sizes the rest in em of them): a custom property on the canvas
 * instead would restyle every element under it, about twice the cost with 500 players in view.
 */
import { GEOMETRY } from "../bindings/canvasGeometry";

/** From this zoom up a player's detail (instrument, part, output) can be read. */
export const READABLE_ZOOM = 0.7;
/** On-screen size of a player's or section's name, at least (the window test's bar). */
export const NAME_PX = 13;
/** A player's name in full detail (styles.css); below NAME_PX / this zoom it is drawn larger. */
const OWN_NAME_PX = 15;
/** Line height of compact names, as a multiple of their size (detail.css). */
export const NAME_LINE = 1.2;
/** A compact player's padding and border, in flow pixels (detail.css). */
const COMPACT_PADDING = 4;
const BORDER = 1;

/**
 * The lowest zoom at which names are still drawn NAME_PX tall. Measured, not guessed, against
 * the room a compact player and a section frame have:
 * - a compact player holds two lines of names (2 × 15.6 px) in its 102 flow pixels of height
 *   from zoom 0.306;
 * - a section's title fits the band above its players (header and padding, 48 flow pixels) from
 *   zoom 0.325 (15.6 / 48);
 * - a line, 205 flow pixels (the node's 220 less its zone stripe, border and padding), is then
 *   67 px wide: an eight-letter name such as "Reviewer" or "Designer" in a wide UI font (DejaVu
 *   Sans, 58-60 px at 13 px) fits whole; a longer word breaks onto the second line.
 */
export const FLOOR_ZOOM = 0.325;
/** Consecutive levels are this factor apart. */
export const LEVEL_STEP = 1.1;

/** Level m sizes names for the zoom READABLE_ZOOM × LEVEL_STEP^m; below 0 is compact. */
const levelZoom = (level: number) => READABLE_ZOOM * LEVEL_STEP ** level;
/** The deepest level: the first whose zoom reaches the floor (-9). */
const BOTTOM = -Math.ceil(Math.log(READABLE_ZOOM / FLOOR_ZOOM) / Math.log(LEVEL_STEP));
/** The compact levels, from the closest (-1) to the deepest (at the floor). */
export const COMPACT_LEVELS: readonly number[] = Array.from({ length: -BOTTOM }, (_, i) => -1 - i);
/** The first level whose zoom draws names at their own size, NAME_PX or more (3: 0.93). */
export const OWN_SIZE_LEVEL = Math.ceil(Math.log(NAME_PX / OWN_NAME_PX / READABLE_ZOOM) / Math.log(LEVEL_STEP));

/** What the canvas draws at a zoom. */
export type Detail = {
  /** Only zone stripes and names, below READABLE_ZOOM. */
  compact: boolean;
  /** The zoom names are sized for (NAME_PX / zoom flow pixels), when not at their own size. */
  zoom?: number;
  /** How many lines of name a compact player has room for. */
  lines?: number;
};

/**
 * The level for `zoom`: the highest level whose zoom is at or below it, from BOTTOM (the floor,
 * also for every zoom under it) to OWN_SIZE_LEVEL. A plain number, so a selector on React Flow's
 * zoom changes only when the level does.
 */
export function detailLevel(zoom: number): number {
  if (!(zoom < levelZoom(OWN_SIZE_LEVEL))) return OWN_SIZE_LEVEL;
  let level = OWN_SIZE_LEVEL - 1;
  while (level > BOTTOM && levelZoom(level) > zoom) level--;
  return level;
}

export function detailOf(level: number): Detail {
  const compact = level < 0;
  if (level >= OWN_SIZE_LEVEL) return { compact };
  const zoom = Math.max(FLOOR_ZOOM, levelZoom(Math.max(level, BOTTOM)));
  if (!compact) return { compact, zoom };
  const room = GEOMETRY.player_height - 2 * BORDER - 2 * COMPACT_PADDING;
  // A hair of slack: at the floor two lines fill the room to within rounding.
  const lines = Math.max(1, Math.floor((room * zoom) / (NAME_PX * NAME_LINE) + 1e-9));
  return { compact, zoom, lines };
}

/**
 * The rules that size names for each level below OWN_SIZE_LEVEL, keyed on the canvas's
 * `data-level`: compact players, sections and cue labels get the level's name size as
 * their font size, players the lines of name they have room for (one less off the score,
 * which takes a line to say so), and labels that would cover a player there are left out.
 */
export function levelRules(): string {
  const rules: string[] = [];
  for (let level = BOTTOM; level < OWN_SIZE_LEVEL; level++) {
    const detail = detailOf(level);
    if (detail.zoom === undefined) continue;
    const at = `.canvas[data-level="${level}"]`;
    // Rounded up: a name is never drawn under NAME_PX.
    const size = `font-size: ${Math.ceil((NAME_PX / detail.zoom) * 100) / 100}px;`;
    if (detail.lines === undefined) {
      rules.push(`${at} .player-name, ${at} .section-head { ${size} }`);
      continue;
    }
    const tagged = Math.max(1, detail.lines - 1);
    rules.push(`${at} .player-node, ${at} .section-node, ${at} .cue-label { ${size} }`);
    rules.push(`${at} .player-name { -webkit-line-clamp: ${detail.lines}; line-clamp: ${detail.lines}; }`);
    // A label that covers a player from a closer level (labelRoom.ts) does so here too.
    const crowded = COMPACT_LEVELS.filter((from) => from >= level).map((from) => `${at} .cue-label[data-crowd="${from}"]:not(.marked)`);
    rules.push(`${crowded.join(", ")} { display: none; }`);
    rules.push(`${at} .off-score .player-name { -webkit-line-clamp: ${tagged}; line-clamp: ${tagged}; }`);
  }
  return rules.join("\n");
}
