import { describe, expect, it } from "vitest";
import { CLEARANCE, crowdsPlayer } from "./labelRoom";

describe("a cue label's room", () => {
  const reviewer = { x: 60, y: 60, width: 220, height: 102 };
  const tester = { x: 60, y: 167, width: 220, height: 102 };

  it("is crowded between two players of one column", () => {
    // The gap between them is 5 flow pixels: a label there covers both names.
    expect(crowdsPlayer(170, 164.5, [reviewer, tester])).toBe(true);
    expect(crowdsPlayer(170, 100, [reviewer])).toBe(true);
  });

  it("has room between columns, and just past the clearance", () => {
    expect(crowdsPlayer(400, 111, [reviewer, { x: 520, y: 60, width: 220, height: 102 }])).toBe(false);
    expect(crowdsPlayer(280 + CLEARANCE + 1, 111, [reviewer])).toBe(false);
    expect(crowdsPlayer(280 + CLEARANCE, 111, [reviewer])).toBe(true);
    expect(crowdsPlayer(170, 60 - CLEARANCE - 1, [reviewer])).toBe(false);
  });

  it("has room when no player is known yet", () => {
    expect(crowdsPlayer(0, 0, [])).toBe(false);
  });
});
