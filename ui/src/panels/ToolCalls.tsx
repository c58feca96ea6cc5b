/**
 * A performance's tool calls, in the run panel and in a replay: each closed to one line (the
 * tool, its arguments in short, how it went) and opened to the whole of it: who called it, the
 * arguments pretty-printed (the model's, and the person's edit), the result or what went wrong,
 * a long result clipped until asked for. Everything is rendered as text: arguments and results
 * come from a model and a tool, never markup.
 */
import { memo, useMemo, useState } from "react";
import type { Event } from "../bindings/Event";
import { argumentsLine, clip, prettyJson, statusWords, toolCalls, type ToolCall } from "../app/toolCalls";

export function ToolCalls({ events }: { events: Event[] }) {
  const calls = useMemo(() => toolCalls(events), [events]);
  if (calls.length === 0) return null;
  return (
    <section className="tool-calls" aria-label="Tool calls" data-testid="tool-calls">
      <h3 className="run-heading">
        Tool calls <span className="hint">{calls.length}</span>
      </h3>
      <ol>
        {calls.map((call) => (
          <ToolCallEntry key={`${call.player} ${call.call}`} call={call} />
        ))}
      </ol>
    </section>
  );
}

/** One call; redrawn only when one of its own events arrived (its `last` changed). */
const ToolCallEntry = memo(
  function ToolCallEntry({ call }: { call: ToolCall }) {
    const [open, setOpen] = useState(false);
    return (
      <li className={`tool-call status-${call.status}`} data-testid="tool-call" data-player={call.player} data-call={call.call}>
        <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
          <summary>
            <code className="tool-call-tool">{call.tool}</code>
            <span className="tool-call-args">{argumentsLine(call)}</span>
            <span className="tool-call-status">{statusWords(call)}</span>
          </summary>
          {open && <ToolCallBody call={call} />}
        </details>
      </li>
    );
  },
  (before, after) => before.call.last === after.call.last && before.call.status === after.call.status,
);

function ToolCallBody({ call }: { call: ToolCall }) {
  const facts = [
    `called by ${call.player}`,
    `call ${call.call}`,
    personWords(call),
    // A made-up result takes no time worth telling.
    call.elapsed_ms !== undefined && !call.rehearsal ? `${call.elapsed_ms} ms` : null,
    call.rehearsal ? "rehearsal: made-up result, no server asked" : null,
  ].filter(Boolean);
  return (
    <div className="tool-call-body">
      <p className="hint">{facts.join(" · ")}</p>
      {call.arguments !== undefined && (
        <>
          <h4>{call.edited === undefined ? "Arguments" : "Arguments the model gave"}</h4>
          <pre data-testid="tool-call-arguments">{prettyJson(call.arguments)}</pre>
        </>
      )}
      {call.edited !== undefined && (
        <>
          <h4>Arguments as a person edited them, before it ran</h4>
          <pre data-testid="tool-call-edited">{prettyJson(call.edited)}</pre>
        </>
      )}
      {call.status === "rejected" && (
        <p className="tool-call-note" data-testid="tool-call-note">
          Rejected{call.note ? <>, with a note for the model: “{call.note}”</> : " without a note"}.
        </p>
      )}
      {call.error !== undefined && (
        <p className="error" data-testid="tool-call-error">
          {call.error}
        </p>
      )}
      {call.result !== undefined && <ToolResult call={call} result={call.result} />}
      {call.status === "undecided" && <p className="hint">The performance ended before anyone decided; the call never ran.</p>}
    </div>
  );
}

/** What a person had to do with the call, if it asked. */
function personWords(call: ToolCall): string | null {
  if (!call.asked) return null;
  if (call.status === "rejected") return "rejected by a person";
  if (call.status === "waiting" || call.status === "undecided") return "asks a person to approve it";
  return call.edited === undefined ? "approved by a person" : "approved by a person, with edited arguments";
}

function ToolResult({ call, result }: { call: ToolCall; result: string }) {
  const [all, setAll] = useState(false);
  const clipped = clip(result);
  return (
    <>
      <h4>
        {call.status === "error" ? "Result (the tool says it is an error)" : "Result"}
        {call.cut ? " · cut at the player's output cap" : ""}
      </h4>
      <pre data-testid="tool-call-result">{all || !clipped.clipped ? result : `${clipped.text}\n…`}</pre>
      {clipped.clipped && (
        <button type="button" className="link" onClick={() => setAll(!all)} data-testid="tool-call-show-all">
          {all ? "Show less" : `Show all (${result.length} characters)`}
        </button>
      )}
    </>
  );
}
