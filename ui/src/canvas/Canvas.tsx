/**
 * The orchestration canvas. It renders the view computed in flow.ts and turns React Flow's
 * change events back into document edits: drags and resizes become one undo step each, a drop
 * from the palette adds a player or section, a handle drag draws a cue.
 */
import {
  Background,
  ControlButton,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type NodeTypes,
  type EdgeTypes,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { Map as MapIcon } from "lucide-react";
import { useStore } from "zustand";
import type { Position } from "../bindings/Position";
import type { Size } from "../bindings/Size";
import type { Zone } from "../bindings/Zone";
import { performance } from "../app/performance";
import { replay } from "../app/replay";
import { settings, updateSettings } from "../app/settings";
import { actions, documentStore, useDocument } from "../app/studio";
import { validation } from "../app/validation";
import { PLAYER_HEIGHT, PLAYER_WIDTH } from "../score/geometry";
import type { Selection } from "../score/selection";
import { CueEdge } from "./CueEdge";
import { createFlowView, SECTION_PREFIX, type CueEdge as CueEdgeType, type Measured, type StudioNode } from "./flow";
import { PlayerNode } from "./PlayerNode";
import { SectionNode } from "./SectionNode";
import { fitAll, fitRequests, MAX_ZOOM, showFirstView } from "./viewport";

/** The drag-and-drop payload type the palette sets: `player:<template>` or `section:<zone>`. */
export const DRAG_TYPE = "application/x-ensemble-palette";

const nodeTypes: NodeTypes = { player: PlayerNode, section: SectionNode };
const edgeTypes: EdgeTypes = { cue: CueEdge };
const defaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } };

let gestures = 0;

