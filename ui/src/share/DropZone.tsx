/**
 * Files dropped onto the window. Tauri delivers a drop of files from the desktop as webview
 * events (enter, over, drop, leave) carrying the files' paths; while something is dragged over
 * the window an overlay says what dropping does, and a drop opens it (see drop.ts).
 */
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { FileDown } from "lucide-react";
import { useEffect, useState } from "react";
import { openDropped } from "./drop";

export function DropZone() {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let stopped = false;
    let unlisten: (() => void) | undefined;
    getCurrentWebview()
      .onDragDropEvent((event) => {
        const drag = event.payload;
        if (drag.type === "enter" || drag.type === "over") setOver(true);
        else if (drag.type === "leave") setOver(false);
        else {
          setOver(false);
          void openDropped(drag.paths);
        }
      })
      .then((stop) => (stopped ? stop() : (unlisten = stop)))
      .catch(() => undefined);
    return () => {
      stopped = true;
      unlisten?.();
    };
  }, []);
  if (!over) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" role="status">
      <div className="drop-card">
        <FileDown size={28} aria-hidden />
        <strong>Drop to open</strong>
        <span>a score (.score.toml); a bundle (.score.zip) to unpack, or a CrewAI project or LangGraph graph to import, into a folder you pick</span>
      </div>
    </div>
  );
}
