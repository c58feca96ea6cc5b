import { describe, expect, it } from "vitest";
import type { Questionnaire } from "../bindings/Questionnaire";
import { answersOf, blankDraft, draftProblems } from "./survey";

const zones = ["innovator", "integrator", "improver", "stabilizer"] as const;
const questionnaire: Questionnaire = {
  alignment_instructions: "Spread 10 points.",
  scenarios: [1, 2].map((n) => ({ id: `s${n}`, prompt: `Scenario ${n}`, statements: zones.map((zone) => ({ text: zone, zone })) })),
  safety_instructions: "1 to 7.",
  safety_items: [1, 2, 3].map((number) => ({ number, text: `item ${number}`, reversed: number === 1 })),
  scale_labels: ["very inaccurate", "very accurate"],
};

describe("survey drafts", () => {
  it("refuses a scenario that does not add up to 10, and names it", () => {
    const draft = { ...blankDraft(questionnaire, "Ada"), points: [[4, 3, 2, 0], [10, 0, 0, 0]] };
    expect(draftProblems(draft)).toEqual(["Scenario 1 adds up to 9, not 10."]);
  });

  it("refuses fractions, negatives, an unnamed person and an empty survey", () => {
    expect(draftProblems({ ...blankDraft(questionnaire, "Ada"), points: [[11, -1, 0, 0], [10, 0, 0, 0]] })).toContain("Scenario 1: points are whole numbers from 0.");
    expect(draftProblems(blankDraft(questionnaire, " "))).toEqual([
      "Name the person answering.",
      "Answer the scenarios, the statements about the team, or both.",
    ]);
  });

  it("needs every statement about the team once one is answered", () => {
    const draft = { ...blankDraft(questionnaire, "Ada"), items: [7, null, 8] };
    expect(draftProblems(draft)).toEqual(["Statement 2 about the team has no answer.", "Statement 3: answer 1 to 7."]);
  });

  it("keeps only the parts answered", () => {
    const draft = { ...blankDraft(questionnaire, " Ada "), items: [7, 4, 1] };
    expect(draftProblems(draft)).toEqual([]);
    expect(answersOf(draft)).toEqual({ person: "Ada", alignment: null, safety: { items: [7, 4, 1] } });
    const both = { ...draft, points: [[10, 0, 0, 0], [2, 2, 3, 3]] };
    expect(answersOf(both).alignment).toEqual({ points: [[10, 0, 0, 0], [2, 2, 3, 3]] });
  });
});
