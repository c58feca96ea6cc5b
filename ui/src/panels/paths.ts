/**
 * Scores keep paths relative (to the score file, or to the workspace) so a score is safe to
 * share: no machine paths. Dialogs hand back absolute paths; these turn them into relative ones.
 */

function parts(path: string): string[] {
  return path.replace(/\\/g, "/").split("/").filter((p) => p !== "" && p !== ".");
}

export function dirname(path: string): string {
  const normal = path.replace(/\\/g, "/");
  const i = normal.lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : normal.slice(0, i);
}

/** `target` relative to the folder `base`, or null when it is not inside it. */
export function relativeInside(base: string, target: string): string | null {
  const b = parts(base);
  const t = parts(target);
  if (t.length < b.length || b.some((p, i) => p !== t[i])) return null;
  const rest = t.slice(b.length).join("/");
  return rest === "" ? "." : rest;
}

/** Joins a folder and a relative path, resolving `..`. */
export function join(base: string, relative: string): string {
  const out = parts(base);
  for (const p of parts(relative)) {
    if (p === "..") out.pop();
    else out.push(p);
  }
  return (base.startsWith("/") ? "/" : "") + out.join("/");
}
