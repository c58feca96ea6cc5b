import { describe, expect, it } from "vitest";
import type { Event } from "../bindings/Event";
import { fold, foldBatch, IDLE, type Performance } from "./performance";

let seq = 0;
function ev(body: Record<string, unknown>): Event {
  return { seq: ++seq, at_ms: 1000 + seq, ...body } as Event;
}
const started = () => ev({ type: "performance_started", performance: "p", title: "T", context_version: "v", players: ["a", "b"], offline: true, resumed: false });
const cued = (player: string, chorus = 1) => ev({ type: "player_cued", player, chorus, context_version: "v", instrument: "rehearsal", rehearsal: true, handoffs: [] });
const waiting = (player: string, call: string, tool: string) => ev({ type: "tool_waiting", player, call, tool, arguments: {} });
const resolved = (player: string, call: string, tool: string, decision: Record<string, unknown>) => ev({ type: "tool_resolved", player, call, tool, decision });
const called = (player: string, call: string, tool: string) => ev({ type: "tool_called", player, call, tool, arguments: {}, rehearsal: true });
const returned = (player: string, call: string, tool: string) => ev({ type: "tool_returned", player, call, tool, result: "ok", is_error: false, cut: false, elapsed_ms: 3 });
const failed = (player: string, call: string, tool: string) => ev({ type: "tool_failed", player, call, tool, error: "no", elapsed_ms: 0 });

function play(events: Event[], from: Performance = IDLE): Performance {
  return events.reduce(fold, from);
}

describe("a player's tool calls in its live state", () => {
  it("shows the call in hand and counts each call the model asked for once", () => {
    let state = play([started(), cued("a"), called("a", "1.1.1", "files.list_directory")]);
    expect(state.live.a.tools).toEqual({ calls: 1, now: { call: "1.1.1", tool: "files.list_directory", waiting: false } });
    state = play([returned("a", "1.1.1", "files.list_directory")], state);
    expect(state.live.a.tools).toEqual({ calls: 1 });

    // A call that asks: waiting, then approved and called: still one call.
    state = play([waiting("a", "1.1.2", "files.write_file")], state);
    expect(state.live.a.tools).toEqual({ calls: 2, now: { call: "1.1.2", tool: "files.write_file", waiting: true } });
    state = play([resolved("a", "1.1.2", "files.write_file", { decision: "approve" })], state);
    expect(state.live.a.tools?.now).toEqual({ call: "1.1.2", tool: "files.write_file", waiting: false });
    state = play([called("a", "1.1.2", "files.write_file"), returned("a", "1.1.2", "files.write_file")], state);
    expect(state.live.a.tools).toEqual({ calls: 2 });

    // Rejected: counted when it asked, nothing in hand after.
    state = play([waiting("a", "1.1.3", "files.move_file"), resolved("a", "1.1.3", "files.move_file", { decision: "reject", note: "no" })], state);
    expect(state.live.a.tools).toEqual({ calls: 3 });

    // Edited arguments that were refused: one call, failed after its decision.
    state = play([waiting("a", "1.1.4", "files.write_file"), resolved("a", "1.1.4", "files.write_file", { decision: "edit", arguments: [] }), failed("a", "1.1.4", "files.write_file")], state);
    expect(state.live.a.tools).toEqual({ calls: 4 });

    // An unknown tool fails before anything else: a call of its own.
    state = play([failed("a", "1.1.5", "nope")], state);
    expect(state.live.a.tools).toEqual({ calls: 5 });
    expect(state.live.b.tools, "another player's calls are its own").toBeUndefined();
  });

  it("keeps the count over choruses but drops a call left in hand when the player is cued again", () => {
    const state = play([started(), cued("a"), called("a", "1.1.1", "t.x"), returned("a", "1.1.1", "t.x"), waiting("a", "1.1.2", "t.y"), cued("a", 2)]);
    expect(state.live.a).toMatchObject({ state: "playing", chorus: 2, tools: { calls: 2 } });
    expect(state.live.a.tools?.now).toBeUndefined();
  });

  it("folds a batch to the same picture as one event at a time, tokens between calls included", () => {
    const events = [
      started(),
      cued("a"),
      cued("b"),
      ev({ type: "token", player: "a", text: "look" }),
      called("a", "1.1.1", "files.read_file"),
      ev({ type: "token", player: "b", text: "x" }),
      waiting("b", "1.1.1", "files.write_file"),
      returned("a", "1.1.1", "files.read_file"),
      called("a", "1.1.2", "files.read_file"),
    ];
    const batched = foldBatch(IDLE, events);
    expect(batched.live).toEqual(play(events).live);
    expect(batched.live.a.tools).toEqual({ calls: 2, now: { call: "1.1.2", tool: "files.read_file", waiting: false } });
    expect(batched.live.b.tools).toEqual({ calls: 1, now: { call: "1.1.1", tool: "files.write_file", waiting: true } });
    expect(batched.live.a.tokens, "tokens still count beside the calls").toBe(1);
  });
});
