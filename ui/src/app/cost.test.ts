import { describe, expect, it } from "vitest";
import type { Event } from "../bindings/Event";
import { dollars, usedBy } from "./cost";
import { fold, IDLE } from "./performance";

let seq = 0;
const ev = (body: Record<string, unknown>) => ({ seq: ++seq, at_ms: seq, ...body }) as Event;

const events: Event[] = [
  ev({ type: "performance_started", performance: "p", title: "T", context_version: "v2", players: ["a", "b"], offline: false, resumed: false }),
  ev({ type: "player_carried", player: "a", from_performance: "q", chorus: 2, output: "as recorded", failed: false }),
  ev({ type: "player_cued", player: "b", chorus: 1, context_version: "v1", instrument: "openai", rehearsal: false, handoffs: [] }),
  ev({ type: "player_retrying", player: "b", attempt: 2, delay_ms: 5, reason: "429", usage: { input_tokens: 100, output_tokens: 0 }, cost_usd: 0.25 }),
  ev({ type: "player_finished", player: "b", chorus: 1, output: "done", usage: { input_tokens: 100, output_tokens: 20 }, cost_usd: 1.5, elapsed_ms: 9 }),
];

describe("cost and what a player played from", () => {
  it("adds every attempt of a player, the failed one included, and keeps its context version", () => {
    const state = events.reduce(fold, IDLE);
    expect(state.live.b).toMatchObject({ state: "finished", cost: 1.75, context: "v1" });
    expect(state.live.a).toMatchObject({ state: "carried", carriedFrom: "q", chorus: 2 });
    expect(state.outputs.a).toBe("as recorded");
  });

  it("counts tokens and cost of every attempt against the budgets", () => {
    expect(usedBy(events)).toEqual({ tokens: 220, cost: 1.75 });
  });

  it("writes cents from a dollar up and tenths of a cent below", () => {
    expect(dollars(0)).toBe("$0");
    expect(dollars(1.75)).toBe("$1.75");
    expect(dollars(0.0125)).toBe("$0.0125");
  });
});
