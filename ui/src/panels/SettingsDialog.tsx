/**
 * Settings: endpoints, defaults for new players, limits of each attempt, theme, and API keys. A key typed here goes to
 * the OS keychain through the shell and is never shown again; the studio only learns whether
 * it is set.
 */
import { useEffect, useState } from "react";
import { useStore } from "zustand";
import { BOUND_RULES, parseBound, type Bound } from "../app/bounds";
import { settings, updateSettings, type Theme } from "../app/settings";
import { errorMessage, ipc, type KeychainStatus } from "../ipc";
import { INSTRUMENT_KINDS, kindTitle, type InstrumentKind } from "../score/templates";
import { Modal } from "./Modal";

const KEY_NAMES = ["openai", "anthropic"];

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const current = useStore(settings);
  const d = current.defaults;
  const setDefaults = (change: Partial<typeof d>) => updateSettings({ defaults: { ...d, ...change } });
  return (
    <Modal title="Settings" onClose={onClose} testId="settings">
      <h3>Theme</h3>
      <div className="row" role="radiogroup" aria-label="Theme">
        {(["light", "dark", "system"] as Theme[]).map((t) => (
          <label key={t} className="radio">
            <input type="radio" name="theme" checked={current.theme === t} onChange={() => updateSettings({ theme: t })} />
            {t === "system" ? "follow system" : t}
          </label>
        ))}
      </div>
      <h3>Endpoints</h3>
      <div className="field">
        <label htmlFor="set-openai-url">OpenAI-compatible base URL (Ollama, LM Studio, llama.cpp, vLLM, OpenAI…)</label>
        <input id="set-openai-url" value={d.openaiBaseUrl} onChange={(e) => setDefaults({ openaiBaseUrl: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="set-openai-model">OpenAI-compatible model</label>
        <input id="set-openai-model" value={d.openaiModel} onChange={(e) => setDefaults({ openaiModel: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="set-anthropic-url">Anthropic base URL</label>
        <input id="set-anthropic-url" value={current.anthropicBaseUrl} onChange={(e) => updateSettings({ anthropicBaseUrl: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="set-anthropic-model">Anthropic model</label>
        <input id="set-anthropic-model" value={d.anthropicModel} onChange={(e) => setDefaults({ anthropicModel: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="set-otlp-endpoint">OTLP/HTTP receiver for “Send traces” (empty: traces are only saved to files)</label>
        <input
          id="set-otlp-endpoint"
          value={current.otlpEndpoint}
          placeholder="http://localhost:4318"
          onChange={(e) => updateSettings({ otlpEndpoint: e.target.value })}
        />
      </div>
      <h3>New players</h3>
      <div className="row">
        <div className="field">
          <label htmlFor="set-kind">Instrument</label>
          <select id="set-kind" value={d.kind} onChange={(e) => setDefaults({ kind: e.target.value as InstrumentKind })}>
            {INSTRUMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindTitle(k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="set-timeout">Timeout (s)</label>
          <input
            id="set-timeout"
            type="number"
            min={1}
            value={d.timeoutSecs ?? ""}
            onChange={(e) => setDefaults({ timeoutSecs: e.target.value === "" ? undefined : Math.max(1, Number(e.target.value)) })}
          />
        </div>
        <div className="field">
          <label htmlFor="set-retries">Retries</label>
          <input
            id="set-retries"
            type="number"
            min={0}
            value={d.retries ?? ""}
            onChange={(e) => setDefaults({ retries: e.target.value === "" ? undefined : Math.max(0, Number(e.target.value)) })}
          />
        </div>
      </div>
      <h3>Limits of each attempt</h3>
      <p className="hint">A player whose attempt goes past these fails, with what it wrote up to there kept.</p>
      <div className="row">
        <BoundField bound="max_output_mib" id="set-max-output" label="Output limit (MiB)" />
        <BoundField bound="read_timeout_secs" id="set-read-timeout" label="Read timeout (s)" />
      </div>
      <ApiKeys />
    </Modal>
  );
}

/**
 * One bound, typed as text: a usable value is kept in the settings at once, anything else stays
 * in the field with a message saying what would do, and the settings keep their last good value.
 */
function BoundField({ bound, id, label }: { bound: Bound; id: string; label: string }) {
  const stored = useStore(settings, (s) => s.bounds[bound]);
  const [text, setText] = useState(String(stored));
  const parsed = parseBound(bound, text);
  const { min, max } = BOUND_RULES[bound];
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        value={text}
        aria-invalid={"error" in parsed}
        aria-describedby={"error" in parsed ? errorId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const next = parseBound(bound, e.target.value);
          if ("value" in next) updateSettings({ bounds: { ...settings.getState().bounds, [bound]: next.value } });
        }}
      />
      {"error" in parsed && (
        <p className="error" role="alert" id={errorId} data-testid={`${id}-error`}>
          {parsed.error}
        </p>
      )}
    </div>
  );
}

function ApiKeys() {
  const [status, setStatus] = useState<KeychainStatus | null>(null);
  const [names, setNames] = useState<string[]>(KEY_NAMES);
  const [isSet, setIsSet] = useState<Record<string, boolean>>({});
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [extra, setExtra] = useState("");

  useEffect(() => {
    ipc
      .keychainStatus()
      .then(setStatus)
      .catch((error) => setStatus({ available: false, message: errorMessage(error) }));
  }, []);
  useEffect(() => {
    if (!status?.available) return;
    for (const name of names) {
      ipc
        .keyIsSet(name)
        .then((v) => setIsSet((s) => ({ ...s, [name]: v })))
        .catch(() => undefined);
    }
  }, [status, names]);

  async function store(name: string) {
    const secret = drafts[name] ?? "";
    if (!secret) return;
    try {
      await ipc.setKey(name, secret);
      setDrafts((d) => ({ ...d, [name]: "" })); // the key leaves the webview's memory
      setIsSet((s) => ({ ...s, [name]: true }));
      setMessage(`Key “${name}” stored in the keychain.`);
    } catch (error) {
      setMessage(`Not stored: ${errorMessage(error)}`);
    }
  }

  async function remove(name: string) {
    try {
      await ipc.deleteKey(name);
      setIsSet((s) => ({ ...s, [name]: false }));
    } catch (error) {
      setMessage(`Not removed: ${errorMessage(error)}`);
    }
  }

  return (
    <section className="api-keys" data-testid="api-keys">
      <h3>API keys</h3>
      {status === null ? (
        <p className="hint">Asking the keychain…</p>
      ) : !status.available ? (
        <div className="warning" data-testid="keychain-unavailable">
          <p>
            <strong>Keys cannot be stored on this machine.</strong> {status.message}
          </p>
          <p>
            For example: start the studio with <code>OPENAI_API_KEY</code> set, then in the inspector choose “API key
            from → Environment variable” and name it. The score then says <code>key = {"{"} env = "OPENAI_API_KEY" {"}"}</code>.
          </p>
        </div>
      ) : (
        <>
          <p className="hint">Keys are stored in the OS keychain and never shown again. Players refer to them by name.</p>
          <table className="keys">
            <tbody>
              {names.map((name) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td data-testid={`key-status-${name}`}>{isSet[name] === undefined ? "…" : isSet[name] ? "set" : "not set"}</td>
                  <td>
                    <input
                      type="password"
                      autoComplete="off"
                      aria-label={`Key for ${name}`}
                      placeholder={isSet[name] ? "replace…" : "paste key"}
                      value={drafts[name] ?? ""}
                      onChange={(e) => setDrafts((d) => ({ ...d, [name]: e.target.value }))}
                    />
                  </td>
                  <td>
                    <button type="button" onClick={() => void store(name)} disabled={!drafts[name]}>
                      Store
                    </button>
                    {isSet[name] && (
                      <button type="button" className="link" onClick={() => void remove(name)}>
                        remove
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <input aria-label="Another key name" placeholder="another key name" value={extra} onChange={(e) => setExtra(e.target.value)} />
            <button
              type="button"
              disabled={!extra.trim() || names.includes(extra.trim())}
              onClick={() => {
                setNames([...names, extra.trim()]);
                setExtra("");
              }}
            >
              Add name
            </button>
          </div>
        </>
      )}
      {message && <p role="status">{message}</p>}
    </section>
  );
}
