/**
 * Two performances side by side, as the shell compared them: for each player its outcome,
 * choruses, time, tokens and cost on both sides and its output diffed word by word (what the
 * earlier one said that the later one dropped is struck through on the left, what the later one
 * added is marked on the right), then what changed in the score between them, line by line.
 * The view prints on its own (the rest of the window is left out of the page).
 */
import { createPortal } from "react-dom";
import { useStore } from "zustand";
import type { ComparedPerformance } from "../bindings/ComparedPerformance";
import type { PlayerComparison } from "../bindings/PlayerComparison";
import type { PlayerRun } from "../bindings/PlayerRun";
import type { TextChange } from "../bindings/TextChange";
import { closeComparison, comparing } from "../app/compare";
import { dollars } from "../app/cost";
import { shortVersion } from "../score/version";
import { Modal } from "./Modal";

const OUTCOME_WORDS: Record<string, string> = { not_cued: "never cued", carried: "carried over" };

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function Side({ side, label }: { side: ComparedPerformance; label: string }) {
  const s = side.summary;
  return (
    <div className="compare-side" data-testid={`compare-${label}`}>
      <div className="compare-label">{label === "left" ? "Before" : "After"}</div>
      <strong>{s.title}</strong>
      <div className="hint">
        {when(s.started_ms)} · {s.id.slice(0, 8)}
        {s.offline ? " · rehearsal" : ""}
        {s.forked_from ? ` · re-run of ${s.forked_from.slice(0, 8)} from ${s.forked_player ?? "?"}` : ""}
      </div>
      <div>
        {s.outcome_summary ?? s.outcome ?? s.status} · {seconds(side.elapsed_ms)} · {s.tokens.toLocaleString()} tokens · {dollars(s.cost_usd)}
        {side.context_version ? ` · context ${shortVersion(side.context_version)}` : ""}
      </div>
    </div>
  );
}

function runLine(run: PlayerRun | null): string {
  if (!run) return "not in this score";
  const outcome = OUTCOME_WORDS[run.outcome] ?? run.outcome;
  if (run.outcome === "not_cued" || run.outcome === "skipped") return outcome;
  const parts = [outcome];
  if (run.choruses > 1) parts.push(`${run.choruses} choruses`);
  if (run.outcome !== "carried") parts.push(seconds(run.elapsed_ms), `${(run.input_tokens + run.output_tokens).toLocaleString()} tokens`, dollars(run.cost_usd));
  if (run.tool_calls > 0) parts.push(run.tool_calls === 1 ? "1 tool call" : `${run.tool_calls} tool calls`);
  if (run.edited) parts.push("edited");
  return parts.join(" · ");
}

/** One side of a word diff: the unchanged words with this side's own changes marked. */
function DiffText({ changes, keep, fallback }: { changes: TextChange[]; keep: "delete" | "insert"; fallback: string }) {
  if (changes.length === 0) return <div className="diff-text">{fallback}</div>;
  return (
    <div className="diff-text">
      {changes.map((c, i) =>
        c.kind === "equal" ? (
          <span key={i}>{c.text}</span>
        ) : c.kind !== keep ? null : c.kind === "delete" ? (
          <del key={i}>{c.text}</del>
        ) : (
          <ins key={i}>{c.text}</ins>
        ),
      )}
    </div>
  );
}

function PlayerRow({ p }: { p: PlayerComparison }) {
  const leftOutput = p.left?.output || p.left?.error || "";
  const rightOutput = p.right?.output || p.right?.error || "";
  return (
    <section className={`compare-player${p.output_changed ? " changed" : ""}`} data-testid={`compare-player-${p.player}`}>
      <h3>
        {p.player} <span className="hint">{p.output_changed ? "output changed" : "same output"}</span>
      </h3>
      <div className="compare-cols">
        <div>
          <div className="compare-stats" data-testid={`compare-stats-left-${p.player}`}>
            {runLine(p.left)}
          </div>
          <DiffText changes={p.output_changes} keep="delete" fallback={leftOutput} />
        </div>
        <div>
          <div className="compare-stats" data-testid={`compare-stats-right-${p.player}`}>
            {runLine(p.right)}
          </div>
          <DiffText changes={p.output_changes} keep="insert" fallback={rightOutput} />
        </div>
      </div>
    </section>
  );
}

const CONTEXT_LINES = 2;

/** The score's line diff: changed lines with two lines of context, long unchanged runs folded. */
function ScoreChanges({ changes }: { changes: TextChange[] }) {
  if (changes.length === 0) return <p className="hint">The two performances played the same score.</p>;
  const rows: { kind: string; text: string }[] = [];
  changes.forEach((c, i) => {
    const lines = c.text.replace(/\n$/, "").split("\n");
    if (c.kind !== "equal") {
      for (const line of lines) rows.push({ kind: c.kind, text: line });
      return;
    }
    const head = i === 0 ? 0 : CONTEXT_LINES;
    const tail = i === changes.length - 1 ? 0 : CONTEXT_LINES;
    if (lines.length <= head + tail + 1) {
      for (const line of lines) rows.push({ kind: "equal", text: line });
      return;
    }
    for (const line of lines.slice(0, head)) rows.push({ kind: "equal", text: line });
    rows.push({ kind: "fold", text: `… ${lines.length - head - tail} unchanged lines …` });
    for (const line of lines.slice(lines.length - tail)) rows.push({ kind: "equal", text: line });
  });
  return (
    <pre className="line-diff" data-testid="score-changes">
      {rows.map((r, i) => (
        <div key={i} className={`line line-${r.kind}`}>
          <span className="sign">{r.kind === "insert" ? "+" : r.kind === "delete" ? "−" : " "}</span>
          {r.text}
        </div>
      ))}
    </pre>
  );
}

export function CompareView() {
  const comparison = useStore(comparing, (c) => c.comparison);
  if (!comparison) return null;
  const changed = comparison.players.filter((p) => p.output_changed).length;
  return createPortal(
    <div className="compare-print">
      <Modal title="Compare performances" onClose={closeComparison} testId="compare">
        <div className="compare-view">
          <div className="compare-cols">
            <Side side={comparison.left} label="left" />
            <Side side={comparison.right} label="right" />
          </div>
          <div className="compare-actions">
            <span className="hint">
              {changed} of {comparison.players.length} players changed their output
            </span>
            <button type="button" onClick={() => window.print()} data-testid="compare-print">
              Print…
            </button>
          </div>
          {comparison.players.map((p) => (
            <PlayerRow key={p.player} p={p} />
          ))}
          <h3>What changed in the score</h3>
          <ScoreChanges changes={comparison.score_changes} />
        </div>
      </Modal>
    </div>,
    document.body,
  );
}
