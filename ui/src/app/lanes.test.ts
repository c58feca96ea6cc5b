import { describe, expect, it } from "vitest";
import type { Event } from "../bindings/Event";
import { axisLength, lanesOf, positionAt } from "./lanes";

let seq = 0;
const ev = (at_ms: number, body: Record<string, unknown>) => ({ seq: ++seq, at_ms, ...body }) as Event;
const usage = { input_tokens: 1, output_tokens: 1 };
const cued = (at: number, player: string, chorus = 1) => ev(at, { type: "player_cued", player, chorus, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] });

const events: Event[] = [
  ev(1000, { type: "performance_started", performance: "p", title: "T", context_version: "v", players: ["a", "b", "c"], offline: true, resumed: false }),
  ev(1000, { type: "player_carried", player: "a", from_performance: "q", chorus: 1, output: "x", failed: false }),
  ev(1000, { type: "cue_fired", from: "a", to: "b", count: 1 }),
  cued(1100, "b"),
  ev(1500, { type: "player_failed", player: "b", chorus: 1, error: "boom", partial_output: "", usage, elapsed_ms: 400 }),
  cued(1600, "b", 2),
  ev(1900, { type: "player_finished", player: "b", chorus: 2, output: "ok", usage, cost_usd: 0, elapsed_ms: 300 }),
  ev(1900, { type: "cue_fired", from: "b", to: "c", count: 1 }),
  cued(2000, "c"),
];

describe("the lanes of a timeline", () => {
  it("has a bar per chorus with its outcome, the last one open while it plays, and an arrow per fired cue", () => {
    const lanes = lanesOf(events);
    expect(lanes.players).toEqual(["a", "b", "c"]);
    expect(lanes.bars.get("a")).toEqual([{ player: "a", chorus: 1, start: 1000, end: 1000, outcome: "carried" }]);
    expect(lanes.bars.get("b")?.map((b) => [b.chorus, b.start, b.end, b.outcome])).toEqual([
      [1, 1100, 1500, "failed"],
      [2, 1600, 1900, "finished"],
    ]);
    expect(lanes.bars.get("c")?.[0]).toMatchObject({ start: 2000, end: null, outcome: "playing" });
    expect(lanes.arrows.map((a) => `${a.from}>${a.to}@${a.at}`)).toEqual(["a>b@1000", "b>c@1900"]);
    expect(lanes.ended).toBe(false);
    expect(lanesOf(events)).toBe(lanes);
  });

  it("closes what still played when the performance ended", () => {
    const finished = [...events, ev(2500, { type: "performance_finished", outcome: "cut_off", reason: null, usage, cost_usd: 0, elapsed_ms: 1500 })];
    const lanes = lanesOf(finished);
    expect(lanes.bars.get("c")?.[0]).toMatchObject({ end: 2500, outcome: "failed" });
    expect(lanes.ended).toBe(true);
  });

  it("keeps a round axis a tenth longer than the span at least", () => {
    expect(axisLength(900)).toBe(1000);
    expect(axisLength(1000)).toBe(2000);
    expect(axisLength(4000)).toBe(5000);
    expect(axisLength(4600)).toBe(10000);
    expect(axisLength(95_000)).toBe(200_000);
  });

  it("turns a moment into the replay position of the last line at or before it", () => {
    const steps = events.map((_, i) => i);
    expect(positionAt(events, steps, 999)).toBe(0);
    expect(positionAt(events, steps, 1000)).toBe(3);
    expect(positionAt(events, steps, 1550)).toBe(5);
    expect(positionAt(events, steps, 99_999)).toBe(events.length);
  });
});
