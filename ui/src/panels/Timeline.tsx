/** The timeline of a performance: one line per event, tokens left out. */
import type { Decision } from "../bindings/Decision";
import type { Event } from "../bindings/Event";
import { shortVersion } from "../score/version";

export function describe(event: Event): string {
  switch (event.type) {
    case "performance_started":
      return `${event.resumed ? "resumed" : "started"} “${event.title}”${event.offline ? " offline (rehearsal)" : ""}, context ${shortVersion(event.context_version)}`;
    case "player_cued":
      return `${event.player} cued${event.chorus > 1 ? ` (chorus ${event.chorus})` : ""} on ${event.instrument}`;
    case "player_retrying":
      return `${event.player} retries (attempt ${event.attempt}): ${event.reason}`;
    case "player_finished":
      return `${event.player} finished (${event.usage.output_tokens} tokens)`;
    case "player_failed":
      return `${event.player} failed: ${event.error}`;
    case "player_skipped":
      return `${event.player} skipped: ${event.reason}`;
    case "player_carried":
      return `${event.player} carried over from ${event.from_performance.slice(0, 8)} (chorus ${event.chorus}${event.failed ? ", failed there" : ""})`;
    case "human_waiting":
      return `${event.player} asks: ${event.question}`;
    case "cue_fired":
      return `cue ${event.from} → ${event.to} fired (${event.count})`;
    case "cue_held":
      return `cue ${event.from} → ${event.to} held: ${event.reason}`;
    case "checkpoint_waiting":
      return `checkpoint ${event.from} → ${event.to} waits for you`;
    case "checkpoint_resolved":
      return `checkpoint ${event.from} → ${event.to} ${event.approved ? "approved" : "rejected"}`;
    case "output_edited":
      return `${event.player}'s output edited`;
    case "paused":
      return "paused";
    case "resumed":
      return "resumed";
    case "stepped":
      return `stepped: ${event.player}`;
    case "tempo_changed":
      return `tempo set to ${event.mode}`;
    case "budget_exceeded":
      return `${event.budget} budget exceeded (${event.used} of ${event.limit})`;
    case "performance_finished":
      return `finished: ${event.outcome.replace("_", " ")}${event.reason ? ` — ${event.reason}` : ""}`;
    case "token":
      return `${event.player}: ${event.text}`;
    case "tool_waiting":
      return `${event.player} waits for you to approve ${event.tool} ${JSON.stringify(event.arguments)}`;
    case "tool_resolved":
      return `${event.tool} ${decisionWords(event.decision)}`;
    case "tool_called":
      return `${event.player} calls ${event.tool} ${JSON.stringify(event.arguments)}${event.rehearsal ? " (rehearsal)" : ""}`;
    case "tool_returned":
      return `${event.tool} answered${event.is_error ? " with an error" : ""}${event.cut ? " (cut at the cap)" : ""}: ${excerpt(event.result)}`;
    case "tool_failed":
      return `${event.tool} failed: ${event.error}`;
  }
}

function decisionWords(decision: Decision): string {
  switch (decision.decision) {
    case "approve":
      return "approved";
    case "reject":
      return decision.note ? `rejected: ${decision.note}` : "rejected";
    case "edit":
      return `approved with arguments ${JSON.stringify(decision.arguments)}`;
  }
}

/** A tool result on one line of the timeline; the whole of it is in the transcript. */
function excerpt(text: string, max = 160): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** The last `limit` lines; a performance can be long, and the newest lines matter most. */
export function Timeline({ events, limit = 200 }: { events: Event[]; limit?: number }) {
  return (
    <ol className="timeline" data-testid="timeline">
      {events.slice(-limit).map((e) => (
        <li key={e.seq} className={`ev ev-${e.type}`}>
          <span className="seq">{e.seq}</span> {describe(e)}
        </li>
      ))}
    </ol>
  );
}
