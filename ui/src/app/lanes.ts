/**
 * The timeline as lanes: for each player, a bar per chorus from its cue to its end, and the cues
 * that fired between players as arrows. Worked out from the events the timeline keeps (tokens are
 * not among them), so a streamed token changes nothing here and no lane redraws for it.
 */
import type { Event } from "../bindings/Event";

export type BarOutcome = "playing" | "finished" | "failed" | "carried" | "skipped" | "asking";

export type Bar = {
  player: string;
  chorus: number;
  start: number;
  /** Null while it plays: it reaches the live edge. */
  end: number | null;
  outcome: BarOutcome;
};

export type Arrow = { from: string; to: string; at: number; count: number };

export type Lanes = {
  players: string[];
  /** Bars by player, in time order. */
  bars: Map<string, Bar[]>;
  arrows: Arrow[];
  /** When the performance (or its first recorded stretch) started, and when its last event was. */
  start: number;
  last: number;
  ended: boolean;
};

const computed = new WeakMap<Event[], Lanes>();

/** The lanes of `events`; the same array gives the same object, so a memoised view skips it. */
export function lanesOf(events: Event[]): Lanes {
  const hit = computed.get(events);
  if (hit) return hit;
  const players: string[] = [];
  const bars = new Map<string, Bar[]>();
  const arrows: Arrow[] = [];
  const lane = (player: string): Bar[] => {
    let list = bars.get(player);
    if (!list) {
      list = [];
      bars.set(player, list);
      if (!players.includes(player)) players.push(player);
    }
    return list;
  };
  const open = (player: string): Bar | undefined => {
    const list = bars.get(player);
    const bar = list?.[list.length - 1];
    return bar && bar.end === null ? bar : undefined;
  };
  let start = events[0]?.at_ms ?? 0;
  let ended = false;
  for (const event of events) {
    switch (event.type) {
      case "performance_started":
        if (!event.resumed) start = event.at_ms;
        ended = false;
        for (const p of event.players) lane(p);
        break;
      case "player_cued":
        lane(event.player).push({ player: event.player, chorus: event.chorus, start: event.at_ms, end: null, outcome: "playing" });
        break;
      case "human_waiting": {
        const bar = open(event.player);
        if (bar) bar.outcome = "asking";
        break;
      }
      case "player_finished":
      case "player_failed": {
        const bar = open(event.player);
        if (bar) {
          bar.end = event.at_ms;
          bar.outcome = event.type === "player_finished" ? "finished" : "failed";
        }
        break;
      }
      case "player_carried":
        lane(event.player).push({ player: event.player, chorus: event.chorus, start: event.at_ms, end: event.at_ms, outcome: "carried" });
        break;
      case "player_skipped":
        lane(event.player).push({ player: event.player, chorus: 0, start: event.at_ms, end: event.at_ms, outcome: "skipped" });
        break;
      case "cue_fired":
        arrows.push({ from: event.from, to: event.to, at: event.at_ms, count: event.count });
        break;
      case "performance_finished":
        ended = true;
        // Whatever still played was cut off with the performance.
        for (const list of bars.values()) {
          const bar = list[list.length - 1];
          if (bar && bar.end === null) {
            bar.end = event.at_ms;
            bar.outcome = "failed";
          }
        }
        break;
      default:
        break;
    }
  }
  const last = events.length > 0 ? events[events.length - 1].at_ms : start;
  const lanes = { players, bars, arrows, start, last, ended };
  computed.set(events, lanes);
  return lanes;
}

/**
 * A round length for the time axis at least `span` long: the axis keeps its scale until the
 * performance outgrows it, so the lanes are not redrawn as the live edge moves.
 */
export function axisLength(span: number): number {
  const steps = [1000, 2000, 5000];
  for (let unit = 1; ; unit *= 10) {
    for (const step of steps) if (step * unit >= span * 1.1) return step * unit;
  }
}

/** How many timeline lines (non-token events) happened at or before `at`: a replay position. */
export function positionAt(events: Event[], steps: number[], at: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[steps[mid]].at_ms <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
