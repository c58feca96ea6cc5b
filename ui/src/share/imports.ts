/**
 * Importing work from other tools: a CrewAI project (its folder, agents.yaml or tasks.yaml) or a
 * LangGraph graph (.json) becomes a score file in a folder the person picks, which then opens
 * through the usual open flow (a score from elsewhere runs nothing before it is trusted). What
 * could not be carried over is shown in a report over the opened score. A refused file writes
 * nothing (the shell checks it whole first) and leaves the open score as it was.
 */
import { createStore } from "zustand/vanilla";
import { fileName, openPath } from "../app/files";
import { notify } from "../app/notices";
import type { ImportReport } from "../bindings/ImportReport";
import { errorMessage, ipc } from "../ipc";
import { importFolder, pickImport } from "./destination";

/** The report of the last import, shown until dismissed. */
export const importReport = createStore<{ report: ImportReport | null; score: string }>(() => ({ report: null, score: "" }));

export function closeImportReport(): void {
  importReport.setState({ report: null, score: "" });
}

/** Imports `source` into a folder the person picks, opens the score and shows the report. */
export async function importProjectFile(source: string): Promise<void> {
  try {
    const into = await importFolder();
    if (!into) {
      notify(`${fileName(source)} was not imported: no folder was chosen for it.`);
      return;
    }
    const imported = await ipc.importProject(source, into);
    const opened = await openPath(imported.score);
    if (!opened) notify(`Imported ${fileName(source)} as ${imported.score}; it was not opened.`);
    if (imported.report) importReport.setState({ report: imported.report, score: imported.score });
  } catch (error) {
    notify(`Could not import ${fileName(source)}: ${errorMessage(error)}`, "error");
  }
}

/** "Import from CrewAI or LangGraph…": picks the file, then the folder to import into. */
export async function importDialog(): Promise<void> {
  try {
    const source = await pickImport();
    if (source) await importProjectFile(source);
  } catch (error) {
    notify(`The open dialog failed: ${errorMessage(error)}`, "error");
  }
}
