/** The settings of a player's instrument, by kind, and a button to try the connection. */
import { useEffect, useState } from "react";
import { MAX_TEMPERATURE } from "../bindings/engineValues";
import type { Instrument } from "../bindings/Instrument";
import type { KeyRef } from "../bindings/KeyRef";
import type { Player } from "../bindings/Player";
import { settings } from "../app/settings";
import { actions, documentStore } from "../app/studio";
import { checkTrust } from "../app/trust";
import { errorMessage, ipc } from "../ipc";
import { INSTRUMENT_KINDS, instrumentOf, kindTitle, type InstrumentKind } from "../score/templates";
import { NumberField, SelectField, TextArea, TextField, withOptional } from "./fields";

type Props = { player: Player };

export function InstrumentFields({ player }: Props) {
  const instrument = player.instrument;
  const set = (change: (i: Instrument) => Instrument, field: string) =>
    actions.updatePlayer(player.id, (p) => ({ ...p, instrument: change(p.instrument) }), `instrument.${field}`);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [testing, setTesting] = useState(false);
  useEffect(() => setResult(null), [player.id, instrument.kind]);

  async function testConnection() {
    setTesting(true);
    try {
      setResult({ ok: true, text: await ipc.testConnection(instrument) });
    } catch (error) {
      setResult({ ok: false, text: errorMessage(error) });
      // A key the person has not allowed for this host is refused before anything is sent: the
      // trust banner then lists what the score would send, and where.
      const { score, path } = documentStore.getState();
      if (score) void checkTrust(score, path);
    } finally {
      setTesting(false);
    }
  }

  return (
    <fieldset className="instrument">
      <legend>Instrument</legend>
      <SelectField<InstrumentKind>
        label="Kind"
        testId="instrument-kind"
        value={instrument.kind}
        options={INSTRUMENT_KINDS.map((k) => ({ value: k, label: kindTitle(k) }))}
        onChange={(kind) =>
          actions.updatePlayer(player.id, (p) => ({ ...p, instrument: instrumentOf(kind, settings.getState().defaults) }))
        }
      />
      {instrument.kind === "rehearsal" && (
        <>
          <p className="hint">An offline stand-in: no model is called. Good for dry runs.</p>
          <NumberField
            label="Latency (ms)"
            min={0}
            value={instrument.latency_ms}
            onChange={(v) => set((i) => withOptional(i as typeof instrument, "latency_ms", v === undefined ? undefined : Math.max(0, Math.round(v))), "latency")}
          />
          <NumberField
            label="Failure rate (0–1)"
            min={0}
            max={1}
            step={0.05}
            value={instrument.failure_rate}
            onChange={(v) => set((i) => withOptional(i as typeof instrument, "failure_rate", v), "failure")}
          />
          <TextArea
            label="Verdicts, one per chorus"
            rows={2}
            value={instrument.verdicts.join("\n")}
            placeholder={"CHANGES REQUESTED\nAPPROVED"}
            onChange={(v) => set((i) => ({ ...(i as typeof instrument), verdicts: lines(v) }), "verdicts")}
          />
        </>
      )}
      {(instrument.kind === "openai" || instrument.kind === "anthropic") && (
        <>
          <TextField
            label="Base URL"
            testId="instrument-base-url"
            value={instrument.base_url ?? ""}
            placeholder={instrument.kind === "openai" ? "http://127.0.0.1:11434/v1" : "https://api.anthropic.com"}
            onChange={(v) => set((i) => withOptional(i as typeof instrument, "base_url", v) as Instrument, "base_url")}
          />
          <TextField
            label="Model"
            testId="instrument-model"
            value={instrument.model}
            onChange={(v) => set((i) => ({ ...(i as typeof instrument), model: v }), "model")}
          />
          <div className="row">
            <NumberField
              label="Temperature"
              testId="instrument-temperature"
              min={0}
              max={MAX_TEMPERATURE[instrument.kind]}
              step={0.1}
              value={instrument.temperature}
              onChange={(v) => set((i) => withOptional(i as typeof instrument, "temperature", v), "temperature")}
            />
            <NumberField
              label="Max tokens"
              min={1}
              value={instrument.max_tokens}
              onChange={(v) => set((i) => withOptional(i as typeof instrument, "max_tokens", v), "max_tokens")}
            />
          </div>
          <KeyField
            value={instrument.key}
            optional={instrument.kind === "openai"}
            onChange={(key) => set((i) => withOptional(i as typeof instrument, "key", key) as Instrument, "key")}
          />
        </>
      )}
      {instrument.kind === "command" && (
        <>
          <TextField
            label="Program"
            value={instrument.program}
            placeholder="./scripts/check.sh"
            onChange={(v) => set((i) => ({ ...(i as typeof instrument), program: v }), "program")}
          />
          <TextArea
            label="Arguments, one per line"
            rows={2}
            value={instrument.args.join("\n")}
            onChange={(v) => set((i) => ({ ...(i as typeof instrument), args: lines(v) }), "args")}
          />
          <TextField
            label="Working directory (in the workspace)"
            value={instrument.cwd ?? ""}
            onChange={(v) => set((i) => withOptional(i as typeof instrument, "cwd", v), "cwd")}
          />
          <TextField
            label="Environment variables passed through"
            value={instrument.env.join(", ")}
            placeholder="PATH, HOME"
            onChange={(v) => {
              const names = v.split(",").map((s) => s.trim()).filter(Boolean);
              set((i) => ({ ...(i as typeof instrument), env: names }), "env");
            }}
          />
        </>
      )}
      {instrument.kind === "human" && (
        <TextField
          label="Who is asked"
          value={instrument.who ?? ""}
          placeholder="release manager"
          onChange={(v) => set((i) => withOptional(i as typeof instrument, "who", v), "who")}
        />
      )}
      <div className="actions">
        <button type="button" onClick={() => void testConnection()} disabled={testing} data-testid="test-connection">
          {testing ? "Testing…" : "Test connection"}
        </button>
      </div>
      {result && (
        <p className={result.ok ? "ok" : "error"} role="status" data-testid="connection-result">
          {result.text}
        </p>
      )}
    </fieldset>
  );
}

