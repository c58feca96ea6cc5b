/**
 * Files: new, open, save, save as, recent files, autosave of unsaved work and the window
 * title. A file that does not load leaves the open document untouched and lists its problems;
 * nothing is ever lost to a bad file or a failed save.
 */
import { getCurrentWindow } from "@tauri-apps/api/window";
import { ask, open, save } from "@tauri-apps/plugin-dialog";
import { createStore } from "zustand/vanilla";
import type { Problem } from "../bindings/Problem";
import type { Score } from "../bindings/Score";
import { errorMessage, ipc, type Template } from "../ipc";
import { isDirty } from "./document";
import { notify } from "./notices";
import { rememberRecent } from "./settings";
import { actions, documentStore } from "./studio";

export const AUTOSAVE_DELAY_MS = 1500;
const SCORE_FILTER = [{ name: "Score", extensions: ["toml"] }];

/** Problems of a file that failed to load, shown until dismissed. */
export const openProblems = createStore<{ path: string | null; problems: Problem[] }>(() => ({
  path: null,
  problems: [],
}));

export function fileName(path: string | null): string {
  if (!path) return "";
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

const FOLDER_CHARS = 44;

/** The folder a file is in, shortened from the front (the end says the most): `…/work/scores`. */
export function folderLabel(path: string): string {
  const normal = path.replace(/\\/g, "/");
  const cut = normal.lastIndexOf("/");
  const folder = cut > 0 ? normal.slice(0, cut) : cut === 0 ? "/" : "";
  return folder.length > FOLDER_CHARS ? `…${folder.slice(folder.length - FOLDER_CHARS + 1)}` : folder;
}

export function documentName(score: Score | null, path: string | null): string {
  return fileName(path) || score?.title || "Untitled score";
}

/** Asks before throwing away unsaved changes (they stay in the autosave either way). */
async function mayDiscard(): Promise<boolean> {
  if (!isDirty(documentStore.getState())) return true;
  const question = "The open score has unsaved changes. Discard them?";
  try {
    return await ask(question, { title: "Unsaved changes", kind: "warning" });
  } catch {
    return window.confirm(question);
  }
}

export async function newScore(): Promise<void> {
  if (!(await mayDiscard())) return;
  try {
    actions.load(await ipc.newScore(), null);
  } catch (error) {
    notify(`Could not start a new score: ${errorMessage(error)}`, "error");
  }
}

export async function fromTemplate(template: Template): Promise<void> {
  if (!(await mayDiscard())) return;
  try {
    const opened = await ipc.parseScore(template.text, null);
    if (!opened.score) {
      openProblems.setState({ path: template.title, problems: opened.problems });
      return;
    }
    actions.load(opened.score, null);
  } catch (error) {
    notify(`The template "${template.title}" could not be read: ${errorMessage(error)}`, "error");
  }
}

export async function openPath(path: string, options: { ask?: boolean } = {}): Promise<boolean> {
  if (options.ask !== false && !(await mayDiscard())) return false;
  try {
    const opened = await ipc.openScore(path);
    if (!opened.score) {
      openProblems.setState({ path, problems: opened.problems });
      return false;
    }
    actions.load(opened.score, opened.path ?? path);
    openProblems.setState({ path: null, problems: [] });
    rememberRecent(opened.path ?? path);
    return true;
  } catch (error) {
    notify(`Could not open ${fileName(path)}: ${errorMessage(error)}`, "error");
    return false;
  }
}

export async function openDialog(): Promise<void> {
  try {
    const picked = await open({ multiple: false, directory: false, filters: SCORE_FILTER });
    if (typeof picked === "string") await openPath(picked);
  } catch (error) {
    notify(`The open dialog failed: ${errorMessage(error)}`, "error");
  }
}

export async function saveTo(path: string): Promise<boolean> {
  const { score, key, path: source } = documentStore.getState();
  if (!score) return false;
  try {
    // Saving as another file still carries over the comments of the file the score came from.
    const saved = await ipc.saveScore(path, score, source);
    actions.markSaved(saved.path, score);
    rememberRecent(saved.path);
    ipc.discardAutosave(key).catch(() => undefined);
    notify(`Saved ${fileName(saved.path)}`);
    return true;
  } catch (error) {
    notify(`Not saved: ${errorMessage(error)}. Your changes are still here.`, "error");
    return false;
  }
}

export async function saveAs(): Promise<boolean> {
  const { score, path } = documentStore.getState();
  if (!score) return false;
  try {
    const picked = await save({
      filters: SCORE_FILTER,
      defaultPath: path ?? `${(score.title || "score").replace(/[^\w-]+/g, "-").toLowerCase()}.score.toml`,
    });
    return picked ? await saveTo(picked) : false;
  } catch (error) {
    notify(`The save dialog failed: ${errorMessage(error)}`, "error");
    return false;
  }
}

export async function saveScore(): Promise<boolean> {
  const { path } = documentStore.getState();
  return path ? saveTo(path) : saveAs();
}

/** Keeps the window title ("• name — Ensemble Studio" while unsaved) and the autosave current. */
export function watchFiles(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastTitle = "";
  const unsubscribe = documentStore.subscribe((state, previous) => {
    const title = state.score
      ? `${isDirty(state) ? "• " : ""}${documentName(state.score, state.path)} — Ensemble Studio`
      : "Ensemble Studio";
    if (title !== lastTitle) {
      lastTitle = title;
      document.title = title;
      getCurrentWindow()
        .setTitle(title)
        .catch(() => undefined);
    }
    if (state.score !== previous.score && state.score && isDirty(state)) {
      clearTimeout(timer);
      const { key, score, path } = state;
      timer = setTimeout(() => {
        ipc.autosave(key, score, path).catch((error) => notify(`Autosave failed: ${errorMessage(error)}`, "error"));
      }, AUTOSAVE_DELAY_MS);
    }
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
