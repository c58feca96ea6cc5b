/**
 * Files dropped onto the window. A `.score.toml` opens as if chosen in the open dialog; a
 * `.score.zip` opens into a folder the person picks; a CrewAI project (its folder, agents.yaml or
 * tasks.yaml) or a LangGraph graph (.json) is imported into a folder the person picks. Anything
 * else is refused with a message and nothing is opened or written. One file at a time: the
 * first usable one is opened and the person is told when others were left out.
 */
import { fileName, openPath } from "../app/files";
import { notify } from "../app/notices";
import { openBundleFile } from "./actions";
import { importProjectFile } from "./imports";

export type Dropped = { kind: "score" | "bundle" | "project"; path: string };

/**
 * What a dropped path is, by its name. A name without a dot is taken for a folder (a CrewAI
 * project); the shell says so clearly when it is not one.
 */
export function droppedKind(path: string): Dropped["kind"] | null {
  const name = fileName(path.replace(/[\\/]+$/, "")).toLowerCase();
  if (name.endsWith(".score.toml")) return "score";
  if (name.endsWith(".score.zip")) return "bundle";
  if (/^(agents|tasks)\.ya?ml$/.test(name) || name.endsWith(".json") || (name !== "" && !name.includes("."))) return "project";
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
    notify(
      `Not opened: ${names}. Drop a score (.score.toml), a bundle (.score.zip), a CrewAI project (agents.yaml, tasks.yaml or its folder) or a LangGraph graph (.json).`,
      "error",
    );
    return;
  }
  if (paths.length > 1) notify(`Opening ${fileName(first.path)} only: drop one score or bundle at a time.`);
  if (first.kind === "score") await openPath(first.path);
  else if (first.kind === "bundle") await openBundleFile(first.path);
  else await importProjectFile(first.path);
}
