import { describe, expect, it } from "vitest";
import type { Event } from "../bindings/Event";
import { outcomeWords } from "./outcome";

const usage = { input_tokens: 0, output_tokens: 0 };
const finish = (outcome: string, players?: number, never_cued?: number, carried?: number) =>
  ({ seq: 1, at_ms: 1, type: "performance_finished", outcome, reason: null, usage, cost_usd: 0, elapsed_ms: 1, players, never_cued, carried }) as Extract<Event, { type: "performance_finished" }>;

describe("the outcome in honest words", () => {
  it("says which players were never cued and how many a fork carried over, as the engine does", () => {
    expect(outcomeWords(finish("succeeded", 4, 0, 0))).toBe("succeeded");
    expect(outcomeWords(finish("succeeded", 4, 2, 0))).toBe("finished, 2 of 4 players never cued");
    expect(outcomeWords(finish("failed", 3, 1, 0))).toBe("failed, 1 of 3 players never cued");
    expect(outcomeWords(finish("cut_off", 1, 1, 0))).toBe("cut off, 1 of 1 player never cued");
    expect(outcomeWords(finish("succeeded", 4, 0, 2))).toBe("succeeded, 2 carried over");
    expect(outcomeWords(finish("budget_exceeded"))).toBe("budget exceeded");
  });
});
