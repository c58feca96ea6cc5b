/**
 * Tidy layout: players flow left to right in cue order, each section's players kept together
 * (dagre's compound graphs), and every section frame refitted around its players so that
 * membership drawn on the canvas still matches the score. Loop cues are left out of the ranking,
 * so a review loop draws as a step forward and a loop edge back, not as a knot.
 *
 * Each player is laid out as a box that already holds its share of a frame (the padding around
 * it and a header above it). A frame is the union of its members' boxes, which lies inside the
 * cluster dagre reserved for the section; clusters do not overlap, so neither do frames, and
 * every player sits wholly inside its own frame and outside all others.
 */
import dagre from "@dagrejs/dagre";
import type { Score } from "../bindings/Score";
import type { Section } from "../bindings/Section";
import { GEOMETRY } from "../bindings/canvasGeometry";
import { playerNodeId, sectionNodeId } from "./keys";

const { player_width, player_height, section_padding, section_header, node_gap, rank_gap, section_gap, margin } = GEOMETRY;
const BOX_WIDTH = player_width + 2 * section_padding;
const BOX_HEIGHT = player_height + 2 * section_padding + section_header;

type Box = { x: number; y: number; right: number; bottom: number };

export function tidy(score: Score): Score {
  const { players, sections } = score;
  if (players.length === 0 && sections.length === 0) return score;
  const graph = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  graph.setGraph({ rankdir: "LR", nodesep: node_gap, ranksep: rank_gap, marginx: margin, marginy: margin });
  graph.setDefaultEdgeLabel(() => ({}));
  const sectionIds = new Set(sections.map((s) => s.id));
  const occupied = new Set(players.flatMap((p) => (p.section && sectionIds.has(p.section) ? [p.section] : [])));
  // Empty sections take no part in the ranking; they are lined up under the rest afterwards.
  for (const id of occupied) graph.setNode(sectionNodeId(id), {});
  for (const player of players) {
    graph.setNode(playerNodeId(player.id), { width: BOX_WIDTH, height: BOX_HEIGHT });
    if (player.section && occupied.has(player.section)) graph.setParent(playerNodeId(player.id), sectionNodeId(player.section));
  }
  const playerIds = new Set(players.map((p) => p.id));
  for (const cue of score.cues) {
    if (cue.max_repeats !== undefined) continue;
    if (!playerIds.has(cue.from) || !playerIds.has(cue.to) || cue.from === cue.to) continue;
    graph.setEdge(playerNodeId(cue.from), playerNodeId(cue.to));
  }
  dagre.layout(graph);

  const boxes = new Map<string, Box>();
  const laidOut = players.map((player) => {
    const node = graph.node(playerNodeId(player.id));
    const x = Math.round(node.x - BOX_WIDTH / 2);
    const y = Math.round(node.y - BOX_HEIGHT / 2);
    boxes.set(player.id, { x, y, right: x + BOX_WIDTH, bottom: y + BOX_HEIGHT });
    return { ...player, position: { x: x + section_padding, y: y + section_header + section_padding } };
  });
  let bottom = 0;
  for (const box of boxes.values()) bottom = Math.max(bottom, box.bottom);
  let emptyX = margin;
  const fitted = sections.map((section): Section => {
    const members = laidOut.flatMap((p) => (p.section === section.id ? [boxes.get(p.id) as Box] : []));
    if (members.length === 0) {
      const placed = { ...section, position: { x: emptyX, y: bottom + section_gap } };
      emptyX += section.size.width + section_gap;
      return placed;
    }
    const x = Math.min(...members.map((b) => b.x));
    const y = Math.min(...members.map((b) => b.y));
    const width = Math.max(...members.map((b) => b.right)) - x;
    const height = Math.max(...members.map((b) => b.bottom)) - y;
    return { ...section, position: { x, y }, size: { width, height } };
  });
  return { ...score, players: laidOut, sections: fitted };
}
