/**
 * The diagnosis as the engine's self-contained HTML report, shown in a sandboxed frame: `srcdoc`
 * with an empty `sandbox`, so the report runs no script and reaches nothing (it needs neither).
 * It can be copied as HTML to keep or send.
 */
import { save } from "@tauri-apps/plugin-dialog";
import { useEffect, useState } from "react";
import type { Report } from "../bindings/Report";
import { errorMessage, ipc } from "../ipc";
import { notify } from "../app/notices";
import { Modal } from "../panels/Modal";
import { copyText } from "./copy";

/** Saves the report as one HTML file picked in the save dialog (printable to PDF from a browser). */
async function saveReport(report: Report): Promise<void> {
  try {
    const path = await save({ defaultPath: "diagnosis.html", filters: [{ name: "HTML report", extensions: ["html"] }] });
    if (!path) return;
    await ipc.saveDiagnosisHtml(path, report);
    notify(`Saved the report to ${path}.`);
  } catch (error) {
    notify(`The report was not saved: ${errorMessage(error)}`, "error");
  }
}

export function ReportDialog({ report, onClose }: { report: Report; onClose: () => void }) {
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => {
    let cancelled = false;
    ipc
      .diagnosisHtml(report)
      .then((text) => !cancelled && setHtml(text))
      .catch((e) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [report]);
  return (
    <Modal title={`Diagnosis: ${report.title}`} onClose={onClose} testId="report-dialog">
      {error && <p className="error">The report could not be written: {error}</p>}
      {html === null ? (
        !error && <p className="hint">Writing the report…</p>
      ) : (
        <>
          <iframe className="report-frame" title={`Diagnosis report of ${report.title}`} sandbox="" srcDoc={html} data-testid="report-frame" />
          <div className="actions">
            <button type="button" onClick={() => void copyText(html).then(setCopied)} data-testid="copy-report">
              Copy as HTML
            </button>
            <button type="button" onClick={() => void saveReport(report)} data-testid="save-report">
              Save…
            </button>
            {copied === true && <span className="ok">Copied: paste it into a file ending in .html to keep or print it.</span>}
            {copied === false && <span className="error">The clipboard refused it.</span>}
          </div>
        </>
      )}
    </Modal>
  );
}
