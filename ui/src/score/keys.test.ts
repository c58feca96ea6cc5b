import { describe, expect, it } from "vitest";
import { cueIndex, cueKey, cueKeys, cueOf, nodeTarget, playerNodeId, sectionNodeId } from "./keys";

describe("cue keys", () => {
  it("name a cue by its ends and give repeated cues distinct keys", () => {
    expect(cueKeys([{ from: "a", to: "b" }, { from: "a", to: "b" }, { from: "b", to: "a" }])).toEqual(["a->b", "a->b#1", "b->a"]);
    expect(cueIndex([{ from: "a", to: "b" }, { from: "a", to: "b" }], cueKey({ from: "a", to: "b" }, 1))).toBe(1);
    expect(cueIndex([{ from: "a", to: "b" }], cueKey({ from: "b", to: "a" }))).toBe(-1);
  });

  it("read back into the ends they were made from, whatever the ids hold", () => {
    const ends = [
      { from: "coder", to: "reviewer" },
      { from: "a-", to: "-b" },
      { from: "x->y", to: "y->x" },
      { from: "p#1", to: "q%20" },
      { from: "section:s", to: "spielmann ö" },
    ];
    for (const cue of ends) {
      expect(cueOf(cueKey(cue))).toEqual({ ...cue, repeat: 0 });
      expect(cueOf(cueKey(cue, 3))).toEqual({ ...cue, repeat: 3 });
    }
    expect(new Set(ends.map((cue) => cueKey(cue))).size).toBe(ends.length);
  });
});

describe("node ids", () => {
  it("say whether they name a player or a section, so the two never collide", () => {
    expect(nodeTarget(playerNodeId("build"))).toEqual({ kind: "player", id: "build" });
    expect(nodeTarget(sectionNodeId("build"))).toEqual({ kind: "section", id: "build" });
    expect(nodeTarget(playerNodeId("section:x"))).toEqual({ kind: "player", id: "section:x" });
    expect(playerNodeId("build")).not.toBe(sectionNodeId("build"));
    expect(nodeTarget("somewhere")).toBeUndefined();
  });
});
