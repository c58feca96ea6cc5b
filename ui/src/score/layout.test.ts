import { describe, expect, it } from "vitest";
import type { Player } from "../bindings/Player";
import type { Score } from "../bindings/Score";
import type { Section } from "../bindings/Section";
import { reseat } from "./containment";
import { GEOMETRY } from "../bindings/canvasGeometry";
import { tidy } from "./layout";

const { player_width, player_height, section_padding, section_header } = GEOMETRY;
const at = { x: 0, y: 0 };
const frame = (id: string, zone: Section["zone"]): Section => ({ id, name: id, zone, position: at, size: { width: 400, height: 300 } });
const player = (id: string, section?: string): Player =>
  ({ id, name: id, ...(section ? { section } : { zone: "innovator" }), position: at, part: "", instrument: { kind: "rehearsal", verdicts: [] } }) as Player;

/** The shape of the feature trio after a researcher was added to the quality section, plus an empty section. */
const trio: Score = {
  format: 1,
  title: "Trio",
  intent: { goal: "g" },
  context: { files: [] },
  tempo: {},
  sections: [frame("build", "integrator"), frame("quality", "improver"), frame("delivery", "stabilizer"), frame("spare", "innovator")],
  players: [player("coder", "build"), player("reviewer", "quality"), player("tester", "quality"), player("researcher", "quality"), player("documenter", "delivery"), player("loner")],
  cues: [
    { from: "coder", to: "reviewer" },
    { from: "reviewer", to: "coder", when: "verdict", verdict: "CHANGES", max_repeats: 3 },
    { from: "reviewer", to: "tester" },
    { from: "reviewer", to: "documenter" },
    { from: "researcher", to: "coder" },
    { from: "documenter", to: "loner" },
  ],
};

type Rect = { x: number; y: number; right: number; bottom: number };
const rectOf = (p: { position: { x: number; y: number } }, w = player_width, h = player_height): Rect => ({
  x: p.position.x,
  y: p.position.y,
  right: p.position.x + w,
  bottom: p.position.y + h,
});
const frameOf = (s: Section): Rect => rectOf(s, s.size.width, s.size.height);
const overlap = (a: Rect, b: Rect) => a.x < b.right && b.x < a.right && a.y < b.bottom && b.y < a.bottom;

describe("tidy layout", () => {
  const after = tidy(trio);
  const { sections, players } = after;

  it("holds every player wholly inside its frame, with padding and room for the header", () => {
    for (const p of players) {
      if (!p.section) continue;
      const f = frameOf(sections.find((s) => s.id === p.section) as Section);
      const r = rectOf(p);
      expect(r.x - f.x, p.id).toBeGreaterThanOrEqual(section_padding);
      expect(r.y - f.y, p.id).toBeGreaterThanOrEqual(section_padding + section_header);
      expect(f.right - r.right, p.id).toBeGreaterThanOrEqual(section_padding);
      expect(f.bottom - r.bottom, p.id).toBeGreaterThanOrEqual(section_padding);
    }
  });

  it("lets no two frames and no two players overlap, and no player sit in another section's frame", () => {
    for (const a of sections) for (const b of sections) if (a !== b) expect(overlap(frameOf(a), frameOf(b)), `${a.id}/${b.id}`).toBe(false);
    for (const a of players) for (const b of players) if (a !== b) expect(overlap(rectOf(a), rectOf(b)), `${a.id}/${b.id}`).toBe(false);
    for (const p of players) {
      for (const s of sections) if (s.id !== p.section) expect(overlap(rectOf(p), frameOf(s)), `${p.id} in ${s.id}`).toBe(false);
    }
  });

  it("keeps membership as it was: re-seating every player by position changes nothing", () => {
    expect(reseat(after, new Set(players.map((p) => p.id)))).toBe(after);
  });

  it("orders players along the cues, loop cues aside", () => {
    const x = (id: string) => players.find((p) => p.id === id)?.position.x ?? NaN;
    expect(x("researcher")).toBeLessThan(x("coder"));
    expect(x("coder")).toBeLessThan(x("reviewer"));
    expect(x("reviewer")).toBeLessThan(x("documenter"));
    expect(x("documenter")).toBeLessThan(x("loner"));
  });
});
