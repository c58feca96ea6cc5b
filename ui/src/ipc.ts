/**
 * The one door to the Rust shell. Every command of the IPC contract (ui/IPC.md) has a typed
 * function here, so the rest of the studio never spells a command name or argument key, and a
 * change of the contract touches one file.
 */
import { Channel, invoke } from "@tauri-apps/api/core";
import type { Command } from "./bindings/Command";
import type { Event } from "./bindings/Event";
import type { Instrument } from "./bindings/Instrument";
import type { Problem } from "./bindings/Problem";
import type { Score } from "./bindings/Score";
import type { Summary } from "./bindings/Summary";

import type { ContextBadge } from "./bindings/ContextBadge";
import type { KeychainStatus } from "./bindings/KeychainStatus";
import type { OpenedScore } from "./bindings/OpenedScore";
import type { Recovered } from "./bindings/Recovered";
import type { SavedScore } from "./bindings/SavedScore";
import type { ScoreTrust } from "./bindings/ScoreTrust";
import type { Startup } from "./bindings/Startup";
import type { Template } from "./bindings/Template";

export type { ContextBadge, KeychainStatus, OpenedScore, Recovered, SavedScore, ScoreTrust, Startup, Template };

/** The shell reports errors as `{ message }`; anything else is turned into readable text. */
export function errorMessage(error: unknown): string {
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && "message" in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}

export const ipc = {
  startup: () => invoke<Startup>("startup"),
  listTemplates: () => invoke<Template[]>("list_templates"),
  newScore: () => invoke<Score>("new_score"),
  openScore: (path: string) => invoke<OpenedScore>("open_score", { path }),
  parseScore: (text: string, path: string | null) => invoke<OpenedScore>("parse_score", { text, path }),
  validateScore: (score: Score, path: string | null) => invoke<Problem[]>("validate_score", { score, path }),
  /** `source` is the file the score was opened from (or null): its comments are kept in the saved file. */
  saveScore: (path: string, score: Score, source: string | null) =>
    invoke<SavedScore>("save_score", { path, score, source }),
  scoreText: (score: Score) => invoke<string>("score_text", { score }),
  contextBadge: (score: Score, path: string | null) => invoke<ContextBadge>("context_badge", { score, path }),
  autosave: (key: string, score: Score, path: string | null) => invoke<null>("autosave", { key, score, path }),
  discardAutosave: (key: string) => invoke<null>("discard_autosave", { key }),
  testConnection: (instrument: Instrument) => invoke<string>("test_connection", { instrument }),
  keychainStatus: () => invoke<KeychainStatus>("keychain_status"),
  setKey: (name: string, secret: string) => invoke<null>("set_key", { name, secret }),
  keyIsSet: (name: string) => invoke<boolean>("key_is_set", { name }),
  deleteKey: (name: string) => invoke<null>("delete_key", { name }),
  scoreTrust: (score: Score, path: string | null) => invoke<ScoreTrust>("score_trust", { score, path }),
  trustScore: (score: Score, path: string | null) => invoke<null>("trust_score", { score, path }),
  perform: (
    score: Score,
    path: string | null,
    offline: boolean,
    seed: number | null,
    onEvent: (event: Event) => void,
  ) => {
    const channel = new Channel<Event>();
    channel.onmessage = onEvent;
    return invoke<string>("perform", { score, path, offline, seed, onEvent: channel });
  },
  /** Resumes an interrupted performance; only the events of the new stretch come over `onEvent`. */
  resumePerformance: (id: string, onEvent: (event: Event) => void) => {
    const channel = new Channel<Event>();
    channel.onmessage = onEvent;
    return invoke<string>("resume_performance", { id, onEvent: channel });
  },
  conduct: (performance: string, command: Command) => invoke<boolean>("conduct", { performance, command }),
  performances: () => invoke<Summary[]>("performances"),
  performanceEvents: (id: string) => invoke<Event[]>("performance_events", { id }),
};
