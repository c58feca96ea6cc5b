/**
 * The diagnosis shown in the studio: the latest report for the open document, the score it was
 * made from (to say when the canvas has moved on), and whether the Diagnose view is open (the
 * canvas shows declared-vs-inferred badges only then). Opening another document forgets it.
 */
import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import type { PlayerAlignment } from "../bindings/PlayerAlignment";
import type { Report } from "../bindings/Report";
import type { Score } from "../bindings/Score";
import { documentStore } from "../app/studio";
import { DIAGNOSE_LAST } from "../bindings/engineValues";
import { errorMessage, ipc } from "../ipc";

export type Diagnosis = {
  report: Report | null;
  /** The score object the report was made from; the document's score is another one after an edit. */
  diagnosed: Score | null;
  /** The document (its autosave key) the report belongs to. */
  documentKey: string | null;
  busy: boolean;
  error: string | null;
  /** How many of the latest performances to read. */
  last: number;
  /** The Diagnose view is open: the canvas marks each player's zones. */
  shown: boolean;
};

export const diagnosis = createStore<Diagnosis>(() => ({
  report: null,
  diagnosed: null,
  documentKey: null,
  busy: false,
  error: null,
  last: DIAGNOSE_LAST.default,
  shown: false,
}));

/** Diagnoses the open score over its latest `last` performances; each call is recorded by the engine. */
export async function diagnose(): Promise<void> {
  const { score, path, key } = documentStore.getState();
  if (!score || diagnosis.getState().busy) return;
  diagnosis.setState({ busy: true, error: null });
  try {
    const report = await ipc.diagnose(score, path, diagnosis.getState().last);
    // The person may have opened another score meanwhile: the report is of the one asked about.
    if (documentStore.getState().key !== key) return;
    diagnosis.setState({ report, diagnosed: score, documentKey: key });
  } catch (error) {
    diagnosis.setState({ error: errorMessage(error) });
  } finally {
    diagnosis.setState({ busy: false });
  }
}

export function setLast(last: number): void {
  diagnosis.setState({ last: Math.max(DIAGNOSE_LAST.min, Math.min(DIAGNOSE_LAST.max, Math.round(last) || DIAGNOSE_LAST.min)) });
}

export function setShown(shown: boolean): void {
  diagnosis.setState({ shown });
}

// A report belongs to one document: it is forgotten when another opens (or the score closes).
documentStore.subscribe((state, previous) => {
  if ((state.key !== previous.key || state.score === null) && diagnosis.getState().report) {
    diagnosis.setState({ report: null, diagnosed: null, documentKey: null, error: null });
  }
});

export function useDiagnosis<T>(selector: (state: Diagnosis) => T): T {
  return useStore(diagnosis, selector);
}

/** A player's alignment while the Diagnose view shows a report; undefined otherwise. */
export function usePlayerAlignment(player: string): PlayerAlignment | undefined {
  return useStore(diagnosis, (d) => (d.shown ? d.report?.alignment.players.find((p) => p.player === player) : undefined));
}
