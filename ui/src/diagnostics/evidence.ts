/**
 * From a diagnosis to the canvas: which players and cues of the open score a piece of evidence
 * or advice is about. Only what still exists in the score is selected (it may have changed since
 * the diagnosis); a cue the score holds twice selects every copy.
 */
import type { Evidence } from "../bindings/Evidence";
import type { Score } from "../bindings/Score";
import { cueKeys } from "../score/keys";
import { EMPTY_SELECTION, type Selection } from "../score/selection";
import type { AdviceTarget } from "./report";

export function selectionOf(score: Score, players: readonly string[], cues: readonly { from: string; to: string }[]): Selection {
  const known = new Set(score.players.map((p) => p.id));
  const wanted = new Set(cues.map((c) => `${c.from}\u0000${c.to}`));
  const keys = cueKeys(score.cues);
  return {
    ...EMPTY_SELECTION,
    players: [...new Set(players)].filter((id) => known.has(id)),
    cues: keys.filter((_, i) => wanted.has(`${score.cues[i].from}\u0000${score.cues[i].to}`)),
  };
}

/** The players and cues an evidence names. */
export function evidenceSelection(score: Score, evidence: Evidence): Selection {
  return selectionOf(score, evidence.players, evidence.cues);
}

/** Whether the evidence names anything that can be shown on the canvas. */
export function pointsAtCanvas(evidence: Evidence): boolean {
  return evidence.players.length + evidence.cues.length > 0;
}

/** The players and cues a piece of advice points at; sections, zones and the intent select nothing. */
export function adviceSelection(score: Score, target: AdviceTarget): Selection {
  switch (target.kind) {
    case "part":
    case "player":
      return selectionOf(score, [target.player], []);
    case "cue":
      return selectionOf(score, [], [target]);
    case "zone": {
      const zones = new Map(score.sections.map((s) => [s.id, s.zone]));
      const players = score.players.filter((p) => (p.zone ?? (p.section ? zones.get(p.section) : undefined)) === target.zone);
      return selectionOf(score, players.map((p) => p.id), []);
    }
    case "sections": {
      const inSection = new Map(score.players.map((p) => [p.id, p.section]));
      const cues = score.cues.filter((c) => inSection.get(c.from) === target.from && inSection.get(c.to) === target.to);
      return selectionOf(score, [], cues);
    }
    default:
      return EMPTY_SELECTION;
  }
}
