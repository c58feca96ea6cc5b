/**
 * The survey's rules, as the engine checks them: each scenario spreads exactly 10 points over its
 * four statements (whole numbers, none negative), and each psychological-safety item is answered
 * 1 to 7. A person may answer one part only; an untouched part is left out, never sent half done.
 */
import type { PersonAnswers } from "../bindings/PersonAnswers";
import type { Questionnaire } from "../bindings/Questionnaire";
import { POINTS_PER_SCENARIO, SAFETY_SCALE } from "../bindings/engineValues";

export { POINTS_PER_SCENARIO };
export const SCALE_MIN = SAFETY_SCALE.min;
export const SCALE_MAX = SAFETY_SCALE.max;

/** What a person is filling in: points per scenario and statement, and an answer (or none) per item. */
export type Draft = { person: string; points: number[][]; items: (number | null)[] };

export function blankDraft(questionnaire: Questionnaire, person = ""): Draft {
  return {
    person,
    points: questionnaire.scenarios.map((s) => s.statements.map(() => 0)),
    items: questionnaire.safety_items.map(() => null),
  };
}

export function scenarioTotal(points: readonly number[]): number {
  return points.reduce((sum, p) => sum + (Number.isFinite(p) ? p : 0), 0);
}

const touched = (points: readonly number[][]) => points.some((row) => row.some((p) => p !== 0));

/** Everything that keeps the draft from being kept, in words; empty when it can be. */
export function draftProblems(draft: Draft): string[] {
  const problems: string[] = [];
  if (!draft.person.trim()) problems.push("Name the person answering.");
  const alignment = touched(draft.points);
  const safety = draft.items.some((i) => i !== null);
  if (!alignment && !safety) problems.push("Answer the scenarios, the statements about the team, or both.");
  if (alignment) {
    draft.points.forEach((row, i) => {
      if (row.some((p) => !Number.isInteger(p) || p < 0)) problems.push(`Scenario ${i + 1}: points are whole numbers from 0.`);
      const total = scenarioTotal(row);
      if (total !== POINTS_PER_SCENARIO) problems.push(`Scenario ${i + 1} adds up to ${total}, not ${POINTS_PER_SCENARIO}.`);
    });
  }
  if (safety) {
    draft.items.forEach((answer, i) => {
      if (answer === null) problems.push(`Statement ${i + 1} about the team has no answer.`);
      else if (!Number.isInteger(answer) || answer < SCALE_MIN || answer > SCALE_MAX) problems.push(`Statement ${i + 1}: answer ${SCALE_MIN} to ${SCALE_MAX}.`);
    });
  }
  return problems;
}

/** The answers to keep; call only when `draftProblems` is empty. */
export function answersOf(draft: Draft): PersonAnswers {
  return {
    person: draft.person.trim(),
    alignment: touched(draft.points) ? { points: draft.points.map((row) => [...row]) } : null,
    safety: draft.items.some((i) => i !== null) ? { items: draft.items.map((i) => i ?? 0) } : null,
  };
}
