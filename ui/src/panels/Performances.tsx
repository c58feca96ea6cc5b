/**
 * Past performances from the store, newest first; one opens for replay: its timeline up to a
 * position on a slider, while the canvas shows every player as it was at that moment. One whose
 * process died before it finished can be resumed from its last finished cue. Each can be saved
 * as a report (one HTML page) or exported as OpenTelemetry traces.
 */
import { ChevronLeft, ChevronRight, SkipBack, SkipForward } from "lucide-react";
import { useEffect, useState } from "react";
import { useStore } from "zustand";
import type { Summary } from "../bindings/Summary";
import { fileName, folderLabel, openPath } from "../app/files";
import { compareWithPrevious, comparing, openComparison } from "../app/compare";
import { dollars } from "../app/cost";
import { forkPerformance } from "../app/fork";
import { positionAt } from "../app/lanes";
import { performance, resumePerformance } from "../app/performance";
import { closeReplay, openReplay, replay, seek } from "../app/replay";
import { settings } from "../app/settings";
import { saveReport, sendTraces } from "../share/report";
import { useDocument } from "../app/studio";
import { errorMessage, ipc } from "../ipc";
import { Lanes } from "./Lanes";
import { PlayerTable } from "./PlayerTable";
import { Timeline } from "./Timeline";
import { ToolCalls } from "./ToolCalls";

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function result(summary: Summary): string {
  if (summary.status === "running") return "running";
  if (summary.status === "interrupted") return "interrupted";
  // The honest words: a success that left players out says so.
  const outcome = summary.outcome_summary ?? summary.outcome?.replace("_", " ");
  return outcome ? `finished · ${outcome}` : "finished";
}

