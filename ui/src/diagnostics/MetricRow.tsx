/**
 * One number of the diagnosis: its value against its threshold, whether it is flagged, its trend,
 * the evidence behind it in one line (a button that selects the players and cues concerned on the
 * canvas, when it names any), how it is computed, and what to do about it.
 */
import type { Metric } from "../bindings/Metric";
import type { Report } from "../bindings/Report";
import { notify } from "../app/notices";
import { actions, documentStore, useDocument } from "../app/studio";
import { isEmpty } from "../score/selection";
import { adviceSelection, evidenceSelection, pointsAtCanvas } from "./evidence";
import { adviceTarget, display, performanceTrendOf, thresholdText, trendOf } from "./report";
import { Sparkline } from "./Sparkline";

/** Selects what `evidence` names and centres the canvas on it; says so when none of it is left. */
function showEvidence(metric: Metric): void {
  const score = documentStore.getState().score;
  if (!score) return;
  const selection = evidenceSelection(score, metric.evidence);
  if (isEmpty(selection)) notify("What this evidence names is no longer in the score: diagnose again.");
  else actions.select(selection, { focus: true });
}

export function MetricRow({ metric, report }: { metric: Metric; report: Report }) {
  const trend = trendOf(report, metric.id);
  const perPerformance = performanceTrendOf(report, metric.id);
  const value = display(metric.unit, metric.value);
  const threshold = thresholdText(metric);
  const evidence = metric.evidence;
  return (
    <li className={`metric${metric.flagged ? " flagged" : ""}${metric.value === null ? " unknown" : ""}`} data-testid={`metric-${metric.id}`}>
      <div className="metric-head">
        <span className="metric-name" title={metric.formula}>
          {metric.flagged && (
            <span className="flag" aria-label="flagged" title="On the wrong side of its threshold">
              ⚠{" "}
            </span>
          )}
          {metric.name}
        </span>
        <Sparkline values={trend} label={`${metric.name} over ${trend.length} diagnoses: ${trend.map((v) => display(metric.unit, v)).join(", ")}`} />
        <span className="metric-value" data-testid="metric-value">
          {value}
        </span>
      </div>
      {threshold && <div className="metric-threshold">{threshold}</div>}
      {pointsAtCanvas(evidence) ? (
        <button type="button" className="evidence link" onClick={() => showEvidence(metric)} title="Select the players and cues concerned on the canvas" data-testid="evidence">
          {evidence.summary}
        </button>
      ) : (
        <div className="evidence">{evidence.summary}</div>
      )}
      {metric.advice.length > 0 && (
        <ul className="metric-advice" data-testid="metric-advice">
          {metric.advice.map((a) => (
            <AdviceLine key={a.id} text={a.text} target={a.target} />
          ))}
        </ul>
      )}
      <details className="metric-details">
        <summary>How it is computed</summary>
        <p className="formula">{metric.formula}</p>
        {evidence.items.length > 0 && (
          <ul className="items">
            {evidence.items.map((item) => (
              <li key={item.id}>
                <span>{item.id}</span> <span className="item-value">{Number.isInteger(item.value) ? item.value : item.value.toFixed(2)}</span>
                {item.note && <span className="hint"> {item.note}</span>}
              </li>
            ))}
          </ul>
        )}
        {perPerformance.length > 0 && (
          <p className="hint">Performance by performance: {perPerformance.map((p) => display(metric.unit, p.value)).join(" → ")}</p>
        )}
        {evidence.events.length > 0 && (
          <p className="hint">
            From {evidence.events.length} recorded event{evidence.events.length === 1 ? "" : "s"}
            {evidence.omitted_events > 0 ? ` (and ${evidence.omitted_events} more)` : ""}.
          </p>
        )}
      </details>
    </li>
  );
}

/** A piece of advice; a button that selects its players or cues when it points at any. */
export function AdviceLine({ text, target }: { text: string; target: unknown }) {
  const score = useDocument((s) => s.score);
  const selection = score ? adviceSelection(score, adviceTarget(target)) : null;
  if (!selection || isEmpty(selection)) return <li className="advice">{text}</li>;
  return (
    <li className="advice">
      <button type="button" className="link" onClick={() => actions.select(selection, { focus: true })} title="Show where on the canvas">
        {text}
      </button>
    </li>
  );
}
