import { describe, expect, it } from "vitest";
import type { Event } from "../bindings/Event";
import { editedArguments, toolWaits } from "./toolWaits";

let seq = 0;
function ev(body: Record<string, unknown>): Event {
  return { seq: ++seq, at_ms: 1000 + seq, ...body } as Event;
}

describe("tool calls waiting for the person", () => {
  it("lists each waiting call until it is resolved, per player and call", () => {
    const events = [
      ev({ type: "tool_waiting", player: "writer", call: "1.1.1", tool: "files.write_file", arguments: { path: "a.md" } }),
      ev({ type: "tool_waiting", player: "reader", call: "1.1.1", tool: "files.move_file", arguments: {} }),
      ev({ type: "tool_resolved", player: "writer", call: "1.1.1", tool: "files.write_file", decision: { decision: "approve" } }),
      ev({ type: "tool_waiting", player: "writer", call: "1.1.2", tool: "files.write_file", arguments: { path: "b.md" } }),
    ];
    expect(toolWaits(events)).toEqual([
      { player: "reader", call: "1.1.1", tool: "files.move_file", arguments: {} },
      { player: "writer", call: "1.1.2", tool: "files.write_file", arguments: { path: "b.md" } },
    ]);
  });

  it("forgets every wait once the performance has finished", () => {
    const events = [
      ev({ type: "tool_waiting", player: "writer", call: "1.1.1", tool: "files.write_file", arguments: {} }),
      ev({ type: "performance_finished", outcome: "cut_off", reason: null, usage: { input_tokens: 0, output_tokens: 0 }, cost_usd: 0, elapsed_ms: 1 }),
    ];
    expect(toolWaits(events)).toEqual([]);
  });

  it("takes only a JSON object as edited arguments", () => {
    expect(editedArguments('{"path": "notes.md"}')).toEqual({ arguments: { path: "notes.md" } });
    expect(editedArguments("[1, 2]")).toEqual({ error: 'The arguments must be a JSON object, e.g. {"path": "notes.md"}.' });
    expect("error" in editedArguments("{path")).toBe(true);
  });
});
