/**
 * Files opened with the studio from outside it: named on the command line, double-clicked in a
 * file manager, or handed to the studio already running (a second launch passes them on and
 * exits). The studio edits one score per window: of the files one launch names, the shell gives
 * the first to the main window and opens a window of its own for each further one, so a window
 * is handed one file per launch. The shell says which file is a score and which a bundle; a
 * score opens like File > Open (asking first about unsaved changes), a bundle is unpacked into a
 * folder the person picks and its score opens the same way. Opens run one after another, so a
 * file arriving while the one before still asks a question waits for the answer instead of
 * racing it.
 */
import type { FileToOpen } from "../bindings/FileToOpen";
import { errorMessage, ipc } from "../ipc";
import { openBundleFile } from "../share/actions";
import { openPath } from "./files";
import { notify } from "./notices";

let queue: Promise<unknown> = Promise.resolve();

/**
 * Opens `files` one after another in this window, as separate launches' files arrive (several
 * come at once only when launches were made before the window listened; the last one stays
 * open). `ask: false` skips the unsaved-changes question, for the file the window starts with.
 */
export function openFiles(files: FileToOpen[], options: { ask?: boolean } = {}): Promise<void> {
  const opened = queue.then(() => openEach(files, options));
  queue = opened.catch(() => undefined);
  return opened;
}

async function openEach(files: FileToOpen[], options: { ask?: boolean }): Promise<void> {
  for (const file of files) {
    if (file.kind === "bundle") await openBundleFile(file.path);
    else await openPath(file.path, options);
  }
}

/** Listens for files the operating system hands to the running studio, for as long as it runs (the main window only). */
export function watchOpenedFiles(): void {
  ipc.watchOpenedFiles((files) => void openFiles(files)).catch((error) => {
    notify(`Files opened from outside the studio will not reach this window: ${errorMessage(error)}`, "error");
  });
}
