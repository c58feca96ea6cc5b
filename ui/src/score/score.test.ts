import { describe, expect, it } from "vitest";
import { indexProblems } from "../app/validation";
import { cueDescription, cueLabel, cueShortLabel, verdictWords } from "./cues";
import { cueKey } from "./keys";
import { shortVersion } from "./version";
import { uniqueId } from "./ids";
import { join, relativeInside } from "../panels/paths";

describe("ids and cue labels", () => {
  it("makes readable ids that never collide", () => {
    expect(uniqueId("Code Reviewer!", new Set())).toBe("code-reviewer");
    expect(uniqueId("coder", new Set(["coder", "coder-2"]))).toBe("coder-3");
    expect(uniqueId("???", new Set())).toBe("player");
  });

  it("labels condition, loop limit and checkpoint compactly", () => {
    expect(cueLabel({ from: "a", to: "b" })).toBe("");
    expect(cueLabel({ from: "a", to: "b", when: "verdict", verdict: "FIX", max_repeats: 3, checkpoint: true })).toBe(
      "verdict: FIX · ↻ 3 · ⏸ checkpoint",
    );
    expect(cueLabel({ from: "a", to: "b", when: "failure" })).toBe("✗");
    expect(cueLabel({ from: "a", to: "b", when: "success" })).toBe("✓");
    // Zoomed out: the same, in fewer words.
    expect(cueShortLabel({ from: "a", to: "b", when: "verdict", verdict: "(?m)^VERDICT: FIX$", max_repeats: 3, checkpoint: true })).toBe("↻ 3 · FIX · ⏸");
    expect(cueShortLabel({ from: "a", to: "b", when: "verdict" })).toBe("verdict");
    expect(cueShortLabel({ from: "a", to: "b", when: "failure" })).toBe("✗");
  });

  it("shows the words a verdict pattern looks for, not the regex around them", () => {
    expect(verdictWords("(?m)^VERDICT: CHANGES REQUESTED")).toBe("CHANGES REQUESTED");
    expect(verdictWords("(?i)^approved$")).toBe("approved");
    expect(verdictWords("^LGTM|^SHIP IT$")).toBe("LGTM|SHIP IT");
    expect(verdictWords("score: 10\\.0")).toBe("score: 10.0");
    const long = verdictWords("(?m)^VERDICT: THE CHANGE NEEDS ANOTHER ROUND OF REVIEW");
    expect(long.length).toBe(24);
    expect(long.endsWith("…")).toBe(true);
  });

  it("describes a cue in full words for its tooltip", () => {
    const text = cueDescription({ from: "r", to: "c", when: "verdict", verdict: "(?m)^VERDICT: CHANGES", max_repeats: 3 });
    expect(text).toContain("r → c");
    expect(text).toContain("/(?m)^VERDICT: CHANGES/");
    expect(text).toContain("at most 3 times");
  });

  it("shortens a context version to its first hex digits", () => {
    expect(shortVersion("sha256:e3b0c44298fc1c149afbf4c8996fb924")).toBe("e3b0c442");
    expect(shortVersion("c0ffee1234abcd")).toBe("c0ffee12");
  });
});

describe("problems by target", () => {
  it("indexes problems under the player, cue or section they are about", () => {
    const index = indexProblems([
      { rule: "missing_zone", message: "m1", target: { kind: "player", id: "a" } },
      { rule: "self_cue", message: "m2", target: { kind: "cue", from: "a", to: "a" } },
      { rule: "duplicate_id", message: "m3", target: { kind: "player", id: "a" } },
      { rule: "format", message: "m4", target: { kind: "score" } },
    ]);
    expect(index.byPlayer.get("a")?.map((p) => p.message)).toEqual(["m1", "m3"]);
    expect(index.byCue.get(cueKey({ from: "a", to: "a" }))?.map((p) => p.message)).toEqual(["m2"]);
    expect(index.bySection.size).toBe(0);
  });
});

describe("relative paths", () => {
  it("keeps paths inside a folder relative and refuses the rest", () => {
    expect(relativeInside("/home/a/project", "/home/a/project/docs/spec.md")).toBe("docs/spec.md");
    expect(relativeInside("/home/a/project", "/home/a/project")).toBe(".");
    expect(relativeInside("/home/a/project", "/home/a/other/x.md")).toBeNull();
    expect(relativeInside("/home/a/project", "/home/a/projectx/x.md")).toBeNull();
    expect(join("/home/a/scores", "../work")).toBe("/home/a/work");
  });
});
