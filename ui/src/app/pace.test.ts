import { afterEach, describe, expect, it, vi } from "vitest";
import type { Event } from "../bindings/Event";
import { foldBatch, IDLE, performance, take, type Live } from "./performance";
import { onlyStreamed, PANEL_INTERVAL_MS, pacedPerformance, streamedOnly } from "./pace";

let seq = 0;
function ev(body: Record<string, unknown>): Event {
  return { seq: ++seq, at_ms: 1000 + seq, ...body } as Event;
}
const started = ev({ type: "performance_started", performance: "p", title: "T", context_version: "v", players: ["a", "b"], offline: true, resumed: false });
const cuedA = ev({ type: "player_cued", player: "a", chorus: 1, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] });
const token = (player: string, text: string) => ev({ type: "token", player, text });
const usage = { input_tokens: 1, output_tokens: 3 };

describe("what counts as streamed progress alone", () => {
  const playing: Live = { state: "playing", chorus: 1, tokens: 2, preview: "He", context: "v" };

  it("is a new token count and preview, nothing else", () => {
    expect(streamedOnly(playing, { ...playing, tokens: 3, preview: "Hel" })).toBe(true);
    // Each of these a person must see at once.
    expect(streamedOnly(playing, { ...playing, tokens: 3, state: "finished" })).toBe(false);
    expect(streamedOnly(playing, { ...playing, chorus: 2 })).toBe(false);
    expect(streamedOnly(playing, { ...playing, tools: { calls: 1 } })).toBe(false);
    expect(streamedOnly(playing, { ...playing, cost: 0.5 })).toBe(false);
    // A field that goes away is a change too.
    expect(streamedOnly(playing, { state: "playing", chorus: 1, tokens: 2, preview: "He" })).toBe(false);
  });

  it("holds for a whole performance only when no player changed more than its stream", () => {
    const before = foldBatch(IDLE, [started, cuedA]);
    const streamed = foldBatch(before, [token("a", "Hi"), token("a", " there")]);
    expect(onlyStreamed(before, streamed)).toBe(true);
    const cuedB = foldBatch(streamed, [ev({ type: "player_cued", player: "b", chorus: 1, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] })]);
    expect(onlyStreamed(streamed, cuedB)).toBe(false);
    expect(onlyStreamed(streamed, { ...streamed, paused: true })).toBe(false);
  });
});

describe("the performance as the panels show it", () => {
  afterEach(() => {
    vi.useRealTimers();
    performance.setState(IDLE, true);
  });

  it("takes changes at once, and streamed progress alone within the interval, the newest of it", () => {
    vi.useFakeTimers();
    take([started, cuedA]);
    expect(pacedPerformance.getState().live.a.state).toBe("playing");

    take([token("a", "one ")]);
    take([token("a", "two ")]);
    // Not yet: the panel still shows the player as cued, without tokens.
    expect(pacedPerformance.getState().live.a.tokens).toBe(0);
    vi.advanceTimersByTime(PANEL_INTERVAL_MS - 1);
    expect(pacedPerformance.getState().live.a.tokens).toBe(0);
    vi.advanceTimersByTime(1);
    // Both batches, not just the first one that started the wait.
    expect(pacedPerformance.getState().live.a).toMatchObject({ tokens: 2, preview: "one two " });

    take([token("a", "three")]);
    take([ev({ type: "player_finished", player: "a", chorus: 1, output: "one two three", usage, cost_usd: 0, elapsed_ms: 5 })]);
    // The finish is shown at once, with the stream before it.
    expect(pacedPerformance.getState()).toBe(performance.getState());
    expect(pacedPerformance.getState().live.a.state).toBe("finished");
    // Nothing older comes after it when the interval would have been up.
    vi.advanceTimersByTime(PANEL_INTERVAL_MS);
    expect(pacedPerformance.getState().live.a.state).toBe("finished");
  });
});
