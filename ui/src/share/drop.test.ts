/** What a dropped path is taken for, by its name alone (the shell reads the content). */
import { describe, expect, test } from "vitest";
import { droppedKind } from "./drop";

describe("droppedKind", () => {
  test.each([
    ["/home/me/trio.score.toml", "score"],
    ["C:\\Users\\me\\trio.score.zip", "bundle"],
    ["/work/crew/src/crew/config/agents.yaml", "project"],
    ["/work/crew/src/crew/config/Tasks.yml", "project"],
    ["/work/graphs/support.json", "project"],
    ["/work/my_crew", "project"],
    ["/work/my_crew/", "project"],
    ["/work/notes.txt", null],
    ["/work/other.yaml", null],
    ["/work/trio.toml", null],
  ])("%s is a %s", (path, kind) => {
    expect(droppedKind(path)).toBe(kind);
  });
});
