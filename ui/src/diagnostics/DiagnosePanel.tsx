/**
 * Diagnose: how the ensemble is built (zone composition, declared vs inferred zones) and how it
 * plays together (attunement cards over the latest performances), with advice, who should step
 * forward when a performance stalls, and which earlier advice was followed. Evidence and advice
 * select what they concern on the canvas. While this view is open, each player node shows the
 * zone it plays in.
 */
import { useEffect, useState } from "react";
import type { Report } from "../bindings/Report";
import { DIAGNOSE_LAST } from "../bindings/engineValues";
import { actions, useDocument } from "../app/studio";
import { EMPTY_SELECTION } from "../score/selection";
import { ZONE_INFO } from "../score/zones";
import { CompositionChart } from "./CompositionChart";
import { diagnose, setLast, setShown, useDiagnosis } from "./diagnosis";
import { DimensionCard } from "./DimensionCard";
import { AdviceLine, MetricRow } from "./MetricRow";
import { ReportDialog } from "./ReportDialog";
import { Respondents } from "./Respondents";
import { playerName, zoneTitle } from "./report";
import { SurveyTools } from "./SurveyTools";
import "./diagnostics.css";

export function DiagnosePanel({ testPaths }: { testPaths: boolean }) {
  const { report, busy, error, last, diagnosed } = useDiagnosis((d) => d);
  const score = useDocument((s) => s.score);
  const [reportOpen, setReportOpen] = useState(false);

  useEffect(() => {
    setShown(true);
    return () => setShown(false);
  }, []);

  return (
    <section className="diagnose-panel" aria-label="Diagnostics" data-testid="diagnose-panel">
      <div className="diagnose-controls">
        <button type="button" className="primary" onClick={() => void diagnose()} disabled={busy || !score} data-testid="diagnose">
          {busy ? "Diagnosing…" : report ? "Diagnose again" : "Diagnose"}
        </button>
        <label className="last-n" title="How many of the latest performances of this score to read">
          last
          <input type="number" min={DIAGNOSE_LAST.min} max={DIAGNOSE_LAST.max} value={last} onChange={(e) => setLast(Number(e.target.value))} data-testid="diagnose-last" />
          performances
        </label>
        {report && (
          <button type="button" onClick={() => setReportOpen(true)} data-testid="open-report">
            Open report
          </button>
        )}
      </div>
      {error && <p className="error">The diagnosis failed: {error}</p>}
      {!report ? (
        <p className="empty" data-testid="diagnose-empty">
          Diagnose reads the score (alignment: which zone each player plays in, and the zones nobody covers) and its
          recorded performances (attunement: listening, trust, cohesion, tempo, same song), and the people's survey.
          Every number comes with its formula, its threshold and the evidence behind it.
        </p>
      ) : (
        <ReportView report={report} stale={diagnosed !== score} />
      )}
      <h2>People</h2>
      <p className="hint">For teams of people, or people playing parts: a short survey of how they work and how safe the team feels.</p>
      {report && <Respondents report={report} />}
      <SurveyTools testPaths={testPaths} />
      {reportOpen && report && <ReportDialog report={report} onClose={() => setReportOpen(false)} />}
    </section>
  );
}

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function ReportView({ report, stale }: { report: Report; stale: boolean }) {
  const performed = report.performances.length;
  return (
    <div className="report" data-testid="report">
      {stale && (
        <p className="warning" data-testid="diagnosis-stale">
          The score has changed since this diagnosis: diagnose again to see the changes count.
        </p>
      )}
      <p className="hint" data-testid="diagnosis-scope">
        {performed === 0
          ? "No performances yet: alignment only. Perform the score (rehearsal plays offline), then diagnose again for attunement."
          : `Over the latest ${performed} performance${performed === 1 ? "" : "s"} · ${when(report.created_ms)}`}
      </p>

      <h2>Composition</h2>
      <CompositionChart report={report} />
      <ul className="metrics">
        <MetricRow metric={report.composition.gap_count} report={report} />
        <MetricRow metric={report.composition.imbalance} report={report} />
      </ul>

      <h2>Alignment</h2>
      <ul className="metrics">
        <MetricRow metric={report.alignment.mismatches} report={report} />
      </ul>
      <ul className="alignment-players" data-testid="alignment-players">
        {report.alignment.players.map((p) => (
          <li key={p.player} className={p.mismatch ? "mismatch" : ""}>
            <button type="button" className="link" onClick={() => actions.select({ ...EMPTY_SELECTION, players: [p.player] }, { focus: true })} title={p.signals.map((s) => `${s.source}: ${s.why}`).join("\n")}>
              {p.name || p.player}
            </button>
            <span>
              {p.declared ? zoneTitle(p.declared) : "no zone"} {p.mismatch ? "≠" : "→"}{" "}
              <span className="zone-swatch" style={{ background: ZONE_INFO[p.inferred].colour }} aria-hidden />
              <strong>{zoneTitle(p.inferred)}</strong>
            </span>
          </li>
        ))}
      </ul>
      {report.alignment.people.length > 0 && (
        <ul className="alignment-people">
          {report.alignment.people.map((p) => (
            <li key={p.person}>
              <strong>{p.person}</strong> {p.primary.length ? p.primary.map(zoneTitle).join(", ") : "no zone stands out"}
              {p.plays.length > 0 && <span className="hint"> · plays {p.plays.map((id) => playerName(report, id)).join(", ")}</span>}
            </li>
          ))}
        </ul>
      )}

      <h2>Attunement</h2>
      <div className="cards">
        {report.attunement.map((d) => (
          <DimensionCard key={d.id} dimension={d} report={report} />
        ))}
      </div>

      <h2>Advice</h2>
      {report.advice.length === 0 ? (
        <p className="ok">Nothing to change: no number is on the wrong side of its threshold.</p>
      ) : (
        <ul className="advice-list" data-testid="advice">
          {report.advice.map((a) => (
            <AdviceLine key={a.id} text={a.text} target={a.target} />
          ))}
        </ul>
      )}

      <h2>Who should step forward</h2>
      {report.step_forward.length === 0 ? (
        <p className="empty">{performed === 0 ? "No performances yet." : "No performance read stalled or failed: nobody needs to step in."}</p>
      ) : (
        <ul className="step-forward" data-testid="step-forward">
          {report.step_forward.map((s) => (
            <li key={s.performance}>
              <span className="situation">{s.situation.replace(/_/g, " ")}</span>
              {s.at_player && <> at {playerName(report, s.at_player)}</>}:{" "}
              {s.player ? (
                <button type="button" className="link" onClick={() => actions.select({ ...EMPTY_SELECTION, players: [s.player as string] }, { focus: true })}>
                  {playerName(report, s.player)}
                </button>
              ) : (
                <span>a {zoneTitle(s.zone)}</span>
              )}{" "}
              ({zoneTitle(s.zone)}) — {s.why}
            </li>
          ))}
        </ul>
      )}

      <h2>Earlier advice</h2>
      {report.followed.length === 0 ? (
        <p className="empty">No earlier diagnosis gave advice. Each diagnosis is kept, so the next one says what was followed.</p>
      ) : (
        <ul className="followed" data-testid="followed">
          {report.followed.map((f) => (
            <li key={f.id} className={f.followed ? "done" : ""}>
              <span className={`follow-state ${f.followed ? "ok" : ""}`}>{f.followed ? "✓ followed" : f.still_given ? "not yet" : "no longer needed"}</span>{" "}
              {f.text} <span className="hint">· since {when(f.given_ms)}</span>
            </li>
          ))}
        </ul>
      )}

      {report.notes.length > 0 && (
        <details className="notes">
          <summary>Notes ({report.notes.length})</summary>
          <ul>
            {report.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
