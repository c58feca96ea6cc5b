import { afterEach, describe, expect, it, vi } from "vitest";
import type { Position } from "../bindings/Position";
import type { Score } from "../bindings/Score";
import { cueKey } from "../score/keys";
import { FACTORY_DEFAULTS } from "../score/templates";
import { createDocument, documentActions, isDirty, type Moved } from "./document";

function fixture(): Score {
  return {
    format: 1,
    title: "Review loop",
    intent: { goal: "Ship the parser" },
    context: { files: [] },
    tempo: {},
    sections: [
      { id: "build", name: "Build", zone: "integrator", position: { x: 0, y: 0 }, size: { width: 500, height: 300 } },
      { id: "check", name: "Check", zone: "improver", position: { x: 800, y: 0 }, size: { width: 400, height: 300 } },
    ],
    players: [
      { id: "coder", name: "Coder", section: "build", position: { x: 40, y: 60 }, part: "Write it.", instrument: { kind: "rehearsal", verdicts: [] } },
      { id: "reviewer", name: "Reviewer", section: "check", position: { x: 850, y: 60 }, part: "Review it.", instrument: { kind: "rehearsal", verdicts: [] } },
      { id: "loner", name: "Loner", zone: "stabilizer", position: { x: 400, y: 600 }, part: "Ship it.", instrument: { kind: "rehearsal", verdicts: [] } },
    ],
    cues: [
      { from: "coder", to: "reviewer" },
      { from: "reviewer", to: "coder", when: "verdict", verdict: "CHANGES", max_repeats: 3 },
    ],
  };
}

function open() {
  const store = createDocument();
  const actions = documentActions(store);
  actions.load(fixture(), "/tmp/loop.score.toml");
  return { store, actions, state: () => store.getState(), score: () => store.getState().score as Score };
}

/** A drag of one player (or section) to `to`. */
function moved(id: string, to: Position, kind: "player" | "section" = "player"): Moved {
  const one = new Map([[id, to]]);
  return kind === "player" ? { players: one, sections: new Map() } : { players: new Map(), sections: one };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("edits and history", () => {
  it("an edit is undone and redone, and dirtiness follows the saved snapshot", () => {
    const { actions, state, score } = open();
    expect(isDirty(state())).toBe(false);
    actions.updatePlayer("coder", (p) => ({ ...p, part: "Write it well." }));
    expect(score().players[0].part).toBe("Write it well.");
    expect(isDirty(state())).toBe(true);
    actions.undo();
    expect(score().players[0].part).toBe("Write it.");
    expect(isDirty(state())).toBe(false);
    actions.redo();
    expect(score().players[0].part).toBe("Write it well.");
    expect(isDirty(state())).toBe(true);
  });

  it("rapid typing in one field is one undo step; a pause starts a new one", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(2026, 0, 1, 12, 0, 0));
    const { actions, score } = open();
    for (const text of ["S", "Sh", "Shi", "Ship"]) actions.updateIntent("goal", text);
    vi.setSystemTime(new Date(2026, 0, 1, 12, 0, 5));
    actions.updateIntent("goal", "Ship!");
    expect(score().intent.goal).toBe("Ship!");
    actions.undo();
    expect(score().intent.goal).toBe("Ship");
    actions.undo();
    expect(score().intent.goal).toBe("Ship the parser");
  });

  it("typing in another field is a separate step, and multi-step undo/redo walks the history", () => {
    const { actions, score } = open();
    actions.updateIntent("goal", "A");
    actions.updateIntent("why", "B");
    actions.updateTitle("C");
    actions.undo();
    actions.undo();
    expect(score().title).toBe("Review loop");
    expect(score().intent.why).toBeUndefined();
    expect(score().intent.goal).toBe("A");
    actions.redo();
    actions.redo();
    expect(score().title).toBe("C");
    expect(score().intent.why).toBe("B");
    actions.redo(); // nothing left to redo
    expect(score().title).toBe("C");
  });

  it("a new edit after undo drops the redo branch", () => {
    const { actions, state, score } = open();
    actions.updateTitle("one");
    actions.settle();
    actions.updateTitle("two");
    actions.undo();
    actions.updateIntent("goal", "branch");
    expect(state().future).toHaveLength(0);
    actions.redo();
    expect(score().title).toBe("one");
  });

  it("clearing an optional intent field removes it instead of saving an empty string", () => {
    const { actions, score } = open();
    actions.updateIntent("why", "because");
    actions.updateIntent("why", "");
    expect("why" in score().intent).toBe(false);
  });
});

