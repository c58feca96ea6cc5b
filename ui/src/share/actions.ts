/**
 * Sharing the open score: export it to a file, copy its picture, open a bundle someone sent.
 * Every export runs the check first and goes ahead only when it found nothing or the person
 * said "Export anyway"; every outcome, done or not, is told through a notice.
 */
import { isDirty } from "../app/document";
import { fileName, openPath } from "../app/files";
import { notify } from "../app/notices";
import { documentStore } from "../app/studio";
import { errorMessage, ipc, type ExportFormat } from "../ipc";
import { checkBeforeSharing } from "./check";
import { bundleFolder, exportDestination, pickBundle } from "./destination";
import { shareFormat } from "./formats";

/** Writes the open score as `format` to a file the person picks. */
export async function exportAs(format: ExportFormat): Promise<void> {
  const state = documentStore.getState();
  const { score, path } = state;
  if (!score) return;
  const { noun } = shareFormat(format);
  // A bundle is made from the saved file and the files beside it, not from unsaved edits.
  if (format === "zip" && (!path || isDirty(state))) {
    notify(`Save the score first (Ctrl+S): ${noun} holds the saved file and its attached files.`, "error");
    return;
  }
  try {
    const checked = await checkBeforeSharing(score, path, noun);
    if (!checked) {
      notify(`Nothing exported: ${noun} was not written.`);
      return;
    }
    const target = await exportDestination(score, path, format);
    if (!target) return;
    await ipc.exportScore(score, path, format, target, checked.allow);
    notify(`Exported ${noun} to ${fileName(target)}`);
  } catch (error) {
    notify(`Could not export ${noun}: ${errorMessage(error)}`, "error");
  }
}

/** "Copy as image": the picture at 2x on the system clipboard. */
export async function copyAsImage(): Promise<void> {
  const { score, path } = documentStore.getState();
  if (!score) return;
  try {
    const checked = await checkBeforeSharing(score, path, "the picture");
    if (!checked) {
      notify("Nothing copied.");
      return;
    }
    await ipc.copyPicture(score, path, checked.allow);
    notify("Copied the picture to the clipboard");
  } catch (error) {
    notify(`Could not copy the picture: ${errorMessage(error)}`, "error");
  }
}

/**
 * Unpacks `bundle` into a folder the person picks and opens its score through the usual open
 * flow, which asks before programs of a score from elsewhere may run. A refused bundle writes
 * nothing (the shell checks every entry first).
 */
export async function openBundleFile(bundle: string): Promise<void> {
  try {
    const into = await bundleFolder();
    if (!into) {
      notify(`${fileName(bundle)} was not opened: no folder was chosen for it.`);
      return;
    }
    const opened = await ipc.openBundle(bundle, into);
    notify(`Unpacked ${opened.files.length} file${opened.files.length === 1 ? "" : "s"} from ${fileName(bundle)} into ${into}`);
    await openPath(opened.score);
  } catch (error) {
    notify(`Could not open ${fileName(bundle)}: ${errorMessage(error)}`, "error");
  }
}

/** "Open bundle…": picks a bundle, then the folder to open it into. */
export async function openBundleDialog(): Promise<void> {
  try {
    const bundle = await pickBundle();
    if (bundle) await openBundleFile(bundle);
  } catch (error) {
    notify(`The open dialog failed: ${errorMessage(error)}`, "error");
  }
}
