/**
 * A player's tools on its canvas node: a wrench with how many tool servers it may call (their ids
 * and allowed tools on hover), and while it plays, the call in hand and how many calls it made.
 * The live parts read the player's own live state (see streamed.ts), never the performance store.
 */
import { Wrench } from "lucide-react";
import type { Tools } from "../bindings/Tools";
import type { ToolsLive } from "../app/toolLive";

/** The servers in words, one a line: `files: list_directory, read_file`. */
export function toolsTitle(tools: Tools): string {
  const servers = tools.servers.map((s) => `${s.id}: ${s.allow.length > 0 ? s.allow.join(", ") : "every tool it offers"}`);
  const count = tools.servers.length;
  return `${count} tool server${count === 1 ? "" : "s"}\n${servers.join("\n")}`;
}

/** The wrench beside the player's name, when it has tool servers. */
export function ToolsBadge({ player, tools }: { player: string; tools?: Tools }) {
  if (!tools || tools.servers.length === 0) return null;
  const title = toolsTitle(tools);
  return (
    <span className="badge tools-badge" title={title} aria-label={title.replace(/\n/g, "; ")} data-testid={`node-tools-${player}`}>
      <Wrench size={11} aria-hidden="true" />
      {tools.servers.length}
    </span>
  );
}

/** How many calls the player made so far, beside its token count. */
export function ToolCount({ player, tools }: { player: string; tools?: ToolsLive }) {
  if (!tools || tools.calls === 0) return null;
  const words = `${tools.calls} call${tools.calls === 1 ? "" : "s"}`;
  return (
    <span className="tool-count" title={`${tools.calls} tool ${words} in this performance`} data-testid={`node-tool-calls-${player}`}>
      <Wrench size={10} aria-hidden="true" />
      {words}
    </span>
  );
}

/** The call in hand while the player plays: running, or waiting for the person to approve it. */
export function ToolNow({ player, tools }: { player: string; tools?: ToolsLive }) {
  const now = tools?.now;
  if (!now) return null;
  // The tool first: on a narrow node the words after it are what an ellipsis cuts.
  const words = now.waiting ? "waiting for approval" : "calling";
  return (
    <div className={`tool-now${now.waiting ? " asks" : ""}`} title={`${now.tool}: ${words}`} data-testid={`node-tool-now-${player}`}>
      <code>{now.tool}</code> {words}
    </div>
  );
}
