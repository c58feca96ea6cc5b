/**
 * A performance's tool calls as the run panel and a replay list them: one entry per call, its
 * events (waiting, the person's decision, called, answered or failed) joined by player and call
 * id. Derived from the recorded events, so a live, resumed or replayed performance lists the same
 * calls. Arguments and results are the model's and the tools' own words: untrusted, shown as text.
 */
import type { Event } from "../bindings/Event";

export type ToolCallStatus =
  /** A person has to approve, reject or edit it. */
  | "waiting"
  /** Approved; its call has not started yet. */
  | "approved"
  | "running"
  | "answered"
  /** The tool answered, and said its answer is an error. */
  | "error"
  /** It gave no answer: unknown tool, bad arguments, timeout, server gone. */
  | "failed"
  | "rejected"
  /** The performance ended while it waited for the person. */
  | "undecided";

export type ToolCall = {
  player: string;
  call: string;
  /** `server.tool`. */
  tool: string;
  /** The arguments the model gave; absent for a call refused before it ran (unknown tool, bad arguments). */
  arguments?: unknown;
  /** The arguments a person changed them to before it ran. */
  edited?: unknown;
  status: ToolCallStatus;
  /** It waited for a person's approval. */
  asked: boolean;
  /** The person's note when rejecting it. */
  note?: string;
  result?: string;
  /** The result was cut at the player's output cap. */
  cut?: boolean;
  error?: string;
  elapsed_ms?: number;
  /** Rehearsal made the result up; no server was asked. */
  rehearsal?: boolean;
  /** Seq of the last event that changed this entry: an entry with the same `last` is unchanged. */
  last: number;
};

/** Every tool call in `events`, in the order they were first asked for. */
export function toolCalls(events: Event[]): ToolCall[] {
  const calls = new Map<string, ToolCall>();
  const entry = (event: Extract<Event, { call: string }>, start: () => Omit<ToolCall, "last">): ToolCall => {
    const key = `${event.player}\u0000${event.call}`;
    let call = calls.get(key);
    if (!call) {
      call = { ...start(), last: event.seq };
      calls.set(key, call);
    }
    call.last = event.seq;
    return call;
  };
  const fresh = (event: Extract<Event, { call: string }>, args?: unknown) => () => ({
    player: event.player,
    call: event.call,
    tool: event.tool,
    arguments: args,
    status: "running" as ToolCallStatus,
    asked: false,
  });
  for (const event of events) {
    switch (event.type) {
      case "tool_waiting": {
        const call = entry(event, fresh(event, event.arguments));
        call.status = "waiting";
        call.asked = true;
        break;
      }
      case "tool_resolved": {
        const call = entry(event, fresh(event));
        call.asked = true;
        const decision = event.decision;
        if (decision.decision === "reject") {
          call.status = "rejected";
          call.note = decision.note;
        } else {
          call.status = "approved";
          if (decision.decision === "edit") call.edited = decision.arguments;
        }
        break;
      }
      case "tool_called": {
        const call = entry(event, fresh(event, event.arguments));
        call.status = "running";
        call.rehearsal = event.rehearsal;
        break;
      }
      case "tool_returned": {
        const call = entry(event, fresh(event));
        call.status = event.is_error ? "error" : "answered";
        call.result = event.result;
        call.cut = event.cut;
        call.elapsed_ms = event.elapsed_ms;
        break;
      }
      case "tool_failed": {
        const call = entry(event, fresh(event));
        call.status = "failed";
        call.error = event.error;
        call.elapsed_ms = event.elapsed_ms;
        break;
      }
      case "performance_finished":
        for (const call of calls.values()) {
          if (call.status === "waiting") {
            call.status = "undecided";
            call.last = event.seq;
          }
        }
        break;
      default:
        break;
    }
  }
  return [...calls.values()];
}

/** The status in a few words, as the closed entry shows it. */
export function statusWords(call: ToolCall): string {
  switch (call.status) {
    case "waiting":
      return "waiting for approval";
    case "approved":
      return call.edited === undefined ? "approved" : "approved, edited";
    case "running":
      return "running";
    case "answered":
      return call.edited === undefined ? "answered" : "answered (edited arguments)";
    case "error":
      return "answered with an error";
    case "failed":
      return "failed";
    case "rejected":
      return "rejected";
    case "undecided":
      return "ended before a decision";
  }
}

/** A value as pretty-printed JSON, as the opened entry shows it. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** The arguments that ran (edited, when a person changed them) on one short line. */
export function argumentsLine(call: ToolCall, max = 80): string {
  const line = JSON.stringify(call.edited ?? call.arguments) ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A long text clipped to at most `lines` lines and `chars` characters; `clipped` when it was. */
export function clip(text: string, lines = 20, chars = 2000): { text: string; clipped: boolean } {
  let end = Math.min(text.length, chars);
  let at = -1;
  for (let n = 0; n < lines; n++) {
    at = text.indexOf("\n", at + 1);
    if (at < 0) break;
  }
  if (at >= 0) end = Math.min(end, at);
  return { text: text.slice(0, end), clipped: end < text.length };
}
