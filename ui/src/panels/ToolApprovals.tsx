/**
 * Tool calls waiting for the person, in the run panel: each shows the player, the tool and its
 * arguments; the person approves it, rejects it with a note the model reads, or edits the
 * arguments and approves the edited call.
 */
import { useMemo, useState } from "react";
import type { Command } from "../bindings/Command";
import type { Event } from "../bindings/Event";
import { editedArguments, toolWaits, type ToolWait } from "../app/toolWaits";

type Props = { events: Event[]; send: (command: Command) => Promise<boolean> };

export function ToolApprovals({ events, send }: Props) {
  const waits = useMemo(() => toolWaits(events), [events]);
  return (
    <>
      {waits.map((wait) => (
        <ToolApproval key={`${wait.player} ${wait.call}`} wait={wait} send={send} />
      ))}
    </>
  );
}

function ToolApproval({ wait, send }: { wait: ToolWait; send: Props["send"] }) {
  const shown = JSON.stringify(wait.arguments, null, 2);
  const [text, setText] = useState(shown);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const decide = (decision: Extract<Command, { type: "tool_decision" }>["decision"]) =>
    void send({ type: "tool_decision", player: wait.player, call: wait.call, decision });
  const approve = () => {
    if (text === shown) return decide({ decision: "approve" });
    const edited = editedArguments(text);
    if ("error" in edited) return setError(edited.error);
    decide({ decision: "edit", arguments: edited.arguments });
  };
  return (
    <div className="waiting tool-approval" data-testid="tool-approval">
      <div>
        <strong>{wait.player}</strong> wants to call <code>{wait.tool}</code>
      </div>
      <textarea aria-label={`Arguments of ${wait.tool}`} rows={Math.min(8, shown.split("\n").length + 1)} value={text} onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }} />
      <input aria-label="Note for the model when rejecting" placeholder="why not (the model reads it)" value={note} onChange={(e) => setNote(e.target.value)} />
      {error && <p className="error">{error}</p>}
      <button type="button" onClick={approve}>
        {text === shown ? "Approve" : "Approve edited"}
      </button>
      <button type="button" onClick={() => decide({ decision: "reject", note })}>
        Reject
      </button>
    </div>
  );
}
