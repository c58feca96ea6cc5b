/** The studio window: toolbar, and either the welcome view or the canvas with its side panels. */
import { ReactFlowProvider } from "@xyflow/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { useStore } from "zustand";
import { openProblems } from "./app/files";
import { notify } from "./app/notices";
import { openFiles } from "./app/opened";
import { performance } from "./app/performance";
import { handleShortcut } from "./app/shortcuts";
import { actions, useDocument } from "./app/studio";
import { validation } from "./app/validation";
import { Canvas } from "./canvas/Canvas";
import type { Recovered } from "./bindings/Recovered";
import { errorMessage, ipc, type Template } from "./ipc";
import { Inspector } from "./panels/Inspector";
import { Modal } from "./panels/Modal";
import { Notices } from "./panels/Notices";
import { Palette } from "./panels/Palette";
import { ProblemsList } from "./panels/Problems";
import { RunPanel } from "./panels/RunPanel";
import { ContextBadge, ScorePanel } from "./panels/ScorePanel";
import { SettingsDialog } from "./panels/SettingsDialog";
import { Toolbar } from "./panels/Toolbar";
import { TrustBanner } from "./panels/TrustBanner";
import { Welcome } from "./panels/Welcome";
import { DropZone } from "./share/DropZone";

// Loaded on first use: its charts (recharts) would otherwise be parsed and kept by every window
// that never opens the Diagnose view (about 10 MB of the web process at idle, bench/README.md).
const DiagnosePanel = lazy(() => import("./diagnostics/DiagnosePanel").then((m) => ({ default: m.DiagnosePanel })));

type Tab = "inspect" | "score" | "problems" | "run" | "diagnose";

export function App() {
  const hasScore = useDocument((s) => s.score !== null);
  const selection = useDocument((s) => s.selection);
  const problems = useStore(validation, (v) => v.problems.length);
  const running = useStore(performance, (p) => p.running);
  const broken = useStore(openProblems);
  const [tab, setTab] = useState<Tab>("score");
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [recovered, setRecovered] = useState<Recovered | null>(null);
  const [testPaths, setTestPaths] = useState(false);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.defaultPrevented) handleShortcut(event);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    let cancelled = false;
    ipc
      .startup()
      .then(async (startup) => {
        if (cancelled) return;
        setRecovered(startup.recovered);
        setTestPaths(startup.test_paths);
        if (startup.initial_path) await openFiles([{ path: startup.initial_path, kind: startup.initial_kind ?? "score" }], { ask: false });
      })
      .catch((error) => notify(`The studio did not start cleanly: ${errorMessage(error)}`, "error"));
    ipc
      .listTemplates()
      .then((t) => !cancelled && setTemplates(t))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);

  // Selecting something (on the canvas or from the problems list) shows it in the inspector;
  // the Diagnose view stays open while its evidence is shown on the canvas.
  useEffect(() => {
    if (selection.players.length + selection.cues.length + selection.sections.length > 0) setTab((t) => (t === "diagnose" ? t : "inspect"));
  }, [selection]);

  const recover = () => {
    if (!recovered) return;
    actions.load(recovered.score, recovered.path, { dirty: true, key: recovered.key });
    setRecovered(null);
  };
  const discardRecovered = () => {
    if (recovered) ipc.discardAutosave(recovered.key).catch(() => undefined);
    setRecovered(null);
  };

  return (
    <ReactFlowProvider>
      <div className="studio">
        <Toolbar testPaths={testPaths} onSettings={() => setSettingsOpen(true)} onPerformed={() => setTab("run")} />
        {hasScore && <TrustBanner />}
        {!hasScore ? (
          <Welcome templates={templates} recovered={recovered} onRecover={recover} onDiscardRecovered={discardRecovered} />
        ) : (
          <div className="workbench">
            <Palette />
            <Canvas />
            <div className="sidebar">
              <div className="tabs" role="tablist">
                {(
                  [
                    ["inspect", "Inspector"],
                    ["score", "Score"],
                    ["problems", problems ? `Problems (${problems})` : "Problems"],
                    ["run", running ? "Run ●" : "Run"],
                    ["diagnose", "Diagnose"],
                  ] as [Tab, string][]
                ).map(([id, label]) => (
                  <button
                    key={id}
                    type="button"
                    role="tab"
                    aria-selected={tab === id}
                    className={tab === id ? "active" : ""}
                    data-testid={`tab-${id}`}
                    onClick={() => setTab(id)}
                  >
                    {label}
                  </button>
                ))}
              </div>
              <div className="tab-body">
                {tab === "inspect" && <Inspector />}
                {tab === "score" && <ScorePanel />}
                {tab === "problems" && <ProblemsList openCompose={() => setTab("score")} />}
                {tab === "run" && <RunPanel />}
                {tab === "diagnose" && (
                  <Suspense fallback={null}>
                    <DiagnosePanel testPaths={testPaths} />
                  </Suspense>
                )}
              </div>
            </div>
          </div>
        )}
        {hasScore && (
          <footer className="statusbar">
            <button type="button" className="link" onClick={() => setTab("problems")} data-testid="problem-count">
              {problems === 0 ? "✓ no problems" : `⚠ ${problems} problem${problems === 1 ? "" : "s"}`}
            </button>
            <ContextBadge />
          </footer>
        )}
        {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
        {broken.problems.length > 0 && (
          <Modal title="This score did not load" onClose={() => openProblems.setState({ path: null, problems: [] })} testId="open-problems">
            <p>
              <code>{broken.path}</code> was left as it is. Fix these and open it again:
            </p>
            <ul className="problems">
              {broken.problems.map((p, i) => (
                <li key={i}>
                  {p.line !== undefined && (
                    <span className="where">
                      line {p.line}
                      {p.column !== undefined ? `, column ${p.column}` : ""}
                    </span>
                  )}{" "}
                  <span className="rule">{p.rule.replace(/_/g, " ")}</span> <span className="message">{p.message}</span>
                </li>
              ))}
            </ul>
          </Modal>
        )}
        <DropZone />
        <Notices />
      </div>
    </ReactFlowProvider>
  );
}
