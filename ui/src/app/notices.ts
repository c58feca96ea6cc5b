/** Short messages for the person at the keyboard: what went wrong, or what just happened. */
import { createStore } from "zustand/vanilla";

export type Notice = { id: number; kind: "info" | "error"; text: string };

export const notices = createStore<{ list: Notice[] }>(() => ({ list: [] }));

let next = 1;

export function notify(text: string, kind: Notice["kind"] = "info"): void {
  const id = next++;
  notices.setState((s) => ({ list: [...s.list.slice(-3), { id, kind, text }] }));
  setTimeout(() => dismiss(id), kind === "error" ? 9000 : 4000);
}

export function dismiss(id: number): void {
  notices.setState((s) => ({ list: s.list.filter((n) => n.id !== id) }));
}