describe("selection, clipboard and delete", () => {
  it("select all then delete empties the canvas, and undo brings everything back", () => {
    const { actions, state, score } = open();
    actions.selectAll();
    expect(state().selection.players).toEqual(["coder", "reviewer", "loner"]);
    expect(state().selection.cues).toEqual([cueKey({ from: "coder", to: "reviewer" }), cueKey({ from: "reviewer", to: "coder" })]);
    actions.deleteSelection();
    expect(score().players).toHaveLength(0);
    expect(score().cues).toHaveLength(0);
    expect(state().selection.players).toHaveLength(0);
    actions.undo();
    expect(score().players).toHaveLength(3);
    expect(score().cues).toHaveLength(2);
  });

  it("deleting a player removes its cues; deleting a section keeps its players with its zone", () => {
    const { actions, score } = open();
    actions.select({ players: ["reviewer"], sections: ["build"], cues: [] });
    actions.deleteSelection();
    expect(score().players.map((p) => p.id)).toEqual(["coder", "loner"]);
    expect(score().cues).toEqual([]);
    const coder = score().players.find((p) => p.id === "coder");
    expect(coder?.section).toBeUndefined();
    expect(coder?.zone).toBe("integrator");
  });

  it("copy and paste makes new players with fresh ids and rewires the cues between them", () => {
    const { actions, state, score } = open();
    actions.select({ players: ["coder", "reviewer"], sections: [], cues: [] });
    actions.copy();
    actions.paste();
    const ids = score().players.map((p) => p.id);
    expect(ids).toEqual(["coder", "reviewer", "loner", "coder-2", "reviewer-2"]);
    expect(state().selection.players).toEqual(["coder-2", "reviewer-2"]);
    const pasted = score().cues.filter((c) => c.from.endsWith("-2"));
    expect(pasted).toEqual([
      { from: "coder-2", to: "reviewer-2" },
      { from: "reviewer-2", to: "coder-2", when: "verdict", verdict: "CHANGES", max_repeats: 3 },
    ]);
    const copy = score().players.find((p) => p.id === "coder-2");
    expect(copy?.position).toEqual({ x: 80, y: 100 });
    // Pasting again lands one step further, not on top.
    actions.paste();
    expect(score().players.find((p) => p.id === "coder-3")?.position).toEqual({ x: 120, y: 140 });
    actions.undo();
    actions.undo();
    expect(score().players).toHaveLength(3);
  });

  it("duplicate copies a section with its players into a new section", () => {
    const { actions, score } = open();
    actions.select({ players: [], sections: ["check"], cues: [] });
    actions.duplicate();
    const section = score().sections.find((s) => s.id === "check-2");
    expect(section?.position).toEqual({ x: 840, y: 40 });
    const copy = score().players.find((p) => p.id === "reviewer-2");
    expect(copy?.section).toBe("check-2");
  });

  it("undo after deleting prunes the selection of things that vanished", () => {
    const { actions, state } = open();
    actions.addPlayer("tester", { x: 2000, y: 2000 }, FACTORY_DEFAULTS);
    expect(state().selection.players).toEqual(["tester"]);
    actions.undo();
    expect(state().selection.players).toEqual([]);
  });
});

