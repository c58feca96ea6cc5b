/** A section: a resizable frame coloured and labelled by its zone. */
import { NodeResizer, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { PLAYER_HEIGHT, PLAYER_WIDTH } from "../score/geometry";
import { ZONE_INFO } from "../score/zones";
import type { SectionNode as SectionNodeType } from "./flow";

function SectionNodeView({ data, selected }: NodeProps<SectionNodeType>) {
  const { section, problems } = data;
  const info = ZONE_INFO[section.zone];
  return (
    <div
      className={`section-node zone-${section.zone}${selected ? " selected" : ""}`}
      style={{ borderColor: info.colour }}
      data-testid={`section-${section.id}`}
    >
      <NodeResizer
        isVisible={selected}
        minWidth={PLAYER_WIDTH + 40}
        minHeight={PLAYER_HEIGHT + 60}
        color={info.colour}
      />
      <div className="section-head" style={{ background: info.colour }}>
        <span className="section-name">{section.name || section.id}</span>
        <span className="section-zone">
          {info.title} · {info.role}
        </span>
        {problems && (
          <span className="badge problem-badge" title={problems.map((p) => p.message).join("\n")}>
            ⚠ {problems.length}
          </span>
        )}
      </div>
    </div>
  );
}

export const SectionNode = memo(SectionNodeView);
