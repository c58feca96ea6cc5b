/** The problems list: every problem the engine found; clicking one selects and centres its culprit. */
import { useStore } from "zustand";
import type { Problem } from "../bindings/Problem";
import { actions } from "../app/studio";
import { validation } from "../app/validation";
import { cueKey } from "../score/keys";
import { EMPTY_SELECTION } from "../score/selection";

function reveal(problem: Problem, openCompose: () => void): void {
  const t = problem.target;
  switch (t.kind) {
    case "player":
      actions.select({ ...EMPTY_SELECTION, players: [t.id] }, { focus: true });
      break;
    case "section":
      actions.select({ ...EMPTY_SELECTION, sections: [t.id] }, { focus: true });
      break;
    case "cue":
      actions.select({ ...EMPTY_SELECTION, cues: [cueKey(t)] }, { focus: true });
      break;
    default:
      openCompose();
  }
}

function where(problem: Problem): string {
  const t = problem.target;
  switch (t.kind) {
    case "player":
      return `player ${t.id}`;
    case "section":
      return `section ${t.id}`;
    case "cue":
      return `cue ${t.from} → ${t.to}`;
    default:
      return t.kind;
  }
}

export function ProblemsList({ openCompose }: { openCompose: () => void }) {
  const { problems, error } = useStore(validation);
  if (error) return <p className="error">The score could not be checked: {error}</p>;
  if (problems.length === 0) return <p className="ok" data-testid="no-problems">No problems: the score is ready to perform.</p>;
  return (
    <ul className="problems" data-testid="problems">
      {problems.map((problem, i) => (
        <li key={i}>
          <button type="button" onClick={() => reveal(problem, openCompose)} data-testid="problem">
            <span className="rule">{problem.rule.replace(/_/g, " ")}</span>
            <span className="where">{where(problem)}</span>
            <span className="message">{problem.message}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
