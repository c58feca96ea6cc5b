/** Compose: the intent, the shared context (notes, files, workspace) and the tempo of the score. */
import { open } from "@tauri-apps/plugin-dialog";
import { useState } from "react";
import { useStore } from "zustand";
import type { Intent } from "../bindings/Intent";
import type { Tempo } from "../bindings/Tempo";
import type { TempoMode } from "../bindings/TempoMode";
import { notify } from "../app/notices";
import { actions, useDocument } from "../app/studio";
import { validation } from "../app/validation";
import { errorMessage } from "../ipc";
import { NumberField, SelectField, TextArea, TextField, withOptional } from "./fields";
import { shortVersion } from "../score/version";
import { dirname, join, relativeInside } from "./paths";

const INTENT_FIELDS: { field: keyof Intent; label: string; placeholder: string }[] = [
  { field: "goal", label: "Goal — what the ensemble is building", placeholder: "A command-line tool that…" },
  { field: "why", label: "Why it matters", placeholder: "Because…" },
  { field: "for_whom", label: "For whom", placeholder: "Who will use the result" },
  { field: "done_when", label: "Done when", placeholder: "How everyone knows the work is done" },
  { field: "constraints", label: "Constraints", placeholder: "What every player must respect" },
];

export function ContextBadge() {
  const badge = useStore(validation, (v) => v.badge);
  if (!badge) return <span className="context-badge muted">shared context …</span>;
  return (
    <span
      className="context-badge"
      title={`Shared-context version ${badge.version}: every player receives this same context first.`}
      data-testid="context-badge"
    >
      context {shortVersion(badge.version)} · ~{badge.tokens_estimate.toLocaleString()} tokens · {badge.files} files
    </span>
  );
}

export function ScorePanel() {
  const score = useDocument((s) => s.score);
  const path = useDocument((s) => s.path);
  const [newFile, setNewFile] = useState("");
  if (!score) return null;
  const { context, tempo } = score;
  const workspace = context.workspace ?? ".";
  const scoreDir = path ? dirname(path) : null;
  const workspaceDir = scoreDir ? join(scoreDir, workspace) : null;

  function addFiles(names: string[]) {
    const clean = names.map((n) => n.trim()).filter(Boolean);
    if (clean.length === 0) return;
    actions.updateContext((c) => ({ ...c, files: [...new Set([...c.files, ...clean])] }));
  }

  async function attach() {
    try {
      const picked = await open({ multiple: true, directory: false, defaultPath: workspaceDir ?? undefined });
      const list = picked === null ? [] : Array.isArray(picked) ? picked : [picked];
      const relative: string[] = [];
      for (const file of list) {
        const rel = workspaceDir ? relativeInside(workspaceDir, file) : null;
        if (rel === null) notify(`${file} is outside the workspace folder; only files inside it can be attached.`, "error");
        else relative.push(rel);
      }
      addFiles(relative);
    } catch (error) {
      notify(`The file dialog failed: ${errorMessage(error)}`, "error");
    }
  }

  async function pickWorkspace() {
    if (!scoreDir) {
      notify("Save the score first: the workspace folder is kept relative to the score file.", "error");
      return;
    }
    try {
      const picked = await open({ directory: true, multiple: false, defaultPath: workspaceDir ?? undefined });
      if (typeof picked !== "string") return;
      const rel = relativeInside(scoreDir, picked);
      if (rel === null) {
        notify("Pick a folder inside the score's folder, so the score stays portable.", "error");
        return;
      }
      actions.updateContext((c) => withOptional(c, "workspace", rel === "." ? undefined : rel));
    } catch (error) {
      notify(`The folder dialog failed: ${errorMessage(error)}`, "error");
    }
  }

  const setTempo = (change: (t: Tempo) => Tempo, field: string) =>
    actions.edit((s) => ({ ...s, tempo: change({ ...s.tempo }) }), { coalesce: `tempo:${field}` });

  return (
    <section className="score-panel" aria-label="Score" data-testid="score-panel">
      <h2>Intent</h2>
      <TextField label="Title" testId="score-title" value={score.title} onChange={(v) => actions.updateTitle(v)} />
      {INTENT_FIELDS.map(({ field, label, placeholder }) => (
        <TextArea
          key={field}
          label={label}
          testId={`intent-${field}`}
          rows={field === "goal" ? 3 : 2}
          placeholder={placeholder}
          value={score.intent[field] ?? ""}
          onChange={(v) => actions.updateIntent(field, v)}
        />
      ))}
      <h2>
        Shared context <ContextBadge />
      </h2>
      <TextArea
        label="Notes for every player (glossary, conventions, background)"
        rows={4}
        value={context.notes ?? ""}
        onChange={(v) => actions.updateContext((c) => withOptional(c, "notes", v), "notes")}
      />
      <div className="field">
        <label>Workspace folder</label>
        <div className="row">
          <code className="path">{workspace}</code>
          <button type="button" onClick={() => void pickWorkspace()}>
            Choose…
          </button>
        </div>
      </div>
      <div className="field">
        <label>Attached files (inside the workspace)</label>
        {context.files.length === 0 ? (
          <p className="hint">No files attached. Attached files reach every player, identically.</p>
        ) : (
          <ul className="files">
            {context.files.map((f) => (
              <li key={f}>
                <code>{f}</code>
                <button
                  type="button"
                  className="link"
                  aria-label={`Detach ${f}`}
                  onClick={() =>
                    actions.updateContext((c) => ({ ...c, files: c.files.filter((x) => x !== f) }))
                  }
                >
                  remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="row">
          <input
            aria-label="File to attach"
            placeholder="docs/spec.md"
            value={newFile}
            onChange={(e) => setNewFile(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                addFiles([newFile]);
                setNewFile("");
              }
            }}
          />
          <button
            type="button"
            onClick={() => {
              addFiles([newFile]);
              setNewFile("");
            }}
          >
            Add
          </button>
          <button type="button" onClick={() => void attach()}>
            Attach…
          </button>
        </div>
      </div>
      <h2>Tempo</h2>
      <SelectField<TempoMode>
        label="Mode"
        value={tempo.mode ?? "autonomous"}
        options={[
          { value: "autonomous", label: "autonomous" },
          { value: "step", label: "step (release each cue)" },
          { value: "checkpoints", label: "checkpoint-gated" },
        ]}
        onChange={(m) => setTempo((t) => withOptional(t, "mode", m === "autonomous" ? undefined : m), "mode")}
      />
      <div className="row">
        <NumberField
          label="Time budget (s)"
          min={1}
          value={tempo.max_wall_secs}
          onChange={(v) => setTempo((t) => withOptional(t, "max_wall_secs", v === undefined ? undefined : Math.round(v)), "wall")}
        />
        <NumberField
          label="Token budget"
          min={1}
          value={tempo.max_tokens}
          onChange={(v) => setTempo((t) => withOptional(t, "max_tokens", v === undefined ? undefined : Math.round(v)), "tokens")}
        />
        <NumberField
          label="Cost budget ($)"
          min={0}
          step={0.1}
          value={tempo.max_cost_usd}
          onChange={(v) => setTempo((t) => withOptional(t, "max_cost_usd", v), "cost")}
        />
      </div>
    </section>
  );
}
