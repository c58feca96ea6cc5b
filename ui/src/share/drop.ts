/**
 * Files dropped onto the window. A `.score.toml` opens as if chosen in the open dialog; a
 * `.score.zip` opens into a folder the person picks. Anything else is refused with a message
 * and nothing is opened or written. One file at a time: the first score or bundle is opened
 * and the person is told when others were left out.
 */
import { fileName, openPath } from "../app/files";
import { notify } from "../app/notices";
import { openBundleFile } from "./actions";

export type Dropped = { kind: "score" | "bundle"; path: string };

/** What a dropped path is, by its name. */
export function droppedKind(path: string): Dropped["kind"] | null {
  const name = fileName(path).toLowerCase();
  if (name.endsWith(".score.toml")) return "score";
  if (name.endsWith(".score.zip")) return "bundle";
  return null;
}

/** Opens what was dropped (see the module comment). */
export async function openDropped(paths: string[]): Promise<void> {
  const usable = paths.flatMap((path) => {
    const kind = droppedKind(path);
    return kind ? [{ kind, path }] : [];
  });
  const first = usable[0];
  if (!first) {
    const names = paths.map(fileName).join(", ") || "nothing";
    notify(`Not opened: ${names}. Drop a score (.score.toml) or a bundle (.score.zip).`, "error");
    return;
  }
  if (paths.length > 1) notify(`Opening ${fileName(first.path)} only: drop one score or bundle at a time.`);
  if (first.kind === "score") await openPath(first.path);
  else await openBundleFile(first.path);
}
