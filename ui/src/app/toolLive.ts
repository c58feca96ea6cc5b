/**
 * A player's tool calls as its canvas node shows them while it plays: the call in hand (running,
 * or waiting for the person) and how many calls it has asked for in this performance. Folded
 * from the tool events with the rest of the player's live state (see `fold` in performance.ts),
 * so a batch of events is still one update and a node reads it through the same live context.
 *
 * A player's calls run one after another (the tool loop awaits each), so one call in hand per
 * player is all there is to show.
 */
import type { Event } from "../bindings/Event";

export type ToolsLive = {
  /** Calls the model asked for in this performance: run, refused, rejected or still waiting. */
  calls: number;
  /** The call in hand: `tool` is `server.tool`; `waiting` while a person has to decide. */
  now?: { call: string; tool: string; waiting: boolean };
};

type ToolEvent = Extract<Event, { type: "tool_waiting" | "tool_resolved" | "tool_called" | "tool_returned" | "tool_failed" }>;

/** Whether `event` is one of a tool call's events. */
export function isToolEvent(event: Event): event is ToolEvent {
  return event.type.startsWith("tool_");
}

/** The player's tool state after one of its tool events; pure, like the rest of the fold. */
export function toolsAfter(before: ToolsLive | undefined, event: ToolEvent): ToolsLive {
  const tools = before ?? { calls: 0 };
  // A call's first event counts it: a call that asks starts with its wait, one that runs at once
  // with its call, one refused before it could run (unknown tool, bad arguments) with its failure.
  const first = tools.now?.call !== event.call;
  switch (event.type) {
    case "tool_waiting":
      return { calls: tools.calls + 1, now: { call: event.call, tool: event.tool, waiting: true } };
    case "tool_resolved":
      // Approved (as asked or edited): its call follows. Rejected: nothing more happens to it.
      return event.decision.decision === "reject" ? { calls: tools.calls } : { calls: tools.calls, now: { call: event.call, tool: event.tool, waiting: false } };
    case "tool_called":
      return { calls: tools.calls + (first ? 1 : 0), now: { call: event.call, tool: event.tool, waiting: false } };
    case "tool_returned":
      return { calls: tools.calls };
    case "tool_failed":
      return { calls: tools.calls + (first ? 1 : 0) };
  }
}

/** A new chorus has no call in hand (one cut off while waiting ended with its attempt); the count goes on. */
export function toolsCued(before: ToolsLive | undefined): ToolsLive | undefined {
  return before && { calls: before.calls };
}
