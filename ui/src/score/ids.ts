/** Ids are what cues and sections refer to, so new ones must never collide with existing ones. */

/** `base` made into an id (lowercase, dashes) that is not in `taken`: `coder`, `coder-2`, ... */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const stem =
    base
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "player";
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
