/** The question asked before a score's programs may run on this computer. */
import { ShieldAlert } from "lucide-react";
import { useStore } from "zustand";
import { allow, notNow, trust } from "../app/trust";

export function TrustBanner() {
  const request = useStore(trust, (t) => t.request);
  if (!request) return null;
  return (
    <div className="trust-banner" role="alert" data-testid="trust-banner">
      <ShieldAlert size={20} aria-hidden className="trust-icon" />
      <div className="trust-text">
        <strong>This score runs programs on your computer:</strong>
        <ul>
          {request.programs.map((program) => (
            <li key={program}>
              <code>{program}</code>
            </li>
          ))}
        </ul>
        <span className="hint">
          {request.perform ? "Nothing runs until you allow it. " : ""}Allow them only if you trust where this score
          came from. Rehearsal (offline) runs no program.
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
