/** A metric's trend over the earlier diagnoses and this one, as a small line (Recharts, SVG). */
import { Line, LineChart, YAxis } from "recharts";

export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length < 2) return null;
  const data = values.map((v, i) => ({ i, v }));
  return (
    <span className="sparkline" role="img" aria-label={label} title={label} data-testid="sparkline">
      <LineChart width={64} height={20} data={data} margin={{ top: 3, right: 3, bottom: 3, left: 3 }}>
        <YAxis hide domain={["dataMin", "dataMax"]} />
        <Line dataKey="v" type="monotone" dot={false} connectNulls isAnimationActive={false} strokeWidth={1.5} />
      </LineChart>
    </span>
  );
}
