/**
 * Where a shared file goes and where a bundle opens: the native save and folder dialogs, or,
 * when the studio runs for end-to-end tests (native dialogs cannot be driven there), the path
 * typed into the toolbar's test path field. `null` means the person chose nothing.
 */
import { open, save } from "@tauri-apps/plugin-dialog";
import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import { ipc, type ExportFormat, type Score } from "../ipc";
import { shareFormat } from "./formats";

/** The test path field: shown, and what it holds. */
export const testPath = createStore<{ enabled: boolean; value: string }>(() => ({ enabled: false, value: "" }));

/** The test path field's value and setter, for the toolbar that shows the field. */
export function useTestPath(): [string, (value: string) => void] {
  const value = useStore(testPath, (t) => t.value);
  return [value, (next: string) => testPath.setState({ value: next })];
}

/**
 * The file to write an export of `format` to. The dialog starts at the default name beside the
 * score; in test mode the test path field names the file, or, when empty, the default is taken.
 */
export async function exportDestination(score: Score, path: string | null, format: ExportFormat): Promise<string | null> {
  const typed = testPath.getState();
  if (typed.enabled && typed.value.trim()) return typed.value.trim();
  const suggested = await ipc.exportTarget(score, path, format);
  if (typed.enabled) return suggested;
  const picked = await save({ defaultPath: suggested, filters: [shareFormat(format).filter] });
  return typeof picked === "string" ? picked : null;
}

/** The folder to open a bundle into: asked for, or in test mode the test path field. */
export async function bundleFolder(): Promise<string | null> {
  const typed = testPath.getState();
  if (typed.enabled) return typed.value.trim() || null;
  const picked = await open({ directory: true, multiple: false, title: "Open the bundle into this folder" });
  return typeof picked === "string" ? picked : null;
}

/** A bundle to open, from the open dialog (in test mode bundles arrive by drop). */
export async function pickBundle(): Promise<string | null> {
  const picked = await open({ multiple: false, directory: false, filters: [{ name: "Score bundle", extensions: ["zip"] }] });
  return typeof picked === "string" ? picked : null;
}

/** The folder to import a CrewAI project or a LangGraph graph into: asked for, or in test mode the test path field. */
export async function importFolder(): Promise<string | null> {
  const typed = testPath.getState();
  if (typed.enabled) return typed.value.trim() || null;
  const picked = await open({ directory: true, multiple: false, title: "Import into this folder" });
  return typeof picked === "string" ? picked : null;
}

/** A CrewAI agents.yaml or tasks.yaml, or a LangGraph graph, from the open dialog. */
export async function pickImport(): Promise<string | null> {
  const picked = await open({
    multiple: false,
    directory: false,
    title: "Import from CrewAI (agents.yaml or tasks.yaml) or LangGraph (.json)",
    filters: [{ name: "CrewAI or LangGraph", extensions: ["yaml", "yml", "json"] }],
  });
  return typeof picked === "string" ? picked : null;
}
