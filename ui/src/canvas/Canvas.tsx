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
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { Map as MapIcon } from "lucide-react";
import { useStore } from "zustand";
import { GEOMETRY } from "../bindings/canvasGeometry";
import type { Position } from "../bindings/Position";
import type { Size } from "../bindings/Size";
import type { Zone } from "../bindings/Zone";
import { performance } from "../app/performance";
import { replay } from "../app/replay";
import { scrub } from "../app/scrub";
import { settings, updateSettings } from "../app/settings";
import { actions, documentStore, useDocument } from "../app/studio";
import { validation } from "../app/validation";
import { LiveContext, liveShape, pacedLive } from "./streamed";
import type { Moved } from "../app/document";
import { cueOf, nodeTarget, playerNodeId, sectionNodeId, type CueKey } from "../score/keys";
import type { Selection } from "../score/selection";
import { CueEdge } from "./CueEdge";
import { createFlowView, type CueEdge as CueEdgeType, type Measured, type StudioNode } from "./flow";
import { PlayerNode } from "./PlayerNode";
import { SectionNode } from "./SectionNode";
import { fitAll, fitRequests, MAX_ZOOM, showFirstView } from "./viewport";
import { useZoomDetail } from "./zoomDetail";

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
  // A moment picked on the live timeline, until the person goes back to the live edge.
  const scrubbed = useStore(scrub, (s) => s.state?.live);
  const live = replayed ?? scrubbed ?? performed;
  const firedLive = useStore(performance, (s) => s.fired);
  const firedReplayed = useStore(replay, (r) => r.current?.state.fired);
  const firedScrubbed = useStore(scrub, (s) => s.state?.fired);
  const fired = firedReplayed ?? firedScrubbed ?? firedLive;
  const flow = useReactFlow<StudioNode, CueEdgeType>();
  const view = useMemo(createFlowView, []);
  const measured = useRef<Measured>(new Map());
  const [measureTick, setMeasureTick] = useState(0);
  const gesture = useRef<string>("");

  // Nodes and edges follow the players' states, not their streams (the nodes read those from
  // LiveContext): a batch of tokens leaves React Flow's inputs as they were.
  const shape = useMemo(() => liveShape(live), [live]);
  // The nodes read each player's state from here, streamed progress spread over frames.
  const paced = useMemo(() => pacedLive(), []);
  useLayoutEffect(() => paced.show(live), [paced, live]);
  const nodes = useMemo(
    () => (score ? view.nodes(score, selection, byPlayer, bySection, live, measured.current) : []),
    // measureTick: measurements live in a ref; the tick says they changed. shape: see above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [score, selection, byPlayer, bySection, shape, view, measureTick],
  );
  const edges = useMemo(
    () => (score ? view.edges(score, selection, byCue, live, fired) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [score, selection, byCue, shape, fired, view],
  );

  const onNodesChange = useCallback((changes: NodeChange<StudioNode>[]) => {
    const moved: Moved = { players: new Map(), sections: new Map() };
    let dragEnded = false;
    /** A section being resized, by id. */
    type Resize = { id: string; size?: Size; position?: Position; done: boolean };
    let resize = null as Resize | null;
    let selection: Selection | null = null;
    let measuredChanged = false;
    for (const change of changes) {
      if (change.type === "add" || change.type === "replace") continue;
      const target = nodeTarget(change.id);
      if (!target) continue;
      switch (change.type) {
        case "position": {
          if (!change.position) break;
          if (target.kind === "section" && change.dragging === undefined) {
            // A frame resized from its top or left edge also moves.
            resize = { ...(resize ?? { id: target.id, done: false }), position: change.position };
          } else {
            (target.kind === "section" ? moved.sections : moved.players).set(target.id, change.position);
            if (change.dragging === false) dragEnded = true;
          }
          break;
        }
        case "dimensions": {
          if (target.kind === "section") {
            if (change.resizing !== undefined) {
              const before: Resize = resize ?? { id: target.id, done: false };
              resize = { ...before, size: change.dimensions ?? before.size, done: change.resizing === false };
            }
          } else if (change.dimensions) {
            const old = measured.current.get(target.id);
            if (!old || old.width !== change.dimensions.width || old.height !== change.dimensions.height) {
              measured.current.set(target.id, change.dimensions);
              measuredChanged = true;
            }
          }
          break;
        }
        case "select": {
          selection ??= { ...documentStore.getState().selection };
          const list = target.kind === "section" ? "sections" : "players";
          const without: string[] = selection[list].filter((x) => x !== target.id);
          selection = { ...selection, [list]: change.selected ? [...without, target.id] : without };
          break;
        }
        default:
          break;
      }
    }
    if (moved.players.size + moved.sections.size > 0) {
      if (!gesture.current) gesture.current = `drag-${++gestures}`;
      actions.move(moved, gesture.current, dragEnded);
      if (dragEnded) gesture.current = "";
    }
    if (resize) {
      const section = documentStore.getState().score?.sections.find((s) => s.id === resize.id);
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
      // Edge ids are cue keys (see flow.ts).
      const key = change.id as CueKey;
      const without: CueKey[] = selection.cues.filter((k) => k !== key);
      selection = { ...selection, cues: change.selected ? [...without, key] : without };
    }
    if (selection) actions.select(selection);
  }, []);

  const onConnect = useCallback((connection: Connection) => {
    const from = nodeTarget(connection.source);
    const to = nodeTarget(connection.target);
    if (from?.kind === "player" && to?.kind === "player") actions.connect(from.id, to.id);
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
    const cueEnds = selection.cues.flatMap((key) => {
      const { from, to } = cueOf(key);
      return [from, to];
    });
    const ids = [
      ...[...selection.players, ...cueEnds].map(playerNodeId),
      ...selection.sections.map(sectionNodeId),
    ];
    const targets = ids.map((id) => ({ id }));
    if (targets.length > 0) void flow.fitView({ nodes: targets, duration: 300, maxZoom: MAX_ZOOM, padding: 0.4 });
    else fitAll(flow);
  }, [focusTick, flow]);

  // Below the readable zoom players are drawn compactly, names kept readable (detail.ts).
  useZoomDetail(container, Boolean(score));

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
  const empty = score.players.length === 0 && score.sections.length === 0;
  return (
    <div className="canvas" ref={container} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <LiveContext.Provider value={paced}>
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
      </LiveContext.Provider>
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
    const corner = { x: Math.round(at.x - GEOMETRY.player_width / 2), y: Math.round(at.y - GEOMETRY.player_height / 2) };
    actions.addPlayer(what, corner, settings.getState().defaults);
  } else if (kind === "section") {
    const corner = { x: Math.round(at.x - GEOMETRY.default_section_width / 2), y: Math.round(at.y - GEOMETRY.default_section_height / 2) };
    actions.addSection(what as Zone, corner);
  }
}
