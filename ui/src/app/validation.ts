/**
 * Live validation: the engine judges the score (`validate_score`) 250 ms after the last edit,
 * and the problems are indexed by what they are about so every node and edge finds its own
 * badge in constant time. The shared-context badge is refreshed the same way.
 */
import { createStore } from "zustand/vanilla";
import type { Problem } from "../bindings/Problem";
import type { Score } from "../bindings/Score";
import { errorMessage, ipc, type ContextBadge } from "../ipc";
import { cueKey, type CueKey } from "../score/keys";
import { documentStore } from "./studio";

export const VALIDATE_DELAY_MS = 250;

export type Validation = {
  problems: Problem[];
  byPlayer: Map<string, Problem[]>;
  /** By the key of the first cue with the problem's ends (a repeated cue shares its problems). */
  byCue: Map<CueKey, Problem[]>;
  bySection: Map<string, Problem[]>;
  badge: ContextBadge | null;
  error: string | null;
};

export const validation = createStore<Validation>(() => ({
  problems: [],
  byPlayer: new Map(),
  byCue: new Map(),
  bySection: new Map(),
  badge: null,
  error: null,
}));

export function indexProblems(problems: Problem[]): Pick<Validation, "byPlayer" | "byCue" | "bySection"> {
  const byPlayer = new Map<string, Problem[]>();
  const byCue = new Map<CueKey, Problem[]>();
  const bySection = new Map<string, Problem[]>();
  const add = <K,>(map: Map<K, Problem[]>, key: K, problem: Problem) => {
    const list = map.get(key);
    if (list) list.push(problem);
    else map.set(key, [problem]);
  };
  for (const problem of problems) {
    const t = problem.target;
    if (t.kind === "player") add(byPlayer, t.id, problem);
    else if (t.kind === "cue") add(byCue, cueKey(t), problem);
    else if (t.kind === "section") add(bySection, t.id, problem);
  }
  return { byPlayer, byCue, bySection };
}

let timer: ReturnType<typeof setTimeout> | undefined;
let round = 0;

async function check(score: Score, path: string | null): Promise<void> {
  const mine = ++round;
  try {
    const [problems, badge] = await Promise.all([
      ipc.validateScore(score, path),
      ipc.contextBadge(score, path).catch(() => null),
    ]);
    if (mine !== round) return; // a newer edit is already being judged
    validation.setState({ problems, ...indexProblems(problems), badge, error: null });
  } catch (error) {
    if (mine !== round) return;
    validation.setState({ error: errorMessage(error) });
  }
}

/** Starts judging the open document after every change; returns the function that stops it. */
export function watchValidation(): () => void {
  const unsubscribe = documentStore.subscribe((state, previous) => {
    if (state.score === previous.score && state.path === previous.path) return;
    clearTimeout(timer);
    const { score, path } = state;
    if (!score) {
      validation.setState({ problems: [], ...indexProblems([]), badge: null, error: null });
      return;
    }
    timer = setTimeout(() => void check(score, path), VALIDATE_DELAY_MS);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
