/** The question asked before a score may reach beyond itself on this computer. */
import { ShieldAlert } from "lucide-react";
import { useStore } from "zustand";
import { allow, notNow, trust } from "../app/trust";

export function TrustBanner() {
  const request = useStore(trust, (t) => t.request);
  if (!request) return null;
  const { programs, key_sends, outside_reads } = request.reach;
  // Every value comes quoted and escaped from the shell; React renders it as text, never markup.
  return (
    <div className="trust-banner" role="alert" data-testid="trust-banner">
      <ShieldAlert size={20} aria-hidden className="trust-icon" />
      <div className="trust-text">
        <strong>This score reaches beyond itself on your computer:</strong>
        <ul>
          {programs.map((program, i) => (
            <li key={`run-${i}`} data-testid="trust-program">
              runs <code>{`${program.player}: ${program.command}`}</code> in <code>{program.cwd}</code>
              {program.env.length > 0 ? (
                <>
                  , passing <code>{program.env.join(", ")}</code>
                </>
              ) : null}
            </li>
          ))}
          {key_sends.map((send, i) => (
            <li key={`key-${i}`} data-testid="trust-key-send">
              sends the key <code>{send.key}</code> to <code>{send.host}</code> (player {send.player})
            </li>
          ))}
          {outside_reads.map((read, i) => (
            <li key={`read-${i}`} data-testid="trust-outside-read">
              reads {read.what} at <code>{read.path}</code>, outside the score&apos;s folder
            </li>
          ))}
        </ul>
        <span className="hint">
          {request.perform ? "Nothing runs, is sent or is read until you allow it. " : ""}Allow it only if you trust
          where this score came from. Rehearsal (offline) needs none of it.
        </span>
      </div>
      <div className="trust-actions">
        <button type="button" className="primary" onClick={() => void allow()} data-testid="trust-allow">
          Trust and allow
        </button>
        <button type="button" onClick={notNow} data-testid="trust-not-now">
          Not now
        </button>
      </div>
    </div>
  );
}
