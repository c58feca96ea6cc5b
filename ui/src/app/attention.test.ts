import { describe, expect, it } from "vitest";
import type { Event } from "../bindings/Event";
import { worthTelling } from "./attention";

let seq = 0;
function ev(body: Record<string, unknown>): Event {
  return { seq: ++seq, at_ms: 1000 + seq, ...body } as Event;
}
const usage = { input_tokens: 1, output_tokens: 1 };

describe("what is worth a desktop notification", () => {
  it("is nothing for a stream of tokens and cues", () => {
    expect(worthTelling([ev({ type: "token", player: "a", text: "hi" }), ev({ type: "cue_fired", from: "a", to: "b", count: 1 })])).toBeNull();
  });
  it("says a performance finished, failed or was cut off, with its reason", () => {
    const end = (outcome: string, reason: string | null) => [ev({ type: "performance_finished", outcome, reason, usage, cost_usd: 0, elapsed_ms: 5 })];
    expect(worthTelling(end("succeeded", null))).toEqual({ title: "Performance finished", body: "Every player has played." });
    expect(worthTelling(end("failed", "b failed and no cue handled it"))).toEqual({ title: "Performance failed", body: "b failed and no cue handled it" });
    expect(worthTelling(end("cut_off", "cut off by the conductor"))?.title).toBe("Performance ended: cut off");
  });
  it("says who waits for the person, and the end wins over a wait in the same batch", () => {
    const asks = ev({ type: "human_waiting", player: "editor", question: "Ship it?" });
    expect(worthTelling([asks])).toEqual({ title: "Waiting for you", body: "editor asks: Ship it?" });
    const ended = ev({ type: "performance_finished", outcome: "succeeded", reason: null, usage, cost_usd: 0, elapsed_ms: 5 });
    expect(worthTelling([asks, ended])?.title).toBe("Performance finished");
  });
});
