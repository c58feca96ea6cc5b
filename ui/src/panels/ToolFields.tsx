/**
 * A player's tools in the inspector: its MCP servers (a program spoken to over stdio, or a URL),
 * the limits of its tool use, and per server which tools it may use and which ask first.
 *
 * Which tools a server has is only known by asking it, so "Test connection" starts or reaches the
 * server (the score as edited, under the trust rules of performing) and lists everything it
 * offers; the ticks then write `allow` and `approval`. Every edit goes through the document, so
 * undo, save and validation treat these fields like any other; objects are copied with spread,
 * so settings this view does not show are kept.
 *
 * `allow` empty means every tool the server offers, including any it adds later; that is what
 * "all ticked" writes, and the view says so (ToolChoice.tsx, ../score/toolChoice.ts). A server's
 * last tool cannot be unticked, since an empty list would allow everything again: remove the
 * server instead.
 */
import { useEffect, useState } from "react";
import { TOOL_INSTRUMENTS, TOOL_LIMITS } from "../bindings/engineValues";
import type { Player } from "../bindings/Player";
import type { ServerTest } from "../bindings/ServerTest";
import type { Tools } from "../bindings/Tools";
import type { ToolServer } from "../bindings/ToolServer";
import { actions, documentStore } from "../app/studio";
import { checkTrust } from "../app/trust";
import { errorMessage, ipc } from "../ipc";
import { uniqueId } from "../score/ids";
import { NumberField, SelectField, TextArea, TextField, withOptional } from "./fields";
import { KeyField } from "./InstrumentFields";
import { ChosenSummary, ToolChoice } from "./ToolChoice";
import "./toolFields.css";

type LimitKey = (typeof TOOL_LIMITS)[number]["key"];

/**
 * How each limit of a player's tool use is shown. Its default (the placeholder) and the most it
 * accepts come from the engine (`TOOL_LIMITS`), so a limit the engine adds fails to compile here
 * until it has a label.
 */
const SHOWN: Record<LimitKey, { label: string; testId: string }> = {
  max_calls: { label: "Calls per chorus", testId: "tool-max-calls" },
  timeout_secs: { label: "Timeout per call (s)", testId: "tool-timeout" },
  max_output_bytes: { label: "Result cap (bytes)", testId: "tool-output-cap" },
};

type Kind = "stdio" | "http";

const kindOf = (server: ToolServer): Kind => (server.url !== undefined && server.program === undefined ? "http" : "stdio");

/** `tools` as the score keeps it: left out when it holds nothing, as the format writes it. */
function kept(tools: Tools): Tools | undefined {
  const { servers, ...rest } = tools;
  const empty = servers.length === 0 && Object.values(rest).every((v) => v === undefined);
  return empty ? undefined : tools;
}

export function ToolFields({ player }: { player: Player }) {
  const tools = player.tools;
  if (!TOOL_INSTRUMENTS.includes(player.instrument.kind) && !tools) return null;
  const servers = tools?.servers ?? [];
  const setTools = (change: (t: Tools) => Tools, field: string) =>
    actions.updatePlayer(player.id, (p) => withOptional(p, "tools", kept(change(p.tools ?? { servers: [] }))), `tools.${field}`);
  const setServer = (index: number, change: (s: ToolServer) => ToolServer, field: string) =>
    setTools((t) => ({ ...t, servers: t.servers.map((s, i) => (i === index ? change(s) : s)) }), `${index}.${field}`);
  const limit = (key: LimitKey, max: number) => (v: number | undefined) =>
    setTools((t) => withOptional(t, key, v === undefined ? undefined : Math.min(max, Math.max(1, Math.round(v)))), key);

  function add(kind: Kind) {
    const taken = new Set(servers.map((s) => s.id));
    const server: ToolServer =
      kind === "stdio"
        ? { id: uniqueId("files", taken), program: "", args: [], env: [], allow: [], approval: {} }
        : { id: uniqueId("web", taken), url: "", args: [], env: [], allow: [], approval: {} };
    setTools((t) => ({ ...t, servers: [...t.servers, server] }), "add");
    actions.settle();
  }

  return (
    <fieldset className="instrument tools" data-testid="tool-fields">
      <legend>Tools</legend>
      {!TOOL_INSTRUMENTS.includes(player.instrument.kind) && (
        <p className="error">A {player.instrument.kind} instrument calls no tools: remove these servers or choose another instrument.</p>
      )}
      {servers.length === 0 ? (
        <p className="hint">
          MCP servers the player may call while it plays: a program on this computer, or a URL. Each call is recorded, and
          a person approves those that ask first.
        </p>
      ) : (
        servers.map((server, i) => (
          <ServerFields
            key={`${player.id}:${i}`}
            player={player.id}
            server={server}
            others={servers.filter((_, j) => j !== i).map((s) => s.id)}
            set={(change, field) => setServer(i, change, field)}
            remove={() => {
              setTools((t) => ({ ...t, servers: t.servers.filter((_, j) => j !== i) }), "remove");
              actions.settle();
            }}
          />
        ))
      )}
      <div className="actions">
        <button type="button" onClick={() => add("stdio")} data-testid="tool-add-stdio">
          + Program server
        </button>
        <button type="button" onClick={() => add("http")} data-testid="tool-add-http">
          + URL server
        </button>
      </div>
      {(servers.length > 0 || (tools && kept({ ...tools, servers: [] }))) && (
        <div className="row tool-limits">
          {TOOL_LIMITS.map(({ key, default: byDefault, max }) => (
            <NumberField
              key={key}
              label={SHOWN[key].label}
              testId={SHOWN[key].testId}
              min={1}
              max={max}
              value={tools?.[key]}
              placeholder={String(byDefault)}
              onChange={limit(key, max)}
            />
          ))}
        </div>
      )}
    </fieldset>
  );
}

