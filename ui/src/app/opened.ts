/**
 * Files opened with the studio from outside it: named on the command line, double-clicked in a
 * file manager, or handed to the studio already running (a second launch passes them on and
 * exits). The shell says which file is a score and which a bundle; a score opens like File >
 * Open (asking first about unsaved changes), a bundle is unpacked into a folder the person picks
 * and its score opens the same way. Opens run one after another, so a second file arriving while
 * the first still asks a question waits for the answer instead of racing it.
 */
import type { FileToOpen } from "../bindings/FileToOpen";
import { errorMessage, ipc } from "../ipc";
import { openBundleFile } from "../share/actions";
import { fileName, openPath } from "./files";
import { notify } from "./notices";

let queue: Promise<unknown> = Promise.resolve();

/**
 * Opens the first of `files` (one document at a time, as for a drop) and says which were left
 * out. `ask: false` skips the unsaved-changes question, for the file the studio starts with.
 */
export function openFiles(files: FileToOpen[], options: { ask?: boolean } = {}): Promise<void> {
  const opened = queue.then(() => openFirst(files, options));
  queue = opened.catch(() => undefined);
  return opened;
}

async function openFirst(files: FileToOpen[], options: { ask?: boolean }): Promise<void> {
  const [first, ...rest] = files;
  if (!first) return;
  if (rest.length > 0) {
    notify(`Opening ${fileName(first.path)} only; not opened: ${rest.map((f) => fileName(f.path)).join(", ")}. Open one score or bundle at a time.`);
  }
  if (first.kind === "bundle") await openBundleFile(first.path);
  else await openPath(first.path, options);
}

/** Listens for files the operating system hands to the running studio, for as long as it runs. */
export function watchOpenedFiles(): void {
  ipc.watchOpenedFiles((files) => void openFiles(files)).catch((error) => {
    notify(`Files opened from outside the studio will not reach this window: ${errorMessage(error)}`, "error");
  });
}
