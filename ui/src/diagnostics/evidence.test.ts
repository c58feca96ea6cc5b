import { describe, expect, it } from "vitest";
import type { Score } from "../bindings/Score";
import { cueKey } from "../score/keys";
import { adviceSelection, evidenceSelection } from "./evidence";
import { display } from "./report";

const rehearsal = { kind: "rehearsal", verdicts: [] } as unknown as Score["players"][number]["instrument"];
const score = {
  format: 1,
  title: "Trio",
  intent: { goal: "" },
  context: { files: [] },
  tempo: {},
  sections: [
    { id: "build", name: "Build", zone: "integrator", position: { x: 0, y: 0 }, size: { width: 1, height: 1 } },
    { id: "quality", name: "Quality", zone: "improver", position: { x: 0, y: 0 }, size: { width: 1, height: 1 } },
  ],
  players: [
    { id: "coder", name: "Coder", section: "build", position: { x: 0, y: 0 }, part: "", instrument: rehearsal },
    { id: "reviewer", name: "Reviewer", section: "quality", position: { x: 0, y: 0 }, part: "", instrument: rehearsal },
    { id: "tester", name: "Tester", section: "quality", zone: "stabilizer", position: { x: 0, y: 0 }, part: "", instrument: rehearsal },
  ],
  cues: [
    { from: "coder", to: "reviewer" },
    { from: "reviewer", to: "coder" },
    { from: "coder", to: "reviewer" },
  ],
} as unknown as Score;

const evidence = (players: string[], cues: { from: string; to: string }[]) => ({ summary: "", players, cues, events: [], items: [], omitted_events: 0 });

describe("evidence on the canvas", () => {
  it("selects the players and every copy of the cues named, and nothing the score no longer has", () => {
    const selection = evidenceSelection(score, evidence(["reviewer", "gone", "reviewer"], [{ from: "coder", to: "reviewer" }, { from: "gone", to: "coder" }]));
    expect(selection.players).toEqual(["reviewer"]);
    expect(selection.cues).toEqual([cueKey({ from: "coder", to: "reviewer" }), cueKey({ from: "coder", to: "reviewer" }, 1)]);
    expect(selection.sections).toEqual([]);
  });

  it("follows advice to a part, a zone's players (a player's own zone first) and the cues between two sections", () => {
    expect(adviceSelection(score, { kind: "part", player: "coder" }).players).toEqual(["coder"]);
    expect(adviceSelection(score, { kind: "zone", zone: "improver" }).players).toEqual(["reviewer"]);
    expect(adviceSelection(score, { kind: "zone", zone: "innovator" }).players).toEqual([]);
    expect(adviceSelection(score, { kind: "sections", from: "quality", to: "build" }).cues).toEqual([cueKey({ from: "reviewer", to: "coder" })]);
    expect(adviceSelection(score, { kind: "intent" })).toEqual({ players: [], sections: [], cues: [] });
  });
});

describe("values as the engine's text report shows them", () => {
  it("reads each unit", () => {
    expect(display("share", 0.254)).toBe("25%");
    expect(display("index", 0.5)).toBe("+0.50");
    expect(display("index", -0.3)).toBe("−0.30");
    expect(display("milliseconds", 5)).toBe("5 ms");
    expect(display("milliseconds", 61000)).toBe("61.0 s");
    expect(display("choruses", 2)).toBe("2.0 choruses");
    expect(display("scale7", 4.25)).toBe("4.3 / 7");
    expect(display("count", 1)).toBe("1");
    expect(display("share", null)).toBe("n/a");
  });
});
