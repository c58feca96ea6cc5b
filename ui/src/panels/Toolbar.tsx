/** The toolbar: files, history, layout, perform and settings, each with its shortcut in the tooltip. */
import { useReactFlow } from "@xyflow/react";
import { useState } from "react";
import { useStore } from "zustand";
import { isDirty } from "../app/document";
import { documentName, newScore, openDialog, openPath, saveAs, saveScore, saveTo } from "../app/files";
import { performance, startPerformance } from "../app/performance";
import { actions, documentStore, useDocument } from "../app/studio";
import { validation } from "../app/validation";

type Props = { testPaths: boolean; onSettings: () => void; onPerformed: () => void };

export function Toolbar({ testPaths, onSettings, onPerformed }: Props) {
  const score = useDocument((s) => s.score);
  const path = useDocument((s) => s.path);
  const dirty = useDocument(isDirty);
  const canUndo = useDocument((s) => s.past.length > 0);
  const canRedo = useDocument((s) => s.future.length > 0);
  const running = useStore(performance, (s) => s.running);
  const problems = useStore(validation, (s) => s.problems.length);
  const [offline, setOffline] = useState(true);
  const [testPath, setTestPath] = useState("");
  const flow = useReactFlow();
  return (
    <header className="toolbar" role="toolbar" aria-label="Studio">
      <span className="doc-name" data-testid="doc-name">
        {dirty && <span className="dirty-mark" aria-label="unsaved changes">•</span>}
        {score ? documentName(score, path) : "Ensemble Studio"}
      </span>
      <button type="button" onClick={() => void newScore()} title="New score (Ctrl+N)">
        New
      </button>
      <button type="button" onClick={() => void openDialog()} title="Open… (Ctrl+O)">
        Open
      </button>
      {score && (
        <>
          <button type="button" onClick={() => void saveScore()} title="Save (Ctrl+S)" data-testid="save">
            Save
          </button>
          <button type="button" onClick={() => void saveAs()} title="Save as… (Ctrl+Shift+S)">
            Save as
          </button>
          <span className="sep" />
          <button type="button" onClick={actions.undo} disabled={!canUndo} title="Undo (Ctrl+Z)" data-testid="undo">
            Undo
          </button>
          <button type="button" onClick={actions.redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z, Ctrl+Y)" data-testid="redo">
            Redo
          </button>
          <span className="sep" />
          <button type="button" onClick={actions.tidy} title="Tidy layout, left to right by cue" data-testid="tidy">
            Tidy
          </button>
          <button type="button" onClick={() => void flow.fitView({ duration: 300, padding: 0.1 })} title="Fit (F)">
            Fit
          </button>
          <span className="sep" />
          <label className="toggle" title="Swap every instrument for a rehearsal stand-in: no model is called">
            <input type="checkbox" checked={offline} onChange={(e) => setOffline(e.target.checked)} data-testid="offline" />
            offline (rehearsal)
          </label>
          <button
            type="button"
            className="primary"
            disabled={running}
            data-testid="perform"
            title={problems > 0 ? "The score has problems; the conductor will refuse it until they are fixed" : "Perform the score"}
            onClick={() => {
              const { score: s, path: p } = documentStore.getState();
              if (!s) return;
              onPerformed();
              void startPerformance(s, p, offline);
            }}
          >
            {running ? "Performing…" : "Perform"}
          </button>
        </>
      )}
      <span className="grow" />
      {testPaths && (
        <span className="test-paths">
          <input id="test-path" aria-label="Path" value={testPath} onChange={(e) => setTestPath(e.target.value)} />
          <button type="button" id="test-open" onClick={() => void openPath(testPath, { ask: false })}>
            Open path
          </button>
          <button type="button" id="test-save" onClick={() => void saveTo(testPath)}>
            Save to path
          </button>
        </span>
      )}
      <button type="button" onClick={onSettings} title="Settings" data-testid="open-settings">
        Settings
      </button>
    </header>
  );
}
