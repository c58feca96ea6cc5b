/**
 * The toolbar: files, history, layout, perform and settings. Everyday actions are icons with
 * their name and shortcut in the tooltip, so the bar stays one row in a 1280-pixel window.
 */
import { useReactFlow } from "@xyflow/react";
import { FilePlus, FolderOpen, Maximize, Play, Redo2, Save, SaveAll, Settings, Undo2, Workflow } from "lucide-react";
import { useState, type ReactNode } from "react";
import { useStore } from "zustand";
import { isDirty } from "../app/document";
import { documentName, newScore, openDialog, openPath, saveAs, saveScore, saveTo } from "../app/files";
import { performance } from "../app/performance";
import { performScore } from "../app/trust";
import { actions, documentStore, useDocument } from "../app/studio";
import { validation } from "../app/validation";
import { fitAll, requestFit } from "../canvas/viewport";
import { useTestPath } from "../share/destination";
import { ShareMenu } from "../share/ShareMenu";

type Props = { testPaths: boolean; onSettings: () => void; onPerformed: () => void };

const ICON = 16;

function IconButton(props: { label: string; onClick: () => void; disabled?: boolean; testId?: string; children: ReactNode }) {
  return (
    <button
      type="button"
      className="icon"
      onClick={props.onClick}
      disabled={props.disabled}
      title={props.label}
      aria-label={props.label}
      data-testid={props.testId}
    >
      {props.children}
    </button>
  );
}

export function Toolbar({ testPaths, onSettings, onPerformed }: Props) {
  const score = useDocument((s) => s.score);
  const path = useDocument((s) => s.path);
  const dirty = useDocument(isDirty);
  const canUndo = useDocument((s) => s.past.length > 0);
  const canRedo = useDocument((s) => s.future.length > 0);
  const running = useStore(performance, (s) => s.running);
  const problems = useStore(validation, (s) => s.problems.length);
  const [offline, setOffline] = useState(true);
  const [testPath, setTestPath] = useTestPath();
  const flow = useReactFlow();
  const name = score ? documentName(score, path) : "Ensemble Studio";
  return (
    <header className="toolbar" role="toolbar" aria-label="Studio">
      <span className="doc-name" data-testid="doc-name" title={path ?? name}>
        {dirty && <span className="dirty-mark" aria-label="unsaved changes">•</span>}
        {name}
      </span>
      <span className="group">
        <IconButton label="New score (Ctrl+N)" onClick={() => void newScore()} testId="new">
          <FilePlus size={ICON} />
        </IconButton>
        <IconButton label="Open… (Ctrl+O)" onClick={() => void openDialog()} testId="open">
          <FolderOpen size={ICON} />
        </IconButton>
        {score && (
          <>
            <IconButton label="Save (Ctrl+S)" onClick={() => void saveScore()} testId="save">
              <Save size={ICON} />
            </IconButton>
            <IconButton label="Save as… (Ctrl+Shift+S)" onClick={() => void saveAs()} testId="save-as">
              <SaveAll size={ICON} />
            </IconButton>
          </>
        )}
        <ShareMenu testPaths={testPaths} />
      </span>
      {score && (
        <>
          <span className="group">
            <IconButton label="Undo (Ctrl+Z)" onClick={actions.undo} disabled={!canUndo} testId="undo">
              <Undo2 size={ICON} />
            </IconButton>
            <IconButton label="Redo (Ctrl+Shift+Z, Ctrl+Y)" onClick={actions.redo} disabled={!canRedo} testId="redo">
              <Redo2 size={ICON} />
            </IconButton>
          </span>
          <span className="group">
            <IconButton
              label="Tidy: lay players out left to right by cue"
              onClick={() => {
                actions.tidy();
                requestFit();
              }}
              testId="tidy"
            >
              <Workflow size={ICON} />
            </IconButton>
            <IconButton label="Fit the whole score in view (F)" onClick={() => fitAll(flow)} testId="fit">
              <Maximize size={ICON} />
            </IconButton>
          </span>
          <span className="group">
            <label className="toggle" title="Swap every instrument for a rehearsal stand-in: no model is called, no program runs">
              <input type="checkbox" checked={offline} onChange={(e) => setOffline(e.target.checked)} data-testid="offline" />
              rehearsal
            </label>
            <button
              type="button"
              className="primary with-icon"
              disabled={running}
              data-testid="perform"
              title={problems > 0 ? "The score has problems; the conductor will refuse it until they are fixed" : "Perform the score"}
              onClick={() => {
                const { score: s, path: p } = documentStore.getState();
                if (!s) return;
                onPerformed();
                void performScore(s, p, offline);
              }}
            >
              <Play size={14} aria-hidden />
              {running ? "Performing…" : "Perform"}
            </button>
          </span>
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
      <IconButton label="Settings" onClick={onSettings} testId="open-settings">
        <Settings size={ICON} />
      </IconButton>
    </header>
  );
}