export function Canvas() {
  const score = useDocument((s) => s.score);
  const selection = useDocument((s) => s.selection);
  const focusTick = useDocument((s) => s.focusTick);
  const docKey = useDocument((s) => s.key);
  const fitTick = useStore(fitRequests, (s) => s.tick);
  const minimap = useStore(settings, (s) => s.minimap);
  const nodesReady = useNodesInitialized();
  const container = useRef<HTMLDivElement>(null);
  const viewed = useRef<string | null>(null);
  const { byPlayer, byCue, bySection } = useStore(validation);
  // A replay, while one is open, shows its moment instead of the live performance.
  const performed = useStore(performance, (s) => s.live);
  const replayed = useStore(replay, (r) => r.current?.state.live);
  const live = replayed ?? performed;
  const flow = useReactFlow<StudioNode, CueEdgeType>();
  const view = useMemo(createFlowView, []);
  const measured = useRef<Measured>(new Map());
  const [measureTick, setMeasureTick] = useState(0);
  const gesture = useRef<string>("");

  const nodes = useMemo(
    () => (score ? view.nodes(score, selection, byPlayer, bySection, live, measured.current) : []),
    // measureTick: measurements live in a ref; the tick says they changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [score, selection, byPlayer, bySection, live, view, measureTick],
  );
  const edges = useMemo(
    () => (score ? view.edges(score, selection, byCue, live) : []),
    [score, selection, byCue, live, view],
  );

  const onNodesChange = useCallback((changes: NodeChange<StudioNode>[]) => {
    const positions = new Map<string, Position>();
    let dragEnded = false;
    type Resize = { id: string; size?: Size; position?: Position; done: boolean };
    let resize = null as Resize | null;
    let selection: Selection | null = null;
    let measuredChanged = false;
    for (const change of changes) {
      switch (change.type) {
        case "position": {
          if (!change.position) break;
          if (change.id.startsWith(SECTION_PREFIX) && change.dragging === undefined) {
            // A frame resized from its top or left edge also moves.
            resize = { ...(resize ?? { id: change.id, done: false }), position: change.position };
          } else {
            positions.set(change.id, change.position);
            if (change.dragging === false) dragEnded = true;
          }
          break;
        }
        case "dimensions": {
          if (change.id.startsWith(SECTION_PREFIX)) {
            if (change.resizing !== undefined) {
              const before: Resize = resize ?? { id: change.id, done: false };
              resize = { ...before, size: change.dimensions ?? before.size, done: change.resizing === false };
            }
          } else if (change.dimensions) {
            const old = measured.current.get(change.id);
            if (!old || old.width !== change.dimensions.width || old.height !== change.dimensions.height) {
              measured.current.set(change.id, change.dimensions);
              measuredChanged = true;
            }
          }
          break;
        }
        case "select": {
          selection ??= { ...documentStore.getState().selection };
          const isSection = change.id.startsWith(SECTION_PREFIX);
          const id = isSection ? change.id.slice(SECTION_PREFIX.length) : change.id;
          const list = isSection ? "sections" : "players";
          const without: string[] = selection[list].filter((x) => x !== id);
          selection = { ...selection, [list]: change.selected ? [...without, id] : without };
          break;
        }
        default:
          break;
      }
    }
    if (positions.size > 0) {
      if (!gesture.current) gesture.current = `drag-${++gestures}`;
      actions.move(positions, gesture.current, dragEnded);
      if (dragEnded) gesture.current = "";
    }
    if (resize) {
      const section = documentStore.getState().score?.sections?.find((s) => SECTION_PREFIX + s.id === resize.id);
      if (section) {
        if (!gesture.current) gesture.current = `resize-${++gestures}`;
        actions.resizeSection(section.id, resize.size ?? section.size, resize.position, gesture.current, resize.done);
        if (resize.done) gesture.current = "";
      }
    }
    if (selection) actions.select(selection);
    if (measuredChanged) setMeasureTick((t) => t + 1);
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<CueEdgeType>[]) => {
    let selection: Selection | null = null;
    for (const change of changes) {
      if (change.type !== "select") continue;
      selection ??= { ...documentStore.getState().selection };
      const without: string[] = selection.cues.filter((k) => k !== change.id);
      selection = { ...selection, cues: change.selected ? [...without, change.id] : without };
    }
    if (selection) actions.select(selection);
  }, []);

  const onConnect = useCallback((connection: Connection) => {
    if (connection.source && connection.target) actions.connect(connection.source, connection.target);
  }, []);

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(DRAG_TYPE)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const payload = event.dataTransfer.getData(DRAG_TYPE);
      if (!payload) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      dropPaletteItem(payload, at);
    },
    [flow],
  );

  // Centre on the selection when asked (a clicked problem, F with a selection).
  useEffect(() => {
    if (focusTick === 0) return;
    const { selection } = documentStore.getState();
    const ids = [...selection.players, ...selection.sections.map((s) => SECTION_PREFIX + s)];
    const cueEnds = selection.cues.flatMap((key) => key.split("#")[0].split("->"));
    const targets = [...ids, ...cueEnds].map((id) => ({ id }));
    if (targets.length > 0) void flow.fitView({ nodes: targets, duration: 300, maxZoom: MAX_ZOOM, padding: 0.4 });
    else fitAll(flow);
  }, [focusTick, flow]);

  // A newly opened score gets its first view once React Flow has measured its nodes.
  useEffect(() => {
    if (!nodesReady || viewed.current === docKey || !container.current) return;
    viewed.current = docKey;
    const { width, height } = container.current.getBoundingClientRect();
    showFirstView(flow, width, height);
  }, [nodesReady, docKey, flow]);

  // Asked for after an edit that moves everything (tidy): runs after the render that holds it.
  useEffect(() => {
    if (fitTick > 0) fitAll(flow, 0);
  }, [fitTick, flow]);

  if (!score) return null;
  const empty = (score.players ?? []).length === 0 && (score.sections ?? []).length === 0;
  return (
    <div className="canvas" ref={container} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<StudioNode, CueEdgeType>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onPaneClick={() => actions.select({ players: [], sections: [], cues: [] })}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control"]}
        elevateNodesOnSelect={false}
        elevateEdgesOnSelect={false}
        onlyRenderVisibleElements
        minZoom={0.05}
        maxZoom={2.5}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        {minimap && (
          <MiniMap pannable zoomable nodeColor={miniMapColour} style={{ width: 150, height: 96 }} ariaLabel="Overview of the score" />
        )}
        <Controls showInteractive={false} fitViewOptions={{ padding: "32px", maxZoom: MAX_ZOOM, duration: 300 }}>
          <ControlButton
            onClick={() => updateSettings({ minimap: !minimap })}
            title={minimap ? "Hide the overview map" : "Show the overview map"}
            aria-label={minimap ? "Hide the overview map" : "Show the overview map"}
            aria-pressed={minimap}
            data-testid="toggle-minimap"
          >
            <MapIcon size={14} />
          </ControlButton>
        </Controls>
      </ReactFlow>
      {empty && (
        <div className="empty-canvas">
          <h2>An empty stage</h2>
          <p>
            Drag a player or a section from the palette on the left, or press <kbd>Enter</kbd> on one. Draw a cue by
            dragging from a player's right handle to another player.
          </p>
        </div>
      )}
    </div>
  );
}

function miniMapColour(node: StudioNode): string {
  if (node.type === "section") return "transparent";
  const zone = node.data.zone;
  return zone ? `var(--zone-${zone})` : "var(--muted)";
}

/** Adds what the palette item names, centred on `at` (flow coordinates). */
export function dropPaletteItem(payload: string, at: Position): void {
  const [kind, what] = payload.split(":");
  if (kind === "player") {
    actions.addPlayer(what, { x: Math.round(at.x - PLAYER_WIDTH / 2), y: Math.round(at.y - PLAYER_HEIGHT / 2) }, settings.getState().defaults);
  } else if (kind === "section") {
    actions.addSection(what as Zone, { x: Math.round(at.x - 180), y: Math.round(at.y - 120) });
  }
}
