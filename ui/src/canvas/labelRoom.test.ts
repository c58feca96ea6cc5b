import { describe, expect, it } from "vitest";
import type { Cue } from "../bindings/Cue";
import type { Player } from "../bindings/Player";
import { GEOMETRY } from "../bindings/canvasGeometry";
import { COMPACT_LEVELS } from "./detail";
import { crowdLevels, labelBox } from "./labelRoom";

const player = (id: string, x: number, y: number) => ({ id, name: id, part: "", instrument: { kind: "rehearsal" }, position: { x, y } }) as Player;
const { player_width: W, player_height: H, node_gap: GAP } = GEOMETRY;

describe("where a cue's label has room", () => {
  it("sizes a label by its words and the level's text size, at most 7em wide, centred or starting at its point", () => {
    const box = labelBox(100, 50, "OK", 20);
    expect(box.right - box.x).toBeCloseTo((2 * 0.62 + 2 * 0.385 + 2 * 0.077) * 20);
    expect(box.bottom - box.y).toBeCloseTo((1.3 + 2 * 0.077) * 20);
    const long = labelBox(0, 0, "CHANGES REQUESTED AND MORE", 10);
    expect(long.right - long.x).toBeCloseTo(70);
    expect(labelBox(100, 50, "OK", 20, "start").x).toBe(100);
  });

  it("puts the label of a cue within one column beside it, with room unless the next column is close", () => {
    // Tester right under Reviewer: the cue comes back into Tester's right side, its label starts
    // at the bracket's outer point, clear of both.
    const players = [player("reviewer", 0, 0), player("tester", 0, H + GAP)];
    const cues: Cue[] = [{ from: "reviewer", to: "tester", when: "verdict", verdict: "APPROVED" }];
    expect(crowdLevels(players, cues, ["APPROVED"])).toEqual([undefined]);
    const [level] = crowdLevels([...players, player("documenter", W + 80, 60)], cues, ["APPROVED"]);
    expect(level).toBeDefined();
  });

  it("keeps a short label between columns at every level, and a long one only until it grows too wide", () => {
    const players = [player("a", 0, 0), player("b", W + 240, 0)];
    const cue: Cue = { from: "a", to: "b" };
    expect(crowdLevels(players, [cue], ["✓"])).toEqual([undefined]);
    const [level] = crowdLevels(players, [cue], ["CHANGES REQUESTED"]);
    expect(level).toBeDefined();
    expect(level).toBeLessThan(-1);
    expect(COMPACT_LEVELS).toContain(level);
  });

  it("finds a third player the label would cover, not only the cue's own", () => {
    // a → c passes over b, which sits between them on the same row.
    const players = [player("a", 0, 0), player("b", W + 100, 0), player("c", 2 * W + 200, 0)];
    expect(crowdLevels(players, [{ from: "a", to: "c" }], ["✗"])).toEqual([-1]);
    expect(crowdLevels(players.filter((p) => p.id !== "b"), [{ from: "a", to: "c" }], ["✗"])).toEqual([undefined]);
  });

  it("has nothing to leave out for a cue without a label or with a player missing", () => {
    const players = [player("a", 0, 0), player("b", W + 240, 0)];
    expect(crowdLevels(players, [{ from: "a", to: "b" }, { from: "a", to: "nobody" }], ["", "✓"])).toEqual([undefined, undefined]);
  });
});
