/**
 * The names the studio gives to what the score does not name itself: cue keys and canvas node
 * ids. They are built and read here only; everywhere else they are opaque, branded strings, so a
 * player id cannot be passed where a node id or a cue key is meant.
 *
 * A cue has no id of its own: it is named by its ends, `from->to`. A score may (wrongly) hold the
 * same cue twice, and the canvas still needs one key per edge, so the n-th repeat gets `#n`. Each
 * end is percent-encoded (plain ids such as `coder` read the same), so no end holds a `>` or a
 * `#` and every key reads back into the ends it was made from.
 *
 * Canvas nodes of players and sections share one id space, so each id says what it names:
 * `player:<id>` and `section:<id>`.
 */
import type { Cue } from "../bindings/Cue";

declare const cueKeyBrand: unique symbol;
declare const nodeIdBrand: unique symbol;

/** Names one cue of a score (see above); also the id of its edge on the canvas. */
export type CueKey = string & { readonly [cueKeyBrand]: true };
/** The id of a player's or a section's node on the canvas. */
export type NodeId = string & { readonly [nodeIdBrand]: true };

export type CueEnds = Pick<Cue, "from" | "to">;
/** What a canvas node stands for. */
export type NodeTarget = { kind: "player"; id: string } | { kind: "section"; id: string };

const ARROW = "->";
const REPEAT = "#";

/** The key of a cue; `repeat` counts earlier cues of the score with the same ends. */
export function cueKey(cue: CueEnds, repeat = 0): CueKey {
  const key = `${encodeURIComponent(cue.from)}${ARROW}${encodeURIComponent(cue.to)}`;
  return (repeat === 0 ? key : `${key}${REPEAT}${repeat}`) as CueKey;
}

/** One key per cue, in order, unique even when the score repeats a cue. */
export function cueKeys(cues: readonly CueEnds[]): CueKey[] {
  const seen = new Map<string, number>();
  return cues.map((cue) => {
    const plain = cueKey(cue);
    const repeat = seen.get(plain) ?? 0;
    seen.set(plain, repeat + 1);
    return cueKey(cue, repeat);
  });
}

/** The ends of the cue a key names, and which repeat of those ends it is. */
export function cueOf(key: CueKey): CueEnds & { repeat: number } {
  const hash = key.indexOf(REPEAT);
  const ends = hash < 0 ? key : key.slice(0, hash);
  const arrow = ends.indexOf(">") - 1; // the only `>` in a key is the arrow's: ends are encoded
  return {
    from: decodeURIComponent(ends.slice(0, arrow)),
    to: decodeURIComponent(ends.slice(arrow + ARROW.length)),
    repeat: hash < 0 ? 0 : Number(key.slice(hash + 1)),
  };
}

/** The index in `cues` of the cue `key` names, or -1 when there is none. */
export function cueIndex(cues: readonly CueEnds[], key: CueKey): number {
  return cueKeys(cues).indexOf(key);
}

const PLAYER = "player:";
const SECTION = "section:";

export function playerNodeId(id: string): NodeId {
  return (PLAYER + id) as NodeId;
}

export function sectionNodeId(id: string): NodeId {
  return (SECTION + id) as NodeId;
}

/** What a node id names; undefined for an id the studio did not make. */
export function nodeTarget(nodeId: string): NodeTarget | undefined {
  if (nodeId.startsWith(PLAYER)) return { kind: "player", id: nodeId.slice(PLAYER.length) };
  if (nodeId.startsWith(SECTION)) return { kind: "section", id: nodeId.slice(SECTION.length) };
  return undefined;
}
