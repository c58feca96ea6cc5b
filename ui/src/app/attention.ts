/**
 * Telling a person who switched to another window that a performance finished, failed, or waits
 * for them: a desktop notification, only while the studio's window is not focused (a window in
 * view already shows it). Permission is asked the first time a notification is due; once it is
 * refused the studio does not ask again until it restarts.
 */
import { isPermissionGranted, requestPermission, sendNotification } from "@tauri-apps/plugin-notification";
import type { Event } from "../bindings/Event";

export type Notice = { title: string; body: string };

let focused = typeof document === "undefined" || document.hasFocus();
if (typeof window !== "undefined") {
  window.addEventListener("focus", () => (focused = true));
  window.addEventListener("blur", () => (focused = false));
}

let permission: "unasked" | "granted" | "refused" = "unasked";

/** What in `events` is worth a notification, if anything: the end first, else the latest wait. */
export function worthTelling(events: Event[]): Notice | null {
  let waiting: Notice | null = null;
  for (const event of events) {
    switch (event.type) {
      case "performance_finished":
        if (event.outcome === "succeeded") return { title: "Performance finished", body: "Every player has played." };
        return {
          title: event.outcome === "failed" ? "Performance failed" : `Performance ended: ${event.outcome.replace("_", " ")}`,
          body: event.reason ?? "See the run panel for what happened.",
        };
      case "checkpoint_waiting":
        waiting = { title: "Waiting for you", body: `The hand-off ${event.from} → ${event.to} waits for your approval.` };
        break;
      case "human_waiting":
        waiting = { title: "Waiting for you", body: `${event.player} asks: ${event.question}` };
        break;
      default:
        break;
    }
  }
  return waiting;
}

async function allowed(): Promise<boolean> {
  if (permission === "unasked") {
    const granted = (await isPermissionGranted()) || (await requestPermission()) === "granted";
    permission = granted ? "granted" : "refused";
  }
  return permission === "granted";
}

/** Sends a desktop notification for `events` when the window is not focused and one is due. */
export async function tellIfAway(events: Event[]): Promise<void> {
  if (focused) return;
  const notice = worthTelling(events);
  if (!notice) return;
  try {
    if (await allowed()) sendNotification(notice);
  } catch {
    // A desktop without notifications: the run panel still says it when the person comes back.
  }
}
