/**
 * A performance as the studio sees it: every player's live state, folded from the event stream
 * of the conductor. Tokens are folded into a short preview and a count instead of being kept
 * one by one, so a fast stream costs constant memory per player.
 */
import { createStore } from "zustand/vanilla";
import type { Event } from "../bindings/Event";
import type { Score } from "../bindings/Score";
import type { Summary } from "../bindings/Summary";
import type { TempoMode } from "../bindings/TempoMode";
import { cueKey } from "../score/keys";
import { errorMessage, ipc } from "../ipc";
import { tellIfAway } from "./attention";
import { notify } from "./notices";
import { settings } from "./settings";
import { isToolEvent, toolsAfter, toolsCued, type ToolsLive } from "./toolLive";

export type PlayerState = "waiting" | "playing" | "finished" | "failed" | "skipped" | "asking" | "carried";

export type Live = {
  state: PlayerState;
  chorus: number;
  tokens: number;
  preview: string;
  detail?: string;
  /** The person replaced this player's output. */
  edited?: boolean;
  /** What its attempts cost so far, failed and retried ones included, in US dollars. */
  cost?: number;
  /** The shared-context version it was last cued with: older than the score's is "off the score". */
  context?: string;
  /** A fork took its output from this performance instead of playing it. */
  carriedFrom?: string;
  /** Its tool calls: the one in hand and how many so far (see toolLive.ts). */
  tools?: ToolsLive;
};

export type Performance = {
  id: string | null;
  running: boolean;
  paused: boolean;
  offline: boolean;
  /** Timeline, without token events. */
  events: Event[];
  live: Record<string, Live>;
  /** The last whole output of each player that finished: what the conductor hands on, and what can be edited. */
  outputs: Record<string, string>;
  checkpoints: { from: string; to: string }[];
  /** How the performance advances now: the score's tempo, until the person changes it. */
  tempo: TempoMode;
  /** How many times each cue has fired, by cue key: a loop cue shows it against its repeat limit. */
  fired: Record<string, number>;
  questions: { player: string; question: string }[];
  outcome: string | null;
  error: string | null;
  /** A fork: the performance it re-runs and the player it re-runs from. */
  forked?: { from: string; player: string };
};

const PREVIEW_CHARS = 160;
const TIMELINE_LIMIT = 2000;

export const IDLE: Performance = {
  id: null,
  running: false,
  paused: false,
  offline: true,
  events: [],
  live: {},
  outputs: {},
  checkpoints: [],
  tempo: "autonomous",
  fired: {},
  questions: [],
  outcome: null,
  error: null,
};

export const performance = createStore<Performance>(() => IDLE);

function tail(text: string): string {
  return text.length > PREVIEW_CHARS ? text.slice(text.length - PREVIEW_CHARS) : text;
}

/** The next state after `event`; pure, so replaying a recorded performance gives the same picture. */
export function fold(state: Performance, event: Event): Performance {
  const set = (player: string, change: Partial<Live>): Record<string, Live> => ({
    ...state.live,
    [player]: { ...(state.live[player] ?? { state: "waiting", chorus: 0, tokens: 0, preview: "" }), ...change },
  });
  const timeline = event.type === "token" ? state.events : [...state.events, event].slice(-TIMELINE_LIMIT);
  const base = { ...state, events: timeline };
  switch (event.type) {
    case "performance_started":
      return {
        ...base,
        id: event.performance,
        running: true,
        offline: event.offline,
        // The tempo in force from this start (logs from before it was recorded keep what was set).
        tempo: event.tempo ?? state.tempo,
        // A resumed stretch goes on from the record: players that already played keep their state.
        live: Object.fromEntries(
          event.players.map((p) => [
            p,
            (event.resumed ? state.live[p] : undefined) ?? { state: "waiting" as const, chorus: 0, tokens: 0, preview: "" },
          ]),
        ),
      };
    case "player_cued":
      return {
        ...base,
        live: set(event.player, {
          state: "playing",
          chorus: event.chorus,
          preview: "",
          detail: event.instrument,
          edited: false,
          context: event.context_version,
          tools: toolsCued(state.live[event.player]?.tools),
        }),
      };
    case "token": {
      const current = state.live[event.player];
      return {
        ...base,
        live: set(event.player, {
          tokens: (current?.tokens ?? 0) + 1,
          preview: tail((current?.preview ?? "") + event.text),
        }),
      };
    }
    case "player_finished":
      return {
        ...base,
        live: set(event.player, {
          state: "finished",
          preview: tail(event.output),
          tokens: event.usage.output_tokens || state.live[event.player]?.tokens || 0,
          cost: (state.live[event.player]?.cost ?? 0) + event.cost_usd,
        }),
        outputs: { ...state.outputs, [event.player]: event.output },
        questions: state.questions.filter((q) => q.player !== event.player),
      };
    case "output_edited":
      return {
        ...base,
        live: set(event.player, { preview: tail(event.output), edited: true }),
        outputs: { ...state.outputs, [event.player]: event.output },
      };
    case "player_failed":
      return { ...base, live: set(event.player, { state: "failed", detail: event.error, cost: (state.live[event.player]?.cost ?? 0) + (event.cost_usd ?? 0) }) };
    case "player_retrying":
      return { ...base, live: set(event.player, { cost: (state.live[event.player]?.cost ?? 0) + (event.cost_usd ?? 0) }) };
    case "player_carried":
      // Not played here: its recorded output is handed on as it was.
      return {
        ...base,
        live: set(event.player, { state: "carried", chorus: event.chorus, preview: tail(event.output), carriedFrom: event.from_performance, detail: event.failed ? "failed there" : undefined }),
        outputs: { ...state.outputs, [event.player]: event.output },
      };
    case "player_skipped":
      return { ...base, live: set(event.player, { state: "skipped", detail: event.reason }) };
    case "human_waiting":
      return {
        ...base,
        live: set(event.player, { state: "asking" }),
        questions: [...state.questions, { player: event.player, question: event.question }],
      };
    case "checkpoint_waiting":
      return { ...base, checkpoints: [...state.checkpoints, { from: event.from, to: event.to }] };
    case "checkpoint_resolved":
    case "cue_held":
      return {
        ...base,
        checkpoints: state.checkpoints.filter((c) => !(c.from === event.from && c.to === event.to)),
      };
    case "cue_fired":
      // A cue that waited only because of checkpoint tempo fires when the tempo changes.
      return {
        ...base,
        checkpoints: state.checkpoints.filter((c) => !(c.from === event.from && c.to === event.to)),
        fired: { ...state.fired, [cueKey(event)]: event.count },
      };
    case "tempo_changed":
      return { ...base, tempo: event.mode };
    case "paused":
      return { ...base, paused: true };
    case "resumed":
      return { ...base, paused: false };
    case "performance_finished":
      return { ...base, running: false, paused: false, outcome: event.outcome, checkpoints: [], questions: [] };
    default:
      if (isToolEvent(event)) return { ...base, live: set(event.player, { tools: toolsAfter(state.live[event.player]?.tools, event) }) };
      return base;
  }
}

