/**
 * The zone composition: each zone's share of the players as a bar (Recharts, SVG), a gap drawn as
 * a dashed empty slot, and under it the same numbers in words with the players of each zone, so
 * the chart is never the only way to read them.
 */
import { Bar, BarChart, LabelList, XAxis, YAxis, type BarShapeProps } from "recharts";
import type { Composition } from "../bindings/Composition";
import type { Report } from "../bindings/Report";
import type { Zone } from "../bindings/Zone";
import { ZONE_INFO } from "../score/zones";
import { playerName } from "./report";

const WIDTH = 300;
const HEIGHT = 150;

type Datum = { zone: Zone; title: string; percent: number; players: number };

/** One zone's bar; an empty zone is a dashed outline at the baseline instead of nothing. */
function ZoneBar(props: BarShapeProps) {
  const datum = props.payload as Datum;
  const { x, y, width, height } = props;
  if (datum.players === 0) {
    const top = y + height - 14;
    return (
      <g className="zone-bar gap" data-zone={datum.zone}>
        <rect x={x + 2} y={top} width={Math.max(0, width - 4)} height={14} rx={3} />
        <text x={x + width / 2} y={top - 4} textAnchor="middle">
          gap
        </text>
      </g>
    );
  }
  return (
    <g className={`zone-bar zone-bar-${datum.zone}`} data-zone={datum.zone}>
      <rect x={x} y={y} width={width} height={Math.max(0, height)} rx={3} />
    </g>
  );
}

export function CompositionChart({ report }: { report: Report }) {
  const composition: Composition = report.composition;
  const data: Datum[] = composition.zones.map((z) => ({
    zone: z.zone,
    title: ZONE_INFO[z.zone].title,
    percent: Math.round(z.share * 100),
    players: z.players.length,
  }));
  const words = data.map((d) => `${d.title} ${d.percent}%`).join(", ");
  return (
    <figure className="composition" data-testid="composition">
      <div role="img" aria-label={`Share of players per zone: ${words}`} className="composition-chart">
        <BarChart width={WIDTH} height={HEIGHT} data={data} margin={{ top: 18, right: 6, bottom: 0, left: -18 }}>
          <XAxis dataKey="title" tickLine={false} interval={0} fontSize={11} />
          <YAxis domain={[0, 100]} ticks={[0, 50, 100]} tickFormatter={(v: number) => `${v}%`} fontSize={10} tickLine={false} />
          <Bar dataKey="percent" shape={ZoneBar} isAnimationActive={false}>
            <LabelList dataKey="percent" position="top" formatter={(v: unknown) => (Number(v) > 0 ? `${String(v)}%` : "")} fontSize={11} />
          </Bar>
        </BarChart>
      </div>
      <figcaption>
        <ul className="zone-list">
          {composition.zones.map((z) => (
            <li key={z.zone} className={z.players.length === 0 ? "gap" : ""} data-testid={`zone-${z.zone}`}>
              <span className="zone-swatch" style={{ background: ZONE_INFO[z.zone].colour }} aria-hidden />
              <strong>{ZONE_INFO[z.zone].title}</strong> {Math.round(z.share * 100)}%
              <span className="zone-players">
                {z.players.length === 0 ? "nobody plays here" : z.players.map((p) => playerName(report, p)).join(", ")}
              </span>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
