/**
 * Tidy layout: players flow left to right in cue order, each section's players kept together
 * (dagre's compound graphs), and every section frame refitted around its players so that
 * membership drawn on the canvas still matches the score. Loop cues are left out of the ranking,
 * so a review loop draws as a step forward and a loop edge back, not as a knot.
 */
import dagre from "@dagrejs/dagre";
import type { Score } from "../bindings/Score";
import type { Section } from "../bindings/Section";
import { PLAYER_HEIGHT, PLAYER_WIDTH, SECTION_HEADER, SECTION_PADDING } from "./geometry";

const CLUSTER = "section:";

export function tidy(score: Score): Score {
  const players = score.players ?? [];
  const sections = score.sections ?? [];
  if (players.length === 0 && sections.length === 0) return score;
  const graph = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  graph.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 90, marginx: 40, marginy: 40 });
  graph.setDefaultEdgeLabel(() => ({}));
  const sectionIds = new Set(sections.map((s) => s.id));
  for (const section of sections) graph.setNode(CLUSTER + section.id, {});
  for (const player of players) {
    graph.setNode(player.id, { width: PLAYER_WIDTH, height: PLAYER_HEIGHT + SECTION_HEADER });
    if (player.section && sectionIds.has(player.section)) graph.setParent(player.id, CLUSTER + player.section);
  }
  const playerIds = new Set(players.map((p) => p.id));
  for (const cue of score.cues ?? []) {
    if (cue.max_repeats !== undefined) continue;
    if (!playerIds.has(cue.from) || !playerIds.has(cue.to) || cue.from === cue.to) continue;
    graph.setEdge(cue.from, cue.to);
  }
  // Empty sections take no part in the ranking; they are stacked under the rest afterwards.
  for (const section of sections) {
    if (!players.some((p) => p.section === section.id)) graph.removeNode(CLUSTER + section.id);
  }
  dagre.layout(graph);

  const laidOut = players.map((player) => {
    const node = graph.node(player.id);
    return { ...player, position: { x: Math.round(node.x - PLAYER_WIDTH / 2), y: Math.round(node.y - PLAYER_HEIGHT / 2) } };
  });
  let bottom = 0;
  for (const p of laidOut) bottom = Math.max(bottom, p.position.y + PLAYER_HEIGHT);
  let emptyX = 40;
  const fitted = sections.map((section): Section => {
    const members = laidOut.filter((p) => p.section === section.id);
    if (members.length === 0) {
      const placed = { ...section, position: { x: emptyX, y: bottom + 80 } };
      emptyX += section.size.width + 40;
      return placed;
    }
    const minX = Math.min(...members.map((p) => p.position.x));
    const minY = Math.min(...members.map((p) => p.position.y));
    const maxX = Math.max(...members.map((p) => p.position.x + PLAYER_WIDTH));
    const maxY = Math.max(...members.map((p) => p.position.y + PLAYER_HEIGHT));
    return {
      ...section,
      position: { x: minX - SECTION_PADDING, y: minY - SECTION_PADDING - SECTION_HEADER },
      size: { width: maxX - minX + 2 * SECTION_PADDING, height: maxY - minY + 2 * SECTION_PADDING + SECTION_HEADER },
    };
  });
  return { ...score, players: laidOut, sections: fitted };
}
