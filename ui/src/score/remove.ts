/**
 * Deleting keeps the score valid where it can: cues of removed players go with them, and the
 * players of a removed section stay, keeping its zone as their own.
 */
import type { Score } from "../bindings/Score";
import { cueKeys } from "./keys";
import type { Selection } from "./selection";

export function removeSelection(score: Score, selection: Selection): Score {
  const players = new Set(selection.players);
  const sections = new Set(selection.sections);
  const cues = new Set(selection.cues);
  if (players.size + sections.size + cues.size === 0) return score;
  const removedZones = new Map(score.sections.filter((s) => sections.has(s.id)).map((s) => [s.id, s.zone]));
  const keys = cueKeys(score.cues);
  return {
    ...score,
    sections: score.sections.filter((s) => !sections.has(s.id)),
    players: score.players
      .filter((p) => !players.has(p.id))
      .map((p) => {
        if (p.section === undefined || !removedZones.has(p.section)) return p;
        const next = { ...p, zone: p.zone ?? removedZones.get(p.section) };
        delete next.section;
        return next;
      }),
    cues: score.cues.filter((c, i) => !cues.has(keys[i]) && !players.has(c.from) && !players.has(c.to)),
  };
}
