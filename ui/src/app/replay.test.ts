import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Event } from "../bindings/Event";

const recorded: Event[] = [];
vi.mock("../ipc", () => ({
  ipc: { performanceEvents: async () => recorded },
  errorMessage: (e: unknown) => String(e),
}));

const { openReplay, replay, seek } = await import("./replay");

let seq = 0;
const ev = (body: Record<string, unknown>) => ({ seq: ++seq, at_ms: seq, ...body }) as Event;
const usage = { input_tokens: 1, output_tokens: 1 };
const summary = { id: "p1", title: "T", score_path: null, started_ms: 1, finished_ms: 9, status: "finished", outcome: "succeeded", tokens: 2, cost_usd: 0, offline: true, seed: 1 } as const;

beforeEach(() => {
  seq = 0;
  recorded.splice(0, recorded.length,
    ev({ type: "performance_started", performance: "p1", title: "T", context_version: "v", players: ["a", "b"], offline: true, resumed: false }),
    ev({ type: "player_cued", player: "a", chorus: 1, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] }),
    ev({ type: "token", player: "a", text: "Hi" }),
    ev({ type: "player_finished", player: "a", chorus: 1, output: "Hi", usage, cost_usd: 0, elapsed_ms: 1 }),
    ev({ type: "player_cued", player: "b", chorus: 1, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] }),
    ev({ type: "player_failed", player: "b", chorus: 1, error: "boom", partial_output: "", usage, elapsed_ms: 1 }),
    ev({ type: "performance_finished", outcome: "failed", reason: "b failed", usage, cost_usd: 0, elapsed_ms: 9 }),
  );
});

describe("replaying a recorded performance", () => {
  it("opens at the end, with every player as the performance left it", async () => {
    await openReplay(summary);
    const current = replay.getState().current;
    expect(current?.steps.length).toBe(6);
    expect(current?.position).toBe(6);
    expect(current?.state.live.a.state).toBe("finished");
    expect(current?.state.live.b).toMatchObject({ state: "failed", detail: "boom" });
    expect(current?.state.outcome).toBe("failed");
  });

  it("scrubs back and forth to the picture at each line of the timeline", async () => {
    await openReplay(summary);
    seek(2);
    let state = replay.getState().current?.state;
    expect(state?.live.a.state).toBe("playing");
    expect(state?.live.b.state).toBe("waiting");
    expect(state?.events.map((e) => e.type)).toEqual(["performance_started", "player_cued"]);
    seek(3);
    state = replay.getState().current?.state;
    expect(state?.live.a).toMatchObject({ state: "finished", preview: "Hi" });
    seek(0);
    expect(replay.getState().current?.state.live).toEqual({});
    seek(99);
    expect(replay.getState().current?.position).toBe(6);
    expect(replay.getState().current?.state.running).toBe(false);
  });
});