/** What the last "Test connection" of a server found. */
type Tested = { ok: true; test: ServerTest } | { ok: false; message: string; untrusted: boolean };

type ServerProps = {
  player: string;
  server: ToolServer;
  /** The ids of the player's other servers. */
  others: string[];
  set: (change: (s: ToolServer) => ToolServer, field: string) => void;
  remove: () => void;
};

function ServerFields({ player, server, others, set, remove }: ServerProps) {
  const kind = kindOf(server);
  const [tested, setTested] = useState<Tested | null>(null);
  const [testing, setTesting] = useState(false);
  // A result is about the server as it was tested; another id or kind is another server.
  useEffect(() => setTested(null), [server.id, kind]);

  async function test() {
    const { score, path } = documentStore.getState();
    if (!score) return;
    setTesting(true);
    try {
      setTested({ ok: true, test: await ipc.testToolServer(score, path, player, server.id) });
    } catch (error) {
      const trust = await ipc.scoreTrust(score, path).catch(() => null);
      const untrusted = trust !== null && trust.needed && !trust.trusted;
      setTested({ ok: false, message: errorMessage(error), untrusted });
      // The banner lists what the score would run and send; trusting it there lets the test run.
      if (untrusted) void checkTrust(score, path);
    } finally {
      setTesting(false);
    }
  }

  const setKind = (next: Kind) =>
    set(
      (s) =>
        next === "http"
          ? { ...withOptional(withOptional(s, "program", undefined), "cwd", undefined), args: [], env: [], url: s.url ?? "" }
          : { ...withOptional(withOptional(s, "url", undefined), "key", undefined), program: s.program ?? "" },
      "kind",
    );

  return (
    <section className="tool-server" data-testid={`tool-server-${server.id}`} aria-label={`Tool server ${server.id}`}>
      <div className="row">
        <TextField
          label="Server id"
          testId="tool-server-id"
          value={server.id}
          hint={others.includes(server.id) ? "Another server of this player has this id." : undefined}
          onChange={(v) => set((s) => ({ ...s, id: v }), "id")}
        />
        <SelectField<Kind>
          label="Reached as"
          testId="tool-server-kind"
          value={kind}
          options={[
            { value: "stdio", label: "Program (stdio)" },
            { value: "http", label: "URL (HTTP)" },
          ]}
          onChange={setKind}
        />
      </div>
      {kind === "stdio" ? (
        <>
          <TextField
            label="Program"
            testId="tool-server-program"
            value={server.program ?? ""}
            placeholder="npx"
            hint="Runs only once you trust the score, inside its workspace."
            onChange={(v) => set((s) => ({ ...s, program: v }), "program")}
          />
          <TextArea
            label="Arguments, one per line"
            testId="tool-server-args"
            rows={2}
            value={server.args.join("\n")}
            placeholder={"-y\n@modelcontextprotocol/server-filesystem\n."}
            onChange={(v) => set((s) => ({ ...s, args: v === "" ? [] : v.split("\n") }), "args")}
          />
          <div className="row">
            <TextField
              label="Working directory (in the workspace)"
              testId="tool-server-cwd"
              value={server.cwd ?? ""}
              placeholder="."
              onChange={(v) => set((s) => withOptional(s, "cwd", v), "cwd")}
            />
            <TextField
              label="Variables passed through"
              testId="tool-server-env"
              value={server.env.join(", ")}
              placeholder="GITHUB_TOKEN"
              onChange={(v) => set((s) => ({ ...s, env: v.split(",").map((n) => n.trim()).filter(Boolean) }), "env")}
            />
          </div>
        </>
      ) : (
        <>
          <TextField
            label="URL"
            testId="tool-server-url"
            value={server.url ?? ""}
            placeholder="http://127.0.0.1:8000/mcp"
            onChange={(v) => set((s) => ({ ...s, url: v }), "url")}
          />
          <KeyField
            value={server.key}
            optional
            label="Key sent to it from"
            noKey="No key"
            suggest={{ env: "MCP_SERVER_KEY", keychain: "mcp-server" }}
            onChange={(key) => set((s) => withOptional(s, "key", key), "key")}
          />
        </>
      )}
      <div className="actions">
        <button type="button" onClick={() => void test()} disabled={testing} data-testid="tool-server-test">
          {testing ? "Testing…" : "Test connection"}
        </button>
        <button type="button" className="danger" onClick={remove} data-testid="tool-server-remove">
          Remove server
        </button>
      </div>
      {tested && !tested.ok && (
        <div className="error" role="status" data-testid="tool-server-error">
          {/* Untrusted, the banner lists exactly what would run and be sent; the refusal would repeat it. */}
          {tested.untrusted ? (
            <p title={tested.message}>
              Nothing was started: this score is not trusted yet. Check what it would run in the banner at the top and choose
              “Trust and allow”, then test again.
            </p>
          ) : (
            <p className="tool-error-text">{tested.message}</p>
          )}
        </div>
      )}
      {tested?.ok ? <ToolChoice server={server} test={tested.test} set={set} /> : <ChosenSummary server={server} />}
    </section>
  );
}
