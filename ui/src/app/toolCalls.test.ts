import { describe, expect, it } from "vitest";
import type { Event } from "../bindings/Event";
import { argumentsLine, clip, statusWords, toolCalls } from "./toolCalls";

let seq = 0;
function ev(body: Record<string, unknown>): Event {
  return { seq: ++seq, at_ms: 1000 + seq, ...body } as Event;
}

describe("a performance's tool calls", () => {
  it("joins each call's events, per player and call, in the order the calls were asked for", () => {
    const events = [
      ev({ type: "tool_called", player: "a", call: "1.1.1", tool: "files.read_file", arguments: { path: "notes.md" }, rehearsal: false }),
      ev({ type: "tool_waiting", player: "b", call: "1.1.1", tool: "files.write_file", arguments: { path: "x.md", content: "1" } }),
      ev({ type: "tool_returned", player: "a", call: "1.1.1", tool: "files.read_file", result: "# Notes", is_error: false, cut: true, elapsed_ms: 12 }),
      ev({ type: "tool_resolved", player: "b", call: "1.1.1", tool: "files.write_file", decision: { decision: "edit", arguments: { path: "y.md", content: "1" } } }),
      ev({ type: "tool_called", player: "b", call: "1.1.1", tool: "files.write_file", arguments: { path: "y.md", content: "1" }, rehearsal: false }),
      ev({ type: "tool_returned", player: "b", call: "1.1.1", tool: "files.write_file", result: "denied", is_error: true, cut: false, elapsed_ms: 3 }),
      ev({ type: "tool_waiting", player: "a", call: "1.1.2", tool: "files.move_file", arguments: { source: "a" } }),
      ev({ type: "tool_resolved", player: "a", call: "1.1.2", tool: "files.move_file", decision: { decision: "reject", note: "keep <it>" } }),
      ev({ type: "tool_failed", player: "a", call: "1.1.3", tool: "nope", error: "there is no tool `nope`", elapsed_ms: 0 }),
      ev({ type: "tool_waiting", player: "a", call: "2.1.1", tool: "files.write_file", arguments: {} }),
    ];
    const calls = toolCalls(events);
    expect(calls.map((c) => [c.player, c.call, c.tool, c.status])).toEqual([
      ["a", "1.1.1", "files.read_file", "answered"],
      ["b", "1.1.1", "files.write_file", "error"],
      ["a", "1.1.2", "files.move_file", "rejected"],
      ["a", "1.1.3", "nope", "failed"],
      ["a", "2.1.1", "files.write_file", "waiting"],
    ]);
    expect(calls[0]).toMatchObject({ arguments: { path: "notes.md" }, result: "# Notes", cut: true, elapsed_ms: 12, asked: false, rehearsal: false, last: 3 });
    expect(calls[1]).toMatchObject({ arguments: { path: "x.md", content: "1" }, edited: { path: "y.md", content: "1" }, result: "denied", asked: true });
    expect(calls[2]).toMatchObject({ note: "keep <it>", asked: true });
    expect(calls[3]).toMatchObject({ error: "there is no tool `nope`" });
    expect(calls[3].arguments, "refused before it ran: no arguments were recorded").toBeUndefined();
    expect(argumentsLine(calls[3])).toBe("");
    expect(calls.map(statusWords)).toEqual(["answered", "answered with an error", "rejected", "failed", "waiting for approval"]);
    expect(argumentsLine(calls[1]), "the arguments that ran, the person's edit").toBe('{"path":"y.md","content":"1"}');
  });

  it("says a call that still waited when the performance ended was never decided", () => {
    const calls = toolCalls([
      ev({ type: "tool_waiting", player: "a", call: "1.1.1", tool: "files.write_file", arguments: {} }),
      ev({ type: "performance_finished", outcome: "cut_off", reason: null, usage: { input_tokens: 0, output_tokens: 0 }, cost_usd: 0, elapsed_ms: 1 }),
    ]);
    expect(calls.map((c) => c.status)).toEqual(["undecided"]);
  });

  it("clips a long result at a number of lines or characters, whichever comes first", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n");
    const byLines = clip(lines, 20, 10_000);
    expect(byLines.clipped).toBe(true);
    expect(byLines.text.split("\n")).toHaveLength(20);
    expect(byLines.text.endsWith("line 20")).toBe(true);
    expect(clip("x".repeat(50), 20, 10)).toEqual({ text: "x".repeat(10), clipped: true });
    expect(clip("short\ntext")).toEqual({ text: "short\ntext", clipped: false });
    expect(argumentsLine({ arguments: { long: "y".repeat(100) } } as never, 20)).toBe('{"long":"yyyyyyyyyy…');
  });
});
