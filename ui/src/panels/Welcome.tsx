/** Start: recover unsaved work, recent scores, a new score, or a template. */
import { useStore } from "zustand";
import { fileName, folderLabel, fromTemplate, newScore, openDialog, openPath } from "../app/files";
import { settings } from "../app/settings";
import type { Recovered } from "../bindings/Recovered";
import type { Template } from "../ipc";

type Props = { templates: Template[]; recovered: Recovered | null; onRecover: () => void; onDiscardRecovered: () => void };

export function Welcome({ templates, recovered, onRecover, onDiscardRecovered }: Props) {
  const recent = useStore(settings, (s) => s.recent);
  return (
    <main className="welcome" data-testid="welcome">
      <h1>Ensemble Studio</h1>
      <p className="lead">Compose the intent, orchestrate the players, conduct the performance.</p>
      {recovered && (
        <div className="recover" role="alert" data-testid="recover">
          <p>
            Unsaved work of <strong>{recovered.score.title || "an untitled score"}</strong>
            {recovered.path ? ` (${fileName(recovered.path)})` : ""} was kept, autosaved{" "}
            {new Date(recovered.saved_ms).toLocaleString()}.
          </p>
          <button type="button" className="primary" onClick={onRecover} data-testid="recover-button">
            Recover unsaved work
          </button>
          <button type="button" onClick={onDiscardRecovered}>
            Discard it
          </button>
        </div>
      )}
      <div className="welcome-grid">
        <section>
          <h2>Start</h2>
          <button type="button" className="primary" onClick={() => void newScore()} data-testid="new-score">
            New score <kbd>Ctrl+N</kbd>
          </button>
          <button type="button" onClick={() => void openDialog()}>
            Open… <kbd>Ctrl+O</kbd>
          </button>
          <h2>Recent</h2>
          {recent.length === 0 ? (
            <p className="hint">Scores you open or save appear here.</p>
          ) : (
            <ul className="recent">
              {recent.map((path) => (
                <li key={path}>
                  <button type="button" className="link" title={path} onClick={() => void openPath(path)}>
                    <span className="file">{fileName(path)}</span>
                    <span className="folder">{folderLabel(path)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          <h2>Templates</h2>
          {templates.length === 0 ? (
            <p className="hint">No templates were found.</p>
          ) : (
            <ul className="templates">
              {templates.map((t) => (
                <li key={t.id}>
                  <button type="button" onClick={() => void fromTemplate(t)} data-testid={`template-${t.id}`}>
                    <strong>{t.title}</strong>
                    <span>{t.description}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </main>
  );
}
