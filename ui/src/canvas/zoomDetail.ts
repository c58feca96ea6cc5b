/**
 * Keeps the semantic-zoom level (detail.ts) on the canvas's element, where the stylesheets read
 * it: `data-detail` is "full", "named" (full detail with names drawn larger) or "compact"
 * (detail.css), and `data-level` picks the level's sizes (`levelRules`, added to the document
 * once). It follows React Flow's zoom outside React and writes only when the level changes (a
 * few times in a whole zoom gesture): neither the canvas nor its nodes render again for a zoom.
 */
import { useStoreApi } from "@xyflow/react";
import { useLayoutEffect, type RefObject } from "react";
import { detailLevel, detailOf, levelRules } from "./detail";
import "./detail.css";

/** `element` is the canvas's; `present` says whether it is rendered (a score is open). */
export function useZoomDetail(element: RefObject<HTMLElement | null>, present: boolean): void {
  const store = useStoreApi();
  useLayoutEffect(() => {
    const target = element.current;
    if (!present || !target) return;
    addLevelRules(target.ownerDocument);
    let shown: number | undefined;
    const follow = (zoom: number) => {
      const level = detailLevel(zoom);
      if (level === shown) return;
      shown = level;
      const detail = detailOf(level);
      target.dataset.detail = detail.zoom === undefined ? "full" : detail.compact ? "compact" : "named";
      target.dataset.level = String(level);
    };
    follow(store.getState().transform[2]);
    return store.subscribe((state) => follow(state.transform[2]));
  }, [store, element, present]);
}

const RULES_ID = "canvas-detail-levels";

function addLevelRules(document: Document): void {
  if (document.getElementById(RULES_ID)) return;
  const style = document.createElement("style");
  style.id = RULES_ID;
  style.textContent = levelRules();
  document.head.append(style);
}