describe("canvas edits", () => {
  it("dropping a player into a section changes its section; moving it out gives it the zone it had", () => {
    const { actions, state, score } = open();
    const id = actions.addPlayer("coder", { x: 400, y: 900 }, FACTORY_DEFAULTS);
    expect(id).toBe("coder-2");
    expect(score().players.find((p) => p.id === "coder-2")?.section).toBeUndefined();
    actions.move(moved("coder-2", { x: 850, y: 180 }), "g1", false);
    actions.move(moved("coder-2", { x: 860, y: 190 }), "g1", true);
    expect(score().players.find((p) => p.id === "coder-2")?.section).toBe("check");
    // The whole drag was one step.
    const before = state().past.length;
    actions.undo();
    expect(state().past.length).toBe(before - 1);
    expect(score().players.find((p) => p.id === "coder-2")?.position).toEqual({ x: 400, y: 900 });

    actions.move(moved("reviewer", { x: 300, y: 900 }), "g2", true);
    const reviewer = score().players.find((p) => p.id === "reviewer");
    expect(reviewer?.section).toBeUndefined();
    expect(reviewer?.zone).toBe("improver");
  });

  it("moving a section carries its players", () => {
    const { actions, score } = open();
    actions.move(moved("build", { x: 100, y: 50 }, "section"), "g3", true);
    expect(score().players.find((p) => p.id === "coder")?.position).toEqual({ x: 140, y: 110 });
    expect(score().players.find((p) => p.id === "coder")?.section).toBe("build");
    expect(score().players.find((p) => p.id === "loner")?.position).toEqual({ x: 400, y: 600 });
  });

  it("connect adds a cue once and never to the player itself", () => {
    const { actions, score } = open();
    actions.connect("coder", "loner");
    actions.connect("coder", "loner");
    actions.connect("loner", "loner");
    expect(score().cues.filter((c) => c.to === "loner")).toEqual([{ from: "coder", to: "loner" }]);
  });

  it("renaming a player rewires its cues", () => {
    const { actions, score } = open();
    expect(actions.renamePlayer("coder", "reviewer")).toMatch(/already/);
    expect(actions.renamePlayer("coder", "writer")).toBeNull();
    expect(score().cues.map((c) => `${c.from}>${c.to}`)).toEqual(["writer>reviewer", "reviewer>writer"]);
  });

  it("tidy layout keeps every id and section, orders players by cue, and keeps players inside their frames", () => {
    const { actions, score } = open();
    actions.connect("reviewer", "loner");
    const before = score();
    actions.tidy();
    const after = score();
    expect(after.players.map((p) => [p.id, p.section])).toEqual(before.players.map((p) => [p.id, p.section]));
    expect(after.sections.map((s) => s.id)).toEqual(["build", "check"]);
    expect(after.cues).toEqual(before.cues);
    const x = (id: string) => after.players.find((p) => p.id === id)?.position.x ?? NaN;
    expect(x("coder")).toBeLessThan(x("reviewer"));
    expect(x("reviewer")).toBeLessThan(x("loner"));
    for (const p of after.players) {
      if (!p.section) continue;
      const s = after.sections.find((sec) => sec.id === p.section);
      expect(s).toBeDefined();
      if (!s) continue;
      expect(p.position.x).toBeGreaterThanOrEqual(s.position.x);
      expect(p.position.y).toBeGreaterThanOrEqual(s.position.y);
      expect(p.position.x).toBeLessThanOrEqual(s.position.x + s.size.width);
      expect(p.position.y).toBeLessThanOrEqual(s.position.y + s.size.height);
    }
    actions.undo();
    expect(score()).toBe(before);
  });

  it("editing a cue sets its loop limit", () => {
    const { actions, score } = open();
    actions.updateCue(cueKey({ from: "coder", to: "reviewer" }), (c) => ({ ...c, max_repeats: 2 }));
    expect(score().cues[0].max_repeats).toBe(2);
  });
});
