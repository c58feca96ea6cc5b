/**
 * Copy and paste of a part of the canvas. A fragment holds the selected sections and players
 * and the cues between copied players; pasting gives everything fresh ids and rewires the
 * copies to each other, so a pasted review loop is a second, independent loop.
 */
import type { Cue } from "../bindings/Cue";
import type { Player } from "../bindings/Player";
import type { Score } from "../bindings/Score";
import type { Section } from "../bindings/Section";
import { uniqueId } from "./ids";
import type { Selection } from "./selection";

export type Fragment = { sections: Section[]; players: Player[]; cues: Cue[] };

export function copyFragment(score: Score, selection: Selection): Fragment {
  const sectionIds = new Set(selection.sections);
  const playerIds = new Set(selection.players);
  // Copying a section copies the players sitting in it.
  for (const p of score.players) if (p.section && sectionIds.has(p.section)) playerIds.add(p.id);
  return structuredClone({
    sections: score.sections.filter((s) => sectionIds.has(s.id)),
    players: score.players.filter((p) => playerIds.has(p.id)),
    cues: score.cues.filter((c) => playerIds.has(c.from) && playerIds.has(c.to)),
  });
}

export function pasteFragment(
  score: Score,
  fragment: Fragment,
  offset: { x: number; y: number },
): { score: Score; selection: Selection } {
  const sectionIds = new Set(score.sections.map((s) => s.id));
  const playerIds = new Set(score.players.map((p) => p.id));
  const sectionMap = new Map<string, string>();
  const playerMap = new Map<string, string>();
  const sections = fragment.sections.map((s) => {
    const id = uniqueId(s.id, sectionIds);
    sectionIds.add(id);
    sectionMap.set(s.id, id);
    return { ...structuredClone(s), id, position: { x: s.position.x + offset.x, y: s.position.y + offset.y } };
  });
  const players = fragment.players.map((p) => {
    const id = uniqueId(p.id, playerIds);
    playerIds.add(id);
    playerMap.set(p.id, id);
    const copy: Player = {
      ...structuredClone(p),
      id,
      position: { x: p.position.x + offset.x, y: p.position.y + offset.y },
    };
    if (p.section !== undefined && sectionMap.has(p.section)) copy.section = sectionMap.get(p.section);
    return copy;
  });
  const cues = fragment.cues.map((c) => ({
    ...structuredClone(c),
    from: playerMap.get(c.from) ?? c.from,
    to: playerMap.get(c.to) ?? c.to,
  }));
  return {
    score: {
      ...score,
      sections: [...score.sections, ...sections],
      players: [...score.players, ...players],
      cues: [...score.cues, ...cues],
    },
    selection: {
      sections: sections.map((s) => s.id),
      players: players.map((p) => p.id),
      cues: [],
    },
  };
}
