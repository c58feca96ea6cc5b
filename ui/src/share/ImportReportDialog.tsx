/**
 * The report after an import from another tool: how many players and cues were made, and each
 * thing that could not be carried over (where it was in the source, and what happened to it),
 * so the person can finish the score by hand.
 */
import { useStore } from "zustand";
import { fileName } from "../app/files";
import { Modal } from "../panels/Modal";
import { closeImportReport, importReport } from "./imports";

const TOOL = { crewai: "CrewAI", langgraph: "LangGraph" } as const;

export function ImportReportDialog() {
  const { report, score } = useStore(importReport);
  if (!report) return null;
  const tool = TOOL[report.source];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return (
    <Modal title={`Imported from ${tool}`} onClose={closeImportReport} testId="import-report">
      <p data-testid="import-summary">
        {fileName(score)}: {plural(report.players, "player")} and {plural(report.cues, "cue")}. It is a score from elsewhere: it
        runs nothing and sends no key until you trust it.
      </p>
      {report.notes.length === 0 ? (
        <p>Everything was carried over.</p>
      ) : (
        <>
          <p>Not carried over, or changed on the way:</p>
          <table className="findings import-notes">
            <thead>
              <tr>
                <th scope="col">where</th>
                <th scope="col">what happened</th>
              </tr>
            </thead>
            <tbody>
              {report.notes.map((note, i) => (
                <tr key={i} data-testid="import-note">
                  <td>{note.place}</td>
                  <td>{note.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="findings-actions">
        <button type="button" className="primary" onClick={closeImportReport} data-testid="import-report-close">
          Close
        </button>
      </div>
    </Modal>
  );
}
