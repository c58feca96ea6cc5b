/**
 * Which section a player sits in follows from where it is drawn: a player whose centre lies in
 * a section's frame belongs to it. The innermost (smallest) frame wins when frames overlap.
 */
import type { Player } from "../bindings/Player";
import type { Position } from "../bindings/Position";
import type { Score } from "../bindings/Score";
import type { Section } from "../bindings/Section";
import { GEOMETRY } from "../bindings/canvasGeometry";

export function sectionAt(sections: readonly Section[], point: Position): Section | undefined {
  let best: Section | undefined;
  for (const section of sections) {
    const { x, y } = section.position;
    const { width, height } = section.size;
    const inside = point.x >= x && point.x <= x + width && point.y >= y && point.y <= y + height;
    if (inside && (!best || width * height < best.size.width * best.size.height)) best = section;
  }
  return best;
}

export function centreOf(player: Pick<Player, "position">): Position {
  return { x: player.position.x + GEOMETRY.player_width / 2, y: player.position.y + GEOMETRY.player_height / 2 };
}

/**
 * Re-seats the given players by position. A player leaving a section keeps that section's zone
 * as its own, because a player outside every section must name a zone to stay valid.
 */
export function reseat(score: Score, playerIds: ReadonlySet<string>): Score {
  const { sections } = score;
  let changed = false;
  const players = score.players.map((player) => {
    if (!playerIds.has(player.id)) return player;
    const target = sectionAt(sections, centreOf(player))?.id;
    if (target === player.section) return player;
    changed = true;
    const next: Player = { ...player };
    if (target === undefined) {
      const left = sections.find((s) => s.id === player.section);
      delete next.section;
      if (next.zone === undefined) next.zone = left?.zone ?? "integrator";
    } else {
      next.section = target;
    }
    return next;
  });
  return changed ? { ...score, players } : score;
}
