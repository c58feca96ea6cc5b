/**
 * Tool calls that wait for the person: each `tool_waiting` event not yet followed by the
 * `tool_resolved` of the same player and call. Derived from the recorded events, so a replayed
 * or resumed performance shows the same waits the live one did.
 */
import type { Event } from "../bindings/Event";

export type ToolWait = { player: string; call: string; tool: string; arguments: unknown };

export function toolWaits(events: Event[]): ToolWait[] {
  const open = new Map<string, ToolWait>();
  for (const event of events) {
    if (event.type === "tool_waiting") {
      open.set(`${event.player}\u0000${event.call}`, { player: event.player, call: event.call, tool: event.tool, arguments: event.arguments });
    } else if (event.type === "tool_resolved") {
      open.delete(`${event.player}\u0000${event.call}`);
    } else if (event.type === "performance_finished") {
      open.clear();
    }
  }
  return [...open.values()];
}

/** The person's edit of a call's arguments, when it is a JSON object; else why not. */
export function editedArguments(text: string): { arguments: Record<string, unknown> } | { error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return { arguments: value as Record<string, unknown> };
    return { error: "The arguments must be a JSON object, e.g. {\"path\": \"notes.md\"}." };
  } catch (e) {
    return { error: `The arguments are not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}
