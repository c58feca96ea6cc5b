/**
 * Choosing among a tool server's tools: which the player may use (`allow`) and which ask first
 * (`approval`), written so the score stays valid and means what the inspector shows.
 *
 * `allow` empty means every tool the server offers, including any it adds later, so "every
 * offered tool ticked" is written as the empty list. The format refuses an approval for a tool
 * outside a non-empty `allow`, so narrowing `allow` drops the approvals it leaves out.
 */
import type { Approval } from "../bindings/Approval";
import type { ToolServer } from "../bindings/ToolServer";

/** The names the player may use, given the names the server `offered`. */
export function usedTools(server: ToolServer, offered: readonly string[]): Set<string> {
  return new Set(server.allow.length === 0 ? offered : server.allow);
}

/**
 * `server` with `tool` ticked (`on`) or not. Unticking the last used tool is refused (the server
 * comes back unchanged): an empty list would allow every tool again.
 */
export function withToolUsed(server: ToolServer, offered: readonly string[], tool: string, on: boolean): ToolServer {
  const used = usedTools(server, offered);
  if (on) used.add(tool);
  else if (used.size > 1) used.delete(tool);
  else return server;
  const everything = offered.every((n) => used.has(n)) && [...used].every((n) => offered.includes(n));
  // Offered tools in the server's order, then names it does not offer (kept, for the person to see).
  const allow = everything ? [] : [...offered.filter((n) => used.has(n)), ...[...used].filter((n) => !offered.includes(n))];
  const approval = allow.length === 0 ? server.approval : Object.fromEntries(Object.entries(server.approval).filter(([t]) => allow.includes(t)));
  return { ...server, allow, approval };
}

/** `server` with `tool` asking first or not; written even when it is the server's default. */
export function withToolAsk(server: ToolServer, tool: string, ask: boolean): ToolServer {
  const value: Approval = ask ? "ask" : "allow";
  return { ...server, approval: { ...server.approval, [tool]: value } };
}
