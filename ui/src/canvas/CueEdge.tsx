/**
 * A cue. Loop cues (with a repeat limit) draw dashed and bend around, so a review loop reads
 * as a loop; a cue between two players of one column is a bracket beside it (cuePath.ts). While
 * a loop cue cycles its label counts the times it fired against its limit
 * ("2/3"). The label is short (condition, repeat limit, checkpoint) so it does not cover
 * players; its tooltip says the cue in full, and clicking it selects the cue. Zoomed out to
 * compact players (detail.css), the label says the same in fewer words, as large as the names;
 * one with a count or problems shows only those, and one that would cover a player there is left
 * out (labelRoom.ts).
 */
import { BaseEdge, EdgeLabelRenderer, type EdgeProps } from "@xyflow/react";
import { Pause } from "lucide-react";
import { memo, type ReactNode } from "react";
import { actions } from "../app/studio";
import { CHECKPOINT_MARK } from "../score/cues";
import { EMPTY_SELECTION } from "../score/selection";
import { cuePath } from "./cuePath";
import type { CueEdge as CueEdgeType } from "./flow";

function CueEdgeView(props: EdgeProps<CueEdgeType>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const loop = data?.cue.max_repeats !== undefined;
  const { path, labelX, labelY, anchor } = cuePath(loop, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition);
  const problems = data?.problems;
  const classes = ["cue-edge", loop ? "loop" : "", selected ? "selected" : "", problems ? "has-problems" : "", data?.live ? "live" : ""]
    .filter(Boolean)
    .join(" ");
  const label = data?.label ?? "";
  const cycling = data?.loop;
  // `problems` is absent, not empty, for a cue without any (see validation.ts): default it here.
  const tooltip = [data?.description, ...(problems ?? []).map((p) => `⚠ ${p.message}`)].filter(Boolean).join("\n");
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={classes} interactionWidth={16} />
      {(label || problems || cycling) && (
        <EdgeLabelRenderer>
          <div
            className={`cue-label nodrag nopan${loop ? " loop" : ""}${selected ? " selected" : ""}${cycling || problems ? " marked" : ""}`}
            style={{ transform: `translate(${anchor === "start" ? "0" : "-50%"}, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={tooltip}
            data-crowd={data?.crowd}
            onClick={() => data && actions.select({ ...EMPTY_SELECTION, cues: [data.key] })}
            data-testid={`cue-label-${id}`}
          >
            <span className="cue-words">{withIcons(label)}</span>
            <span className="cue-words short">{withIcons(data?.short ?? "")}</span>
            {cycling && (
              <span className="badge loop-count" title={`fired ${cycling.replace("/", " of at most ")} times`} data-testid={`loop-count-${id}`}>
                {cycling}
              </span>
            )}
            {problems && (
              <span className="badge problem-badge">
                ⚠ {problems.length}
              </span>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

/** The label text with the checkpoint mark drawn as an icon. */
function withIcons(label: string): ReactNode[] {
  return label.split(CHECKPOINT_MARK).flatMap((part, i) =>
    i === 0 ? [part] : [<Pause key={i} size={11} strokeWidth={3} aria-label="checkpoint" className="inline-icon" />, part],
  );
}

export const CueEdge = memo(CueEdgeView);
