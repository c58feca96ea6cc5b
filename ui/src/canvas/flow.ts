/**
 * The canvas as a view of the score: nodes and edges computed from the document, the
 * selection, live performance state and validation problems. Node and edge objects are cached
 * and reused while their inputs are the same objects, so an edit to one player rebuilds one
 * node, and React Flow and the memoised node components skip the other 499.
 */
import type { Edge, Node } from "@xyflow/react";
import type { Cue } from "../bindings/Cue";
import type { Player } from "../bindings/Player";
import type { Problem } from "../bindings/Problem";
import type { Score } from "../bindings/Score";
import type { Section } from "../bindings/Section";
import type { Zone } from "../bindings/Zone";
import type { Live } from "../app/performance";
import { GEOMETRY } from "../bindings/canvasGeometry";
import { cueDescription, cueLabel, cueShortLabel } from "../score/cues";
import { cueKeys, playerNodeId, sectionNodeId, type CueKey } from "../score/keys";
import { ASIDE_HANDLE, oneColumn } from "./cuePath";
import { crowdLevels } from "./labelRoom";
import type { Selection } from "../score/selection";

export type PlayerNodeData = {
  player: Player;
  zone: Zone | undefined;
  problems: Problem[] | undefined;
  live: Live | undefined;
};
export type SectionNodeData = { section: Section; problems: Problem[] | undefined };
export type CueEdgeData = {
  cue: Cue;
  key: CueKey;
  label: string;
  /** The label for a zoomed-out canvas (cueShortLabel). */
  short: string;
  description: string;
  problems: Problem[] | undefined;
  live: boolean;
  /** A loop cue's count against its repeat limit while it cycles, e.g. "2/3". */
  loop?: string;
  /** The highest compact level at which the short label would cover a player (labelRoom.ts). */
  crowd?: number;
};

export type PlayerNode = Node<PlayerNodeData, "player">;
export type SectionNode = Node<SectionNodeData, "section">;
export type StudioNode = PlayerNode | SectionNode;
export type CueEdge = Edge<CueEdgeData, "cue">;

/** Sizes React Flow measured, by player id. */
export type Measured = Map<string, { width: number; height: number }>;

type Inputs = readonly unknown[];
type Cache<T> = Map<string, { inputs: Inputs; value: T }>;

function same(a: Inputs, b: Inputs): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function cached<T>(cache: Cache<T>, next: Cache<T>, key: string, inputs: Inputs, make: () => T): T {
  const hit = cache.get(key);
  const value = hit && same(hit.inputs, inputs) ? hit.value : make();
  next.set(key, { inputs, value });
  return value;
}

export type FlowView = {
  nodes: (score: Score, selection: Selection, byPlayer: Map<string, Problem[]>, bySection: Map<string, Problem[]>, live: Record<string, Live>, measured: Measured) => StudioNode[];
  edges: (score: Score, selection: Selection, byCue: Map<CueKey, Problem[]>, live: Record<string, Live>, fired?: Record<string, number>) => CueEdge[];
};

/** A view with its own caches; one per canvas. */
export function createFlowView(): FlowView {
  let nodeCache: Cache<StudioNode> = new Map();
  let edgeCache: Cache<CueEdge> = new Map();
  // The cues' short labels, which of them come back in beside a column, and where labels have
  // room depend on the players' places and the cues only: worked out again when either changes,
  // not for every change of live state.
  let layout:
    | { players: Score["players"]; cues: Score["cues"]; shorts: string[]; aside: boolean[]; crowd: (number | undefined)[] }
    | undefined;
  return {
    nodes(score, selection, byPlayer, bySection, live, measured) {
      const next: Cache<StudioNode> = new Map();
      const selectedPlayers = new Set(selection.players);
      const selectedSections = new Set(selection.sections);
      const zones = new Map(score.sections.map((s) => [s.id, s.zone]));
      const nodes: StudioNode[] = [];
      // Sections first: frames draw beneath the players sitting in them.
      for (const section of score.sections) {
        const id = sectionNodeId(section.id);
        const selected = selectedSections.has(section.id);
        const problems = bySection.get(section.id);
        nodes.push(
          cached(nodeCache, next, id, [section, selected, problems], () => ({
            id,
            type: "section",
            position: section.position,
            width: section.size.width,
            height: section.size.height,
            measured: { width: section.size.width, height: section.size.height },
            zIndex: 0,
            selected,
            data: { section, problems },
          })),
        );
      }
      for (const player of score.players) {
        const id = playerNodeId(player.id);
        const selected = selectedPlayers.has(player.id);
        const problems = byPlayer.get(player.id);
        const state = live[player.id];
        const zone = player.zone ?? (player.section ? zones.get(player.section) : undefined);
        const size = measured.get(player.id);
        // The node itself reads its tokens and preview (see streamed.ts): only a change of state
        // makes a new node, so a fast stream does not churn the canvas.
        const shape = state ? `${state.state} ${state.chorus} ${state.edited ?? false} ${state.detail ?? ""}` : undefined;
        nodes.push(
          cached(nodeCache, next, id, [player, selected, problems, shape, zone, size], () => ({
            id,
            type: "player",
            position: player.position,
            width: GEOMETRY.player_width,
            height: GEOMETRY.player_height,
            ...(size ? { measured: size } : {}),
            zIndex: 1,
            selected,
            data: { player, zone, problems, live: state },
          })),
        );
      }
      nodeCache = next;
      return nodes;
    },
    edges(score, selection, byCue, live, fired = {}) {
      const next: Cache<CueEdge> = new Map();
      const selected = new Set(selection.cues);
      const keys = cueKeys(score.cues);
      if (layout?.players !== score.players || layout.cues !== score.cues) {
        const shorts = score.cues.map(cueShortLabel);
        const at = new Map(score.players.map((p) => [p.id, p.position]));
        // Within one column a cue comes back into its target's right side (cuePath.ts).
        const aside = score.cues.map(({ from, to }) => {
          const [a, b] = [at.get(from), at.get(to)];
          return a !== undefined && b !== undefined && oneColumn(a, b);
        });
        layout = { players: score.players, cues: score.cues, shorts, aside, crowd: crowdLevels(score.players, score.cues, shorts) };
      }
      const { shorts, aside, crowd } = layout;
      const edges = score.cues.map((cue, i) => {
        const key = keys[i];
        const isSelected = selected.has(key);
        const problems = byCue.get(key);
        const active = live[cue.from]?.state === "finished" && live[cue.to] !== undefined && live[cue.to].state !== "waiting";
        const count = cue.max_repeats !== undefined ? fired[key] : undefined;
        const loop = count ? `${count}/${cue.max_repeats}` : undefined;
        return cached(edgeCache, next, key, [cue, isSelected, problems, active, loop, crowd[i], aside[i]], () => ({
          id: key,
          type: "cue" as const,
          source: playerNodeId(cue.from),
          target: playerNodeId(cue.to),
          ...(aside[i] ? { targetHandle: ASIDE_HANDLE } : {}),
          selected: isSelected,
          zIndex: 2,
          data: { cue, key, label: cueLabel(cue), short: shorts[i], description: cueDescription(cue), problems, live: active, loop, crowd: crowd[i] },
        }));
      });
      edgeCache = next;
      return edges;
    },
  };
}