/** The lines of a text area as a list; an empty text area is an empty list, not one empty line. */
function lines(text: string): string[] {
  return text === "" ? [] : text.split("\n");
}

type KeySource = "none" | "env" | "keychain";

/**
 * Where the key comes from: an environment variable or a keychain entry, never the key itself.
 * `suggest` names the entry first offered when a source is chosen (a model's key by default).
 */
export function KeyField({
  value,
  optional,
  onChange,
  label = "API key from",
  noKey = "No key (local server)",
  suggest = { env: "OPENAI_API_KEY", keychain: "openai" },
}: {
  value: KeyRef | undefined;
  optional: boolean;
  onChange: (k: KeyRef | undefined) => void;
  label?: string;
  noKey?: string;
  suggest?: { env: string; keychain: string };
}) {
  const source: KeySource = value ? ("env" in value ? "env" : "keychain") : "none";
  const name = value ? ("env" in value ? value.env : value.keychain) : "";
  const [isSet, setIsSet] = useState<boolean | null>(null);
  useEffect(() => {
    setIsSet(null);
    if (source !== "keychain" || !name) return;
    let current = true;
    ipc
      .keyIsSet(name)
      .then((v) => current && setIsSet(v))
      .catch(() => current && setIsSet(null));
    return () => {
      current = false;
    };
  }, [source, name]);
  const make = (s: KeySource, n: string): KeyRef | undefined =>
    s === "none" ? undefined : s === "env" ? { env: n } : { keychain: n };
  const options: { value: KeySource; label: string }[] = [
    ...(optional ? [{ value: "none" as const, label: noKey }] : []),
    { value: "env", label: "Environment variable" },
    { value: "keychain", label: "Keychain entry" },
  ];
  return (
    <div className="key-field">
      <SelectField<KeySource>
        label={label}
        value={source}
        options={options}
        onChange={(s) => onChange(make(s, name || (s === "none" ? "" : suggest[s])))}
      />
      {source !== "none" && (
        <TextField
          label={source === "env" ? "Variable name" : "Keychain entry name"}
          value={name}
          onChange={(n) => onChange(make(source, n))}
          hint={
            source === "keychain" && name
              ? isSet === null
                ? "Set keys in Settings → API keys."
                : isSet
                  ? "Key is set."
                  : "Key is not set: add it in Settings → API keys."
              : undefined
          }
        />
      )}
    </div>
  );
}
