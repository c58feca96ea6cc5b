/**
 * Which of a server's tools a player may use and which ask first: the ticks shown after "Test
 * connection" listed what the server offers, or, before that, the choice as the score has it.
 * The ticks write `allow` and `approval` through ../score/toolChoice.ts.
 */
import type { OfferedTool } from "../bindings/OfferedTool";
import type { ServerTest } from "../bindings/ServerTest";
import type { ToolServer } from "../bindings/ToolServer";
import { actions } from "../app/studio";
import { usedTools, withToolAsk, withToolUsed } from "../score/toolChoice";

/** Applies a change to the server being chosen among, as one named edit. */
type SetServer = (change: (s: ToolServer) => ToolServer, field: string) => void;

/** The allow list and approvals as the score has them, before the server was asked. */
export function ChosenSummary({ server }: { server: ToolServer }) {
  const asks = Object.entries(server.approval).filter(([, a]) => a === "ask").map(([t]) => t);
  const runs = Object.entries(server.approval).filter(([, a]) => a === "allow").map(([t]) => t);
  return (
    <div className="hint tool-summary" data-testid="tool-summary">
      <div>
        May use: {server.allow.length === 0 ? "every tool the server offers" : server.allow.join(", ")}.
      </div>
      {asks.length > 0 && <div>Asks first: {asks.join(", ")}.</div>}
      {runs.length > 0 && <div>Runs without asking: {runs.join(", ")}.</div>}
      <div>Any other tool asks first unless the server marks it read-only. Test the connection to see its tools.</div>
    </div>
  );
}

/** What the server says about a tool, in words. */
function hints(tool: OfferedTool): { text: string; tone: "read" | "change" | "destroy" | "unknown" } {
  if (tool.read_only === true && tool.destructive !== true) return { text: "reads only", tone: "read" };
  if (tool.destructive === true) return { text: "may destroy", tone: "destroy" };
  if (tool.read_only === false) return { text: "changes things", tone: "change" };
  return { text: "unmarked", tone: "unknown" };
}

type ChoiceProps = { server: ToolServer; test: ServerTest; set: SetServer };

/** Every tool the server offered, ticked where the player may use it and where it asks first. */
function ChoiceRows({ server, test, set }: ChoiceProps) {
  const offered = test.tools.map((t) => t.name);
  const used = usedTools(server, offered);
  // Tools the score names that the server no longer offers: performing fails until they go.
  const missing = server.allow.filter((name) => !offered.includes(name));

  function setUse(name: string, on: boolean) {
    set((s) => withToolUsed(s, offered, name, on), "allow");
    actions.settle();
  }

  function setAsk(name: string, ask: boolean) {
    set((s) => withToolAsk(s, name, ask), "approval");
    actions.settle();
  }

  return (
    <ul className="tool-list" data-testid="tool-list">
      {test.tools.map((tool) => {
        const on = used.has(tool.name);
        const lastOne = on && used.size === 1;
        const explicit = server.approval[tool.name];
        const ask = (explicit ?? tool.default_approval) === "ask";
        const hint = hints(tool);
        return (
          <li key={tool.name} className={on ? "tool-row" : "tool-row unused"} data-testid={`tool-${tool.name}`}>
            <input
              type="checkbox"
              checked={on}
              disabled={lastOne}
              aria-label={`May use ${tool.name}`}
              title={lastOne ? "A server's last tool cannot be unticked: remove the server instead" : "The player may use it"}
              data-testid="tool-use"
              onChange={(e) => setUse(tool.name, e.target.checked)}
            />
            <div className="tool-text">
              <span className="tool-name">{tool.name}</span> <span className={`tool-hint ${hint.tone}`}>{hint.text}</span>
              {tool.description && <div className="tool-description" title={tool.description}>{tool.description}</div>}
            </div>
            <label className="tool-ask" title={`Without a setting here: ${tool.default_approval === "ask" ? "asks first" : "runs without asking"}, as the server marks it`}>
              <span>
                <input
                  type="checkbox"
                  checked={ask}
                  disabled={!on}
                  data-testid="tool-ask"
                  onChange={(e) => setAsk(tool.name, e.target.checked)}
                />{" "}
                ask
              </span>
              <span className={explicit !== undefined && explicit !== tool.default_approval ? "tool-default changed" : "tool-default"}>
                default: {tool.default_approval === "ask" ? "asks" : "runs"}
              </span>
            </label>
          </li>
        );
      })}
      {missing.map((name) => (
        <li key={name} className="tool-row missing" data-testid={`tool-${name}`}>
          <input type="checkbox" checked aria-label={`May use ${name}`} data-testid="tool-use" onChange={() => setUse(name, false)} />
          <div className="tool-text">
            <span className="tool-name">{name}</span>{" "}
            <span className="error">not offered by this server: performing fails until it is unticked</span>
          </div>
          <span />
        </li>
      ))}
    </ul>
  );
}

/** What the test found, and a tick per tool. */
export function ToolChoice(props: ChoiceProps) {
  const { server, test } = props;
  const count = test.tools.length;
  const used = server.allow.length === 0 ? count : server.allow.filter((n) => test.tools.some((t) => t.name === n)).length;
  return (
    <div className="tool-choice" data-testid="tool-choice">
      <p className="ok" role="status" data-testid="tool-server-result">
        {test.server_info ?? `Server ${test.server}`} offers {count} {count === 1 ? "tool" : "tools"}.
      </p>
      <p className="hint" data-testid="tool-allow-summary">
        {server.allow.length === 0
          ? "May use: every tool it offers, also any it adds later (all ticked)."
          : `May use: ${used} of ${count}, only those ticked.`}{" "}
        “ask” makes a person approve each call; unset, a tool asks unless the server marks it read-only.
      </p>
      {count > 0 && <ChoiceRows {...props} />}
    </div>
  );
}
