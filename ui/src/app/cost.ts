/** Money and usage as the studio shows them. */
import type { Event } from "../bindings/Event";

/** US dollars: cents for sums of a dollar and more, tenths of a cent below. */
export function dollars(usd: number): string {
  if (usd === 0) return "$0";
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

export type Used = { tokens: number; cost: number };

const used = new WeakMap<Event[], Used>();

/**
 * Tokens (input and output) and cost of every attempt in `events`, failed and retried ones
 * included: what the conductor counts against the budgets.
 */
export function usedBy(events: Event[]): Used {
  const hit = used.get(events);
  if (hit) return hit;
  let tokens = 0;
  let cost = 0;
  for (const event of events) {
    if (event.type === "player_finished" || event.type === "player_failed" || event.type === "player_retrying") {
      tokens += event.usage.input_tokens + event.usage.output_tokens;
      cost += event.cost_usd ?? 0;
    }
  }
  const result = { tokens, cost };
  used.set(events, result);
  return result;
}
