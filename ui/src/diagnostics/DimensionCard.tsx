/** One attunement dimension as a card: its metrics, flagged ones marked on the card too. */
import type { Dimension } from "../bindings/Dimension";
import type { Report } from "../bindings/Report";
import { MetricRow } from "./MetricRow";

/** Why a dimension has no numbers yet, by dimension id. */
const NOTHING_YET: Record<string, string> = {
  voice: "Nobody has answered the survey yet: fill it in or import answers below.",
  cohesion: "No failure in the performances read: nothing to recover from yet.",
};

export function DimensionCard({ dimension, report }: { dimension: Dimension; report: Report }) {
  const flagged = dimension.metrics.filter((m) => m.flagged).length;
  const known = dimension.metrics.some((m) => m.value !== null);
  return (
    <section className={`dimension-card${flagged ? " flagged" : ""}`} aria-label={dimension.title} data-testid={`card-${dimension.id}`}>
      <h3>
        {dimension.title}
        {flagged > 0 && <span className="badge flag-count">⚠ {flagged}</span>}
      </h3>
      {!known && (
        <p className="hint">
          {NOTHING_YET[dimension.id] ??
            (report.performances.length === 0 ? "Needs a recorded performance: perform the score, then diagnose again." : "Nothing to compute this from in the performances read.")}
        </p>
      )}
      <ul className="metrics">
        {dimension.metrics.map((m) => (
          <MetricRow key={m.id} metric={m} report={report} />
        ))}
      </ul>
    </section>
  );
}