/**
 * The next state after a batch of events, in order: the shell sends at most one batch a frame,
 * and the store takes it in one update, so the window redraws once per batch, not per token.
 */
export function foldBatch(state: Performance, events: Event[]): Performance {
  let next = state;
  // A run of tokens (most of a fast stream) is folded per player, with one copy of the players'
  // states for the whole run; anything else is folded in its place, so the order holds.
  let run: Map<string, { count: number; text: string }> | null = null;
  const flush = () => {
    if (!run) return;
    const live = { ...next.live };
    for (const [player, { count, text }] of run) {
      const current = live[player] ?? { state: "waiting" as const, chorus: 0, tokens: 0, preview: "" };
      live[player] = { ...current, tokens: current.tokens + count, preview: tail(current.preview + tail(text)) };
    }
    next = { ...next, live };
    run = null;
  };
  for (const event of events) {
    if (event.type === "token") {
      run ??= new Map();
      const streamed = run.get(event.player);
      if (streamed) {
        streamed.count += 1;
        streamed.text = tail(streamed.text + event.text);
      } else run.set(event.player, { count: 1, text: event.text });
    } else {
      flush();
      next = fold(next, event);
    }
  }
  flush();
  return next;
}

/** Takes a batch from the shell into the store in one update. */
export function take(events: Event[]): void {
  performance.setState((s) => foldBatch(s, events));
  // One user-timing mark per update, with its size: a profile of the window shows each batch.
  globalThis.performance?.mark?.("ensemble:batch", { detail: { events: events.length } });
  void tellIfAway(events);
}

export async function startPerformance(score: Score, path: string | null, offline: boolean): Promise<void> {
  performance.setState({ ...IDLE, running: true, offline, tempo: score.tempo.mode ?? "autonomous" });
  try {
    const id = await ipc.perform(score, path, offline, null, settings.getState().bounds, take);
    performance.setState({ id });
  } catch (error) {
    performance.setState({ running: false, error: errorMessage(error) });
    notify(`The performance could not start: ${errorMessage(error)}`, "error");
  }
}

/**
 * Resumes an interrupted performance in the live view: its recorded events are folded first, so
 * the view shows everything that happened, then the new stretch streams on after them. The
 * record is read before the shell claims the performance, so no event is seen twice. Returns
 * whether it is conducting; when refused, the live view is left as it was and a notice says why.
 */
export async function resumePerformance(summary: Summary): Promise<boolean> {
  const shown = performance.getState();
  performance.setState({ ...IDLE, id: summary.id, running: true, offline: summary.offline });
  try {
    const prior = await ipc.performanceEvents(summary.id);
    performance.setState(prior.reduce(fold, { ...IDLE, id: summary.id, running: true, offline: summary.offline }));
    await ipc.resumePerformance(summary.id, settings.getState().bounds, take);
    return true;
  } catch (error) {
    // Nothing was resumed: the live view goes back to what it showed.
    performance.setState(shown, true);
    notify(`The performance could not be resumed: ${errorMessage(error)}`, "error");
    return false;
  }
}

export function clearPerformance(): void {
  performance.setState(IDLE);
}
