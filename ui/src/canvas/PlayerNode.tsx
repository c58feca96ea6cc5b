/**
 * A player on the canvas: zone, name, instrument, problems, and either the start of its part or,
 * while performing, its live state and the latest lines of its output. The node has the fixed
 * size of the generated canvas geometry: a long output scrolls out of the preview instead of
 * growing the node over its neighbours.
 */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { ASIDE_HANDLE } from "./cuePath";
import { memo } from "react";
import { useStore } from "zustand";
import { validation } from "../app/validation";
import { isOffScore } from "../app/offscore";
import { shortVersion } from "../score/version";
import { GEOMETRY } from "../bindings/canvasGeometry";
import { ZoneBadge } from "../diagnostics/ZoneBadge";
import { kindTitle } from "../score/templates";
import { ZONE_INFO } from "../score/zones";
import type { PlayerNode as PlayerNodeType } from "./flow";
import { useLive } from "./streamed";
import { ToolCount, ToolNow, ToolsBadge } from "./PlayerTools";

function PlayerNodeView({ data, selected }: NodeProps<PlayerNodeType>) {
  const { player, zone, problems } = data;
  // Read here, not from the node's data, so a streamed token re-renders this node alone.
  const live = useLive(player.id);
  const info = zone ? ZONE_INFO[zone] : undefined;
  const kind = player.instrument.kind;
  // Played from an older shared context than the score's: its output may not fit the rest.
  const off = useStore(validation, (v) => isOffScore(live, v.badge?.version));
  return (
    <div
      className={`player-node${selected ? " selected" : ""}${problems ? " has-problems" : ""}${live ? ` live-${live.state}` : ""}${off ? " off-score" : ""}`}
      style={{ width: GEOMETRY.player_width, height: GEOMETRY.player_height, borderLeftColor: info?.colour ?? "var(--muted)" }}
      data-testid={`player-${player.id}`}
    >
      <Handle type="target" position={Position.Left} />
      <div className="player-head">
        <span className="player-name" title={player.name || player.id}>
          {player.name || player.id}
        </span>
        <ToolsBadge player={player.id} tools={player.tools} />
        <ZoneBadge player={player.id} />
        {problems && (
          <span className="badge problem-badge" title={problems.map((p) => p.message).join("\n")}>
            ⚠ {problems.length}
          </span>
        )}
      </div>
      <div className="player-meta">
        <span className={`kind kind-${kind}`}>{kind === "rehearsal" ? "rehearsal" : kindTitle(kind)}</span>
        <span className="zone-label">{info ? info.title : "no zone"}</span>
      </div>
      {live ? (
        <div className="player-live">
          <div className="live-line">
            <span className={`state state-${live.state}`}>
              {live.state === "carried" ? "carried over" : live.state}
              {live.chorus > 1 ? ` ×${live.chorus}` : ""}
            </span>
            {off && (
              <span className="off-tag" title={`Played from context ${shortVersion(live.context ?? "")}, older than the score's`} data-testid={`node-off-score-${player.id}`}>
                off the score
              </span>
            )}
            <ToolCount player={player.id} tools={live.tools} />
            {live.tokens > 0 && <span className="tokens">{live.tokens} tok</span>}
          </div>
          {(live.state === "playing" || live.state === "asking") && <ToolNow player={player.id} tools={live.tools} />}
          {live.preview && (
            <div className="preview" title={live.preview}>
              <span>{live.preview.trimEnd()}</span>
            </div>
          )}
        </div>
      ) : (
        player.part && <div className="player-part">{player.part}</div>
      )}
      <Handle type="source" position={Position.Right} />
      {/* Where a cue from a player of the same column comes back in (cuePath.ts); not one a person
          draws from or to: hidden, and after the source handle so that one stays on top. */}
      <Handle type="target" id={ASIDE_HANDLE} position={Position.Right} isConnectable={false} className="aside" />
    </div>
  );
}

export const PlayerNode = memo(PlayerNodeView);
