/** What is selected on the canvas: players and sections by id, cues by their key (see keys.ts). */
import type { CueKey } from "./keys";

export type Selection = {
  players: string[];
  sections: string[];
  cues: CueKey[];
};

export const EMPTY_SELECTION: Selection = { players: [], sections: [], cues: [] };

export function isEmpty(selection: Selection): boolean {
  return selection.players.length + selection.sections.length + selection.cues.length === 0;
}
