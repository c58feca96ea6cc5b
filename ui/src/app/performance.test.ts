import { describe, expect, it } from "vitest";
import type { Event } from "../bindings/Event";
import { fold, foldBatch, IDLE, type Performance } from "./performance";

let seq = 0;
function ev(body: Record<string, unknown>): Event {
  return { seq: ++seq, at_ms: 1000 + seq, ...body } as Event;
}
const usage = { input_tokens: 5, output_tokens: 2 };

function play(events: Event[]): Performance {
  return events.reduce(fold, IDLE);
}

describe("folding a performance's events", () => {
  it("tracks every player from waiting through playing to finished, with a token preview", () => {
    const state = play([
      ev({ type: "performance_started", performance: "p1", title: "T", context_version: "v", players: ["a", "b"], offline: true, resumed: false }),
      ev({ type: "player_cued", player: "a", chorus: 1, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] }),
      ev({ type: "token", player: "a", text: "Hel" }),
      ev({ type: "token", player: "a", text: "lo" }),
    ]);
    expect(state.running).toBe(true);
    expect(state.live.a).toMatchObject({ state: "playing", tokens: 2, preview: "Hello" });
    expect(state.live.b.state).toBe("waiting");
    // Tokens are folded, not kept in the timeline.
    expect(state.events.map((e) => e.type)).toEqual(["performance_started", "player_cued"]);
    const done = [
      ev({ type: "player_finished", player: "a", chorus: 1, output: "Hello world", usage, cost_usd: 0, elapsed_ms: 3 }),
      ev({ type: "player_failed", player: "b", chorus: 1, error: "timed out", partial_output: "", usage, elapsed_ms: 3 }),
      ev({ type: "performance_finished", outcome: "failed", reason: "b failed", usage, cost_usd: 0, elapsed_ms: 9 }),
    ].reduce(fold, state);
    expect(done.live.a).toMatchObject({ state: "finished", preview: "Hello world" });
    expect(done.live.b).toMatchObject({ state: "failed", detail: "timed out" });
    expect(done.running).toBe(false);
    expect(done.outcome).toBe("failed");
  });

  it("keeps only the tail of a long stream as the preview", () => {
    let state = play([ev({ type: "performance_started", performance: "p", title: "T", context_version: "v", players: ["a"], offline: true, resumed: false })]);
    for (let i = 0; i < 500; i++) state = fold(state, ev({ type: "token", player: "a", text: `${i % 10}` }));
    expect(state.live.a.tokens).toBe(500);
    expect(state.live.a.preview.length).toBe(160);
    expect(state.live.a.preview.endsWith("789")).toBe(true);
  });

  it("collects checkpoints and questions while they wait, and drops them once resolved", () => {
    const waiting = play([
      ev({ type: "performance_started", performance: "p", title: "T", context_version: "v", players: ["a", "h"], offline: false, resumed: false }),
      ev({ type: "checkpoint_waiting", from: "a", to: "h" }),
      ev({ type: "human_waiting", player: "h", question: "Ship it?" }),
      ev({ type: "paused" }),
    ]);
    expect(waiting.checkpoints).toEqual([{ from: "a", to: "h" }]);
    expect(waiting.questions).toEqual([{ player: "h", question: "Ship it?" }]);
    expect(waiting.live.h.state).toBe("asking");
    expect(waiting.paused).toBe(true);
    const resolved = [
      ev({ type: "checkpoint_resolved", from: "a", to: "h", approved: true, note: null }),
      ev({ type: "resumed" }),
      ev({ type: "player_finished", player: "h", chorus: 1, output: "yes", usage, cost_usd: 0, elapsed_ms: 1 }),
    ].reduce(fold, waiting);
    expect(resolved.checkpoints).toEqual([]);
    expect(resolved.questions).toEqual([]);
    expect(resolved.paused).toBe(false);
  });

  it("keeps each finished player's whole output, and an edit replaces it", () => {
    const long = "x".repeat(400);
    const state = play([
      ev({ type: "performance_started", performance: "p", title: "T", context_version: "v", players: ["a"], offline: true, resumed: false }),
      ev({ type: "player_cued", player: "a", chorus: 1, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] }),
      ev({ type: "player_finished", player: "a", chorus: 1, output: long, usage, cost_usd: 0, elapsed_ms: 1 }),
    ]);
    expect(state.outputs.a).toBe(long);
    expect(state.live.a.preview.length).toBe(160);
    const edited = fold(state, ev({ type: "output_edited", player: "a", output: "Shorter." }));
    expect(edited.outputs.a).toBe("Shorter.");
    expect(edited.live.a).toMatchObject({ state: "finished", preview: "Shorter.", edited: true });
    // A re-cue plays it again: the edit mark goes until the next edit.
    const again = fold(edited, ev({ type: "player_cued", player: "a", chorus: 2, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] }));
    expect(again.live.a).toMatchObject({ state: "playing", chorus: 2, edited: false });
  });
  it("goes on from the record when a performance is resumed, and starts afresh when it is new", () => {
    const start = (resumed: boolean) =>
      ev({ type: "performance_started", performance: "p", title: "T", context_version: "v", players: ["a", "b"], offline: true, resumed });
    const before = play([
      start(false),
      ev({ type: "player_cued", player: "a", chorus: 1, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] }),
      ev({ type: "player_finished", player: "a", chorus: 1, output: "Done before.", usage, cost_usd: 0, elapsed_ms: 1 }),
    ]);
    const resumed = fold(before, start(true));
    expect(resumed.live.a).toMatchObject({ state: "finished", preview: "Done before." });
    expect(resumed.live.b.state).toBe("waiting");
    expect(resumed.outputs.a).toBe("Done before.");
    expect(resumed.events.map((e) => e.type)).toEqual(["performance_started", "player_cued", "player_finished", "performance_started"]);
    expect(fold(before, start(false)).live.a.state).toBe("waiting");
  });

  it("shows the tempo each start recorded, so a resumed performance's picker tells the true mode", () => {
    const start = (resumed: boolean, tempo?: string) =>
      ev({ type: "performance_started", performance: "p", title: "T", context_version: "v", players: ["a"], offline: true, resumed, ...(tempo ? { tempo } : {}) });
    // The record of a step-tempo score, read from the store before resuming: no tempo_changed in it.
    const recorded = play([start(false, "step")]);
    expect(recorded.tempo).toBe("step");
    expect(fold(recorded, start(true, "checkpoints")).tempo).toBe("checkpoints");
    // A log from before the tempo was recorded keeps what the view had.
    expect(fold(recorded, start(true)).tempo).toBe("step");
    expect(play([start(false)]).tempo).toBe(IDLE.tempo);
  });

  it("folds a batch into the same state as its events one by one, in order", () => {
    const events = [
      ev({ type: "performance_started", performance: "p", title: "T", context_version: "v", players: ["a"], offline: true, resumed: false }),
      ev({ type: "player_cued", player: "a", chorus: 1, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] }),
      ...["one ", "two ", "three"].map((text) => ev({ type: "token", player: "a", text })),
    ];
    const batched = foldBatch(IDLE, events);
    expect(batched).toEqual(play(events));
    expect(batched.live.a).toMatchObject({ tokens: 3, preview: "one two three" });
    // Tokens of two players around a finish and a new cue: each lands on the right side of them.
    const more = [
      ev({ type: "token", player: "a", text: " four" }),
      ev({ type: "player_finished", player: "a", chorus: 1, output: "one two three four", usage, cost_usd: 0, elapsed_ms: 1 }),
      ev({ type: "player_cued", player: "a", chorus: 2, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] }),
      ev({ type: "token", player: "a", text: "again" }),
      ev({ type: "token", player: "b", text: "b says " }),
      ev({ type: "token", player: "a", text: " and again" }),
      ev({ type: "token", player: "b", text: "hi" }),
    ];
    const after = foldBatch(batched, more);
    expect(after).toEqual(more.reduce(fold, batched));
    expect(after.live.a).toMatchObject({ state: "playing", chorus: 2, preview: "again and again" });
    expect(after.live.b).toMatchObject({ tokens: 2, preview: "b says hi" });
  });
  it("follows the tempo, counts each cue's firings, and drops a checkpoint once its cue fires or is held", () => {
    const state = play([
      ev({ type: "performance_started", performance: "p", title: "T", context_version: "v", players: ["a", "b"], offline: true, resumed: false }),
      ev({ type: "checkpoint_waiting", from: "a", to: "b" }),
      ev({ type: "checkpoint_waiting", from: "b", to: "a" }),
      ev({ type: "tempo_changed", mode: "autonomous" }),
      ev({ type: "cue_fired", from: "a", to: "b", count: 1 }),
      ev({ type: "cue_held", from: "b", to: "a", reason: "repeat limit 2 reached" }),
      ev({ type: "cue_fired", from: "a", to: "b", count: 2 }),
    ]);
    expect(state.tempo).toBe("autonomous");
    expect(state.checkpoints).toEqual([]);
    expect(state.fired).toEqual({ "a->b": 2 });
    expect(fold(state, ev({ type: "tempo_changed", mode: "step" })).tempo).toBe("step");
  });
});
