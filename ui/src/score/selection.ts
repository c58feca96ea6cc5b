/** What is selected on the canvas: players and sections by id, cues by their key (see cues.ts). */
export type Selection = {
  players: string[];
  sections: string[];
  cues: string[];
};

export const EMPTY_SELECTION: Selection = { players: [], sections: [], cues: [] };

export function isEmpty(selection: Selection): boolean {
  return selection.players.length + selection.sections.length + selection.cues.length === 0;
}
