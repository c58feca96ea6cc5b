/**
 * The palette: player templates and section zones, dragged onto the canvas (HTML5 drag and
 * drop) or added at the centre of the view with Enter, for people who do not use a mouse.
 */
import { useReactFlow } from "@xyflow/react";
import type { DragEvent } from "react";
import { DRAG_TYPE, dropPaletteItem } from "../canvas/Canvas";
import { PLAYER_TEMPLATES } from "../score/templates";
import { ZONE_INFO, ZONES } from "../score/zones";

export function Palette() {
  const flow = useReactFlow();
  const start = (payload: string) => (event: DragEvent) => {
    event.dataTransfer.setData(DRAG_TYPE, payload);
    event.dataTransfer.effectAllowed = "copy";
  };
  const addAtCentre = (payload: string) => {
    const canvas = document.querySelector(".canvas")?.getBoundingClientRect();
    const centre = canvas
      ? flow.screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 })
      : { x: 0, y: 0 };
    dropPaletteItem(payload, centre);
  };
  const item = (payload: string, title: string, hint: string, colour?: string) => (
    <li
      key={payload}
      className="palette-item"
      draggable
      tabIndex={0}
      role="button"
      aria-label={`Add ${title}`}
      title={`Drag onto the canvas, or press Enter to add ${title}`}
      data-testid={`palette-${payload.replace(":", "-")}`}
      onDragStart={start(payload)}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          addAtCentre(payload);
        }
      }}
      onDoubleClick={() => addAtCentre(payload)}
      style={colour ? { borderLeftColor: colour } : undefined}
    >
      <span className="palette-title">{title}</span>
      <span className="palette-hint">{hint}</span>
    </li>
  );
  return (
    <nav className="palette" aria-label="Palette">
      <h3>Players</h3>
      <ul>{PLAYER_TEMPLATES.filter((t) => !t.id.startsWith("kind-")).map((t) => item(`player:${t.id}`, t.title, t.hint, t.zone ? ZONE_INFO[t.zone].colour : undefined))}</ul>
      <h3>Instruments</h3>
      <ul>{PLAYER_TEMPLATES.filter((t) => t.id.startsWith("kind-")).map((t) => item(`player:${t.id}`, t.title, t.hint))}</ul>
      <h3>Sections</h3>
      <ul>{ZONES.map((z) => item(`section:${z}`, ZONE_INFO[z].title, ZONE_INFO[z].role, ZONE_INFO[z].colour))}</ul>
    </nav>
  );
}
