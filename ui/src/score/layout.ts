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
import { PLAYER_HEIGHT, PLAYER_WIDTH, SECTION_HEADER, SECTION_PADDING } from "./geometry";

const CLUSTER = "section:";
const BOX_WIDTH = PLAYER_WIDTH + 2 * SECTION_PADDING;
const BOX_HEIGHT = PLAYER_HEIGHT + 2 * SECTION_PADDING + SECTION_HEADER;
const EMPTY_GAP = 40;

type Box = { x: number; y: number; right: number; bottom: number };

export function tidy(score: Score): Score {
  const players = score.players ?? [];
  const sections = score.sections ?? [];
  if (players.length === 0 && sections.length === 0) return score;
  const graph = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  graph.setGraph({ rankdir: "LR", nodesep: 16, ranksep: 100, marginx: 40, marginy: 40 });
  graph.setDefaultEdgeLabel(() => ({}));
  const sectionIds = new Set(sections.map((s) => s.id));
  const occupied = new Set(players.flatMap((p) => (p.section && sectionIds.has(p.section) ? [p.section] : [])));
  // Empty sections take no part in the ranking; they are lined up under the rest afterwards.
  for (const id of occupied) graph.setNode(CLUSTER + id, {});
  for (const player of players) {
    graph.setNode(player.id, { width: BOX_WIDTH, height: BOX_HEIGHT });
    if (player.section && occupied.has(player.section)) graph.setParent(player.id, CLUSTER + player.section);
  }
  const playerIds = new Set(players.map((p) => p.id));
  for (const cue of score.cues ?? []) {
    if (cue.max_repeats !== undefined) continue;
    if (!playerIds.has(cue.from) || !playerIds.has(cue.to) || cue.from === cue.to) continue;
    graph.setEdge(cue.from, cue.to);
  }
  dagre.layout(graph);

  const boxes = new Map<string, Box>();
  const laidOut = players.map((player) => {
    const node = graph.node(player.id);
    const x = Math.round(node.x - BOX_WIDTH / 2);
    const y = Math.round(node.y - BOX_HEIGHT / 2);
    boxes.set(player.id, { x, y, right: x + BOX_WIDTH, bottom: y + BOX_HEIGHT });
    return { ...player, position: { x: x + SECTION_PADDING, y: y + SECTION_HEADER + SECTION_PADDING } };
  });
  let bottom = 0;
  for (const box of boxes.values()) bottom = Math.max(bottom, box.bottom);
  let emptyX = 40;
  const fitted = sections.map((section): Section => {
    const members = laidOut.flatMap((p) => (p.section === section.id ? [boxes.get(p.id) as Box] : []));
    if (members.length === 0) {
      const placed = { ...section, position: { x: emptyX, y: bottom + EMPTY_GAP } };
      emptyX += section.size.width + EMPTY_GAP;
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