/** `onResumed` is called once a resumed performance is conducting, to show it live. */
export function Performances({ onResumed }: { onResumed: () => void }) {
  const [list, setList] = useState<Summary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loading = useStore(replay, (r) => r.loading);
  const replayError = useStore(replay, (r) => r.error);
  // A performance that just ended belongs in the list.
  const running = useStore(performance, (p) => p.running);
  const [resuming, setResuming] = useState<string | null>(null);
  // Two ticked performances compare; the earlier one is shown as "before".
  const [picked, setPicked] = useState<string[]>([]);
  const comparingNow = useStore(comparing, (c) => c.loading);
  const pick = (id: string, on: boolean) => setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));
  const compareTicked = () => {
    const chosen = (list ?? []).filter((s) => picked.includes(s.id)).sort((a, b) => a.started_ms - b.started_ms);
    if (chosen.length === 2) void openComparison(chosen[0].id, chosen[1].id);
  };
  const otlpEndpoint = useStore(settings, (s) => s.otlpEndpoint.trim());
  const resume = async (summary: Summary) => {
    setResuming(summary.id);
    const resumed = await resumePerformance(summary);
    setResuming(null);
    if (resumed) onResumed();
  };
  useEffect(() => {
    let cancelled = false;
    ipc
      .performances()
      .then((found) => !cancelled && setList([...found].sort((a, b) => b.started_ms - a.started_ms)))
      .catch((e) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [running]);
  if (error) return <p className="error">The performances could not be listed: {error}</p>;
  if (list === null) return <p className="hint">Reading the performances…</p>;
  if (list.length === 0) return <p className="empty">No performance has been recorded yet. Every performance is kept here for replay.</p>;
  return (
    <>
      {replayError && <p className="error">{replayError}</p>}
      <div className="compare-bar">
        <span className="hint">{picked.length === 2 ? "Two performances ticked" : "Tick two performances to compare them"}</span>
        <button type="button" disabled={picked.length !== 2 || comparingNow} onClick={compareTicked} data-testid="compare-ticked">
          Compare
        </button>
      </div>
      <ul className="performances" data-testid="performances">
        {list.map((s) => (
          <li key={s.id} className="perf-item">
            <input
              type="checkbox"
              className="perf-pick"
              checked={picked.includes(s.id)}
              onChange={(e) => pick(s.id, e.target.checked)}
              aria-label={`Compare ${s.title} of ${when(s.started_ms)}`}
              data-testid={`pick-${s.id}`}
            />
            <button type="button" onClick={() => void openReplay(s)} disabled={loading !== null} data-testid={`performance-${s.id}`}>
              <span className="perf-title">
                {s.title}
                {s.offline && <span className="tag">rehearsal</span>}
                {s.forked_from && (
                  <span className="tag" title={`Re-run of ${s.forked_from} from ${s.forked_player ?? "?"}`} data-testid={`forked-${s.id}`}>
                    re-run from {s.forked_player}
                  </span>
                )}
              </span>
              <span className={`perf-result result-${s.status === "finished" ? (s.outcome ?? "finished") : s.status}`}>{result(s)}</span>
              <span className="perf-meta">
                {when(s.started_ms)} · {s.tokens.toLocaleString()} tokens · {dollars(s.cost_usd)}
                {s.score_path ? ` · ${fileName(s.score_path)}` : ""}
              </span>
            </button>
            <span className="perf-share">
              <button type="button" className="link" onClick={() => void compareWithPrevious(s.id)} title="Side by side with the performance of this score before it" data-testid={`compare-previous-${s.id}`}>
                Compare with the previous
              </button>
              <button
                type="button"
                className="link"
                onClick={() => void saveReport(s, "html")}
                title="One HTML page with the score, a timeline, every player's input and output, usage and cost"
                data-testid={`report-${s.id}`}
              >
                Save report…
              </button>
              <button
                type="button"
                className="link"
                onClick={() => void saveReport(s, "otlp")}
                title="OpenTelemetry traces (OTLP JSON): one span per player turn"
                data-testid={`traces-${s.id}`}
              >
                Export traces…
              </button>
              {otlpEndpoint && (
                <button
                  type="button"
                  className="link"
                  onClick={() => void sendTraces(s)}
                  title={`Post the traces to the OTLP/HTTP receiver at ${otlpEndpoint}`}
                  data-testid={`send-traces-${s.id}`}
                >
                  Send traces
                </button>
              )}
            </span>
            {s.status === "interrupted" && (
              <button
                type="button"
                className="perf-resume"
                onClick={() => void resume(s)}
                disabled={running || resuming !== null}
                title={running ? "Another performance is playing" : "Go on from the last finished cue"}
                data-testid={`resume-${s.id}`}
              >
                {resuming === s.id ? "Resuming…" : "Resume"}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** `onLive` is called once a re-run from here is conducting, to show it live. */
export function ReplayView({ onLive }: { onLive: () => void }) {
  const current = useStore(replay, (r) => r.current);
  const path = useDocument((s) => s.path);
  if (!current) return null;
  const { summary, steps, position, state, events } = current;
  const last = position === 0 ? null : events[steps[position - 1]];
  const whole = current.whole;
  const fork = (player: string, withCurrent: boolean) =>
    void forkPerformance(summary, player, withCurrent ? path : null).then((ok) => {
      if (!ok) return;
      closeReplay();
      onLive();
    });
  return (
    <div className="replay" data-testid="replay">
      <div className="replay-head">
        <div>
          <strong>Replay: {summary.title}</strong>
          <div className="hint">
            {when(summary.started_ms)} · {result(summary)}
            {summary.offline ? " · rehearsal" : ""} · {dollars(summary.cost_usd)}
          </div>
          {summary.forked_from && (
            <div className="hint" data-testid="replay-forked">
              Re-run of {summary.forked_from.slice(0, 8)} from {summary.forked_player}
            </div>
          )}
        </div>
        <div className="replay-actions">
          <button type="button" onClick={() => void compareWithPrevious(summary.id)} title="Side by side with the performance of this score before it" data-testid="replay-compare-previous">
            Compare with the previous
          </button>
          <button type="button" onClick={closeReplay} data-testid="close-replay">
            Close
          </button>
        </div>
      </div>
      {summary.score_path && summary.score_path !== path && (
        <p className="hint">
          The canvas shows the open score. This performance played{" "}
          <button type="button" className="link" title={summary.score_path} onClick={() => void openPath(summary.score_path as string)}>
            {fileName(summary.score_path)}
          </button>{" "}
          in {folderLabel(summary.score_path)}.
        </p>
      )}
      <div className="replay-scrub">
        <button type="button" onClick={() => seek(0)} disabled={position === 0} aria-label="To the start" title="To the start">
          <SkipBack size={14} />
        </button>
        <button type="button" onClick={() => seek(position - 1)} disabled={position === 0} aria-label="One event back" title="One event back">
          <ChevronLeft size={14} />
        </button>
        <input
          type="range"
          min={0}
          max={steps.length}
          value={position}
          onChange={(e) => seek(Number(e.target.value))}
          aria-label="Replay position"
          aria-valuetext={`${position} of ${steps.length} events`}
          data-testid="replay-slider"
        />
        <button type="button" onClick={() => seek(position + 1)} disabled={position === steps.length} aria-label="One event on" title="One event on">
          <ChevronRight size={14} />
        </button>
        <button type="button" onClick={() => seek(steps.length)} disabled={position === steps.length} aria-label="To the end" title="To the end">
          <SkipForward size={14} />
        </button>
      </div>
      <p className="hint" data-testid="replay-position">
        {position} of {steps.length} events{last ? ` · ${new Date(last.at_ms).toLocaleTimeString()}` : ""}
      </p>
      <Lanes events={whole} playhead={last?.at_ms ?? null} onScrub={(at) => seek(positionAt(events, steps, at))} live={false} />
      <PlayerTable players={Object.keys(current.end.live)} live={state.live} running={false} onFork={fork} />
      <ToolCalls events={state.events} />
      <Timeline events={state.events} />
    </div>
  );
}
