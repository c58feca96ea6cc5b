/**
 * The semantic-zoom level (detail.ts) as attributes of the canvas's element, where the
 * stylesheet (detail.css) reads it: `data-detail` is "full", "named" (full detail with names
 * drawn larger) or "compact", with `--detail-zoom` (the zoom names are sized for) and
 * `--name-lines` (the lines of name a compact player has room for; `--name-lines-tagged` when one
 * of them says the player is off the score). It selects the level, not
 * the zoom, so the canvas renders again only when the level changes (a few times in a whole zoom
 * gesture), and the nodes never do for it.
 */
import { useStore } from "@xyflow/react";
import { useMemo, type CSSProperties } from "react";
import { detailLevel, detailOf } from "./detail";
import "./detail.css";

type DetailAttributes = { "data-detail": "full" | "named" | "compact"; style?: CSSProperties };

export function useZoomDetail(): DetailAttributes {
  const level = useStore((s) => detailLevel(s.transform[2]));
  return useMemo(() => {
    const detail = detailOf(level);
    if (detail.zoom === undefined) return { "data-detail": "full" };
    const vars: Record<string, string> = { "--detail-zoom": String(detail.zoom) };
    if (detail.lines !== undefined) {
      vars["--name-lines"] = String(detail.lines);
      // A player off the score gives a line to saying so.
      vars["--name-lines-tagged"] = String(Math.max(1, detail.lines - 1));
    }
    return { "data-detail": detail.compact ? "compact" : "named", style: vars as CSSProperties };
  }, [level]);
}
