/** Toasts: errors stay longer and are announced to screen readers at once. */
import { useStore } from "zustand";
import { dismiss, notices } from "../app/notices";

export function Notices() {
  const list = useStore(notices, (s) => s.list);
  return (
    <div className="notices" aria-live="polite">
      {list.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === "error" ? "alert" : "status"}>
          <span>{n.text}</span>
          <button type="button" className="link" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
