/**
 * The timeline drawn as lanes: one per player, a bar per chorus coloured by how it ended, an
 * arrow for each cue that fired, and the live edge moving while the performance plays. Pressing
 * or dragging on it moves the canvas to that moment. The bars are one memoised layer that
 * redraws when an event that is not a token arrives or the axis grows; only the live edge and the
 * bars still playing follow the clock.
 */
import { memo, useEffect, useMemo, useRef, useState, type PointerEvent } from "react";
import type { Event } from "../bindings/Event";
import { axisLength, lanesOf, type Bar, type Lanes as LaneData } from "../app/lanes";

const LANE = 16;
const BAR = 10;

function pct(value: number): string {
  return `${(value * 100).toFixed(3)}%`;
}

function seconds(ms: number): string {
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s` : `${+(ms / 1000).toFixed(1)}s`;
}

type Props = {
  events: Event[];
  /** Where the canvas is, when it shows a moment other than the live edge (epoch ms). */
  playhead: number | null;
  onScrub: (at: number) => void;
  /** The performance is still playing: the live edge follows the clock. */
  live: boolean;
};

function LanesView({ events, playhead, onScrub, live }: Props) {
  const lanes = lanesOf(events);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [live]);
  const edge = live ? Math.max(now, lanes.last) : lanes.last;
  const axis = axisLength(Math.max(edge - lanes.start, 1));
  const dragging = useRef(false);
  const scrubAt = (e: PointerEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
    onScrub(Math.min(lanes.start + fraction * axis, edge));
  };
  if (lanes.players.length === 0) return null;
  const x = (at: number) => (at - lanes.start) / axis;
  const height = lanes.players.length * LANE;
  return (
    <div className="lanes" data-testid="lanes">
      <div className="lanes-scroll">
        <div className="lanes-grid" style={{ height }}>
          <div className="lane-names">
            {lanes.players.map((p) => (
              <div key={p} className="lane-name" style={{ height: LANE }} title={p}>
                {p}
              </div>
            ))}
          </div>
          <div
            className="lane-area"
            role="slider"
            tabIndex={0}
            aria-label="Moment shown on the canvas"
            aria-valuemin={0}
            aria-valuemax={axis}
            aria-valuenow={(playhead ?? edge) - lanes.start}
            aria-valuetext={seconds((playhead ?? edge) - lanes.start)}
            data-testid="lanes-area"
            onPointerDown={(e) => {
              dragging.current = true;
              e.currentTarget.setPointerCapture?.(e.pointerId);
              scrubAt(e);
            }}
            onPointerMove={(e) => dragging.current && scrubAt(e)}
            onPointerUp={() => (dragging.current = false)}
            onKeyDown={(e) => {
              // Arrows step the moment by a fiftieth of the axis; Home and End go to either end.
              const from = playhead ?? edge;
              const step = axis / 50;
              const to = e.key === "ArrowLeft" ? from - step : e.key === "ArrowRight" ? from + step : e.key === "Home" ? lanes.start : e.key === "End" ? edge : null;
              if (to === null) return;
              e.preventDefault();
              onScrub(Math.min(Math.max(to, lanes.start), edge));
            }}
          >
            <svg width="100%" height={height} aria-hidden="true">
              <BarsLayer lanes={lanes} axis={axis} />
              {live && <OpenBars lanes={lanes} x={x} edge={edge} />}
              <line className="live-edge" x1={pct(x(edge))} x2={pct(x(edge))} y1={0} y2={height} data-testid="live-edge" />
              {playhead !== null && <line className="playhead" x1={pct(x(playhead))} x2={pct(x(playhead))} y1={0} y2={height} data-testid="playhead" />}
            </svg>
          </div>
        </div>
      </div>
      <div className="lanes-axis">
        <span>0s</span>
        <span>{playhead !== null ? `shown: ${seconds(playhead - lanes.start)}` : live ? `live: ${seconds(edge - lanes.start)}` : `ended at ${seconds(edge - lanes.start)}`}</span>
        <span>{seconds(axis)}</span>
      </div>
    </div>
  );
}

/** The bars and arrows: recomputed only with the events or the axis. */
const BarsLayer = memo(function BarsLayer({ lanes, axis }: { lanes: LaneData; axis: number }) {
  const row = useMemo(() => new Map(lanes.players.map((p, i) => [p, i])), [lanes]);
  const x = (at: number) => (at - lanes.start) / axis;
  const mid = (player: string) => (row.get(player) ?? 0) * LANE + LANE / 2;
  const bars: Bar[] = [];
  for (const list of lanes.bars.values()) bars.push(...list);
  return (
    <g>
      {lanes.players.map((p, i) => (
        <line key={p} className="lane-rule" x1="0" x2="100%" y1={i * LANE + LANE - 0.5} y2={i * LANE + LANE - 0.5} />
      ))}
      {bars.map((bar, i) => {
        const start = x(bar.start);
        const width = bar.end === null ? 0 : Math.max(x(bar.end) - start, 0.006);
        return (
          <rect
            key={`${bar.player}-${i}`}
            className={`bar bar-${bar.outcome}`}
            x={pct(start)}
            width={pct(width)}
            y={mid(bar.player) - BAR / 2}
            height={BAR}
            rx={2}
            data-testid={`bar-${bar.player}-${bar.chorus}`}
            data-outcome={bar.outcome}
          >
            <title>{`${bar.player}${bar.chorus > 1 ? ` chorus ${bar.chorus}` : ""}: ${bar.outcome}`}</title>
          </rect>
        );
      })}
      {lanes.arrows.map((a, i) => {
        const at = pct(x(a.at));
        return (
          <line
            key={i}
            className="cue-arrow"
            x1={at}
            x2={at}
            y1={mid(a.from)}
            y2={mid(a.to) + (mid(a.to) > mid(a.from) ? -BAR / 2 : BAR / 2)}
            markerEnd="url(#lane-arrow)"
            data-testid={`arrow-${a.from}-${a.to}`}
          />
        );
      })}
      <defs>
        <marker id="lane-arrow" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
          <path d="M0,0 L6,3 L0,6 z" className="cue-arrow-head" />
        </marker>
      </defs>
    </g>
  );
});

/** Bars still playing, drawn up to the live edge. */
function OpenBars({ lanes, x, edge }: { lanes: LaneData; x: (at: number) => number; edge: number }) {
  const open: Bar[] = [];
  for (const list of lanes.bars.values()) {
    const bar = list[list.length - 1];
    if (bar && bar.end === null) open.push(bar);
  }
  const row = (p: string) => lanes.players.indexOf(p);
  return (
    <g>
      {open.map((bar) => (
        <rect
          key={bar.player}
          className={`bar bar-${bar.outcome}`}
          x={pct(x(bar.start))}
          width={pct(Math.max(x(edge) - x(bar.start), 0.006))}
          y={row(bar.player) * LANE + (LANE - BAR) / 2}
          height={BAR}
          rx={2}
          data-testid={`open-bar-${bar.player}`}
        />
      ))}
    </g>
  );
}

export const Lanes = memo(LanesView);
