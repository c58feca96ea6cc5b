/** A section: a resizable frame coloured and labelled by its zone. */
import { NodeResizer, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { GEOMETRY } from "../bindings/canvasGeometry";
import { ZONE_INFO } from "../score/zones";
import type { SectionNode as SectionNodeType } from "./flow";

/** The smallest frame: one player, with the padding around it and the header above. */
const MIN_WIDTH = GEOMETRY.player_width + 2 * GEOMETRY.section_padding;
const MIN_HEIGHT = GEOMETRY.player_height + 2 * GEOMETRY.section_padding + GEOMETRY.section_header;

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
        minWidth={MIN_WIDTH}
        minHeight={MIN_HEIGHT}
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
