/** Conduct: the performance's timeline and the conductor's hands (pause, step, cut off, answer). */
import { useState } from "react";
import { useStore } from "zustand";
import type { Command } from "../bindings/Command";
import type { Event } from "../bindings/Event";
import { notify } from "../app/notices";
import { clearPerformance, performance } from "../app/performance";
import { errorMessage, ipc } from "../ipc";
import { shortVersion } from "../score/version";

function describe(event: Event): string {
  switch (event.type) {
    case "performance_started":
      return `started “${event.title}”${event.offline ? " offline (rehearsal)" : ""}, context ${shortVersion(event.context_version)}`;
    case "player_cued":
      return `${event.player} cued${event.chorus > 1 ? ` (chorus ${event.chorus})` : ""} on ${event.instrument}`;
    case "player_retrying":
      return `${event.player} retries (attempt ${event.attempt}): ${event.reason}`;
    case "player_finished":
      return `${event.player} finished (${event.usage.output_tokens} tokens)`;
    case "player_failed":
      return `${event.player} failed: ${event.error}`;
    case "player_skipped":
      return `${event.player} skipped: ${event.reason}`;
    case "human_waiting":
      return `${event.player} asks: ${event.question}`;
    case "cue_fired":
      return `cue ${event.from} → ${event.to} fired (${event.count})`;
    case "cue_held":
      return `cue ${event.from} → ${event.to} held: ${event.reason}`;
    case "checkpoint_waiting":
      return `checkpoint ${event.from} → ${event.to} waits for you`;
    case "checkpoint_resolved":
      return `checkpoint ${event.from} → ${event.to} ${event.approved ? "approved" : "rejected"}`;
    case "output_edited":
      return `${event.player}'s output edited`;
    case "paused":
      return "paused";
    case "resumed":
      return "resumed";
    case "stepped":
      return `stepped: ${event.player}`;
    case "budget_exceeded":
      return `${event.budget} budget exceeded (${event.used} of ${event.limit})`;
    case "performance_finished":
      return `finished: ${event.outcome.replace("_", " ")}${event.reason ? ` — ${event.reason}` : ""}`;
    case "token":
      return `${event.player}: ${event.text}`;
  }
}

export function RunPanel() {
  const perf = useStore(performance);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const send = async (command: Command) => {
    if (!perf.id) return;
    try {
      await ipc.conduct(perf.id, command);
    } catch (error) {
      notify(`The conductor did not take it: ${errorMessage(error)}`, "error");
    }
  };
  if (!perf.id && !perf.running && perf.events.length === 0) {
    return (
      <p className="empty">
        Nothing performed yet. Press <strong>Perform</strong> in the toolbar; with “offline (rehearsal)” on, no model is
        called.
      </p>
    );
  }
  return (
    <section className="run-panel" aria-label="Performance" data-testid="run-panel">
      <div className="run-controls">
        <span className={`run-status ${perf.running ? (perf.paused ? "paused" : "running") : "ended"}`} data-testid="run-status">
          {perf.running ? (perf.paused ? "paused" : "playing") : perf.outcome ? perf.outcome.replace("_", " ") : "ended"}
          {perf.offline ? " · rehearsal" : ""}
        </span>
        <button type="button" disabled={!perf.running || perf.paused} onClick={() => void send({ type: "pause" })}>
          Pause
        </button>
        <button type="button" disabled={!perf.running || !perf.paused} onClick={() => void send({ type: "resume" })}>
          Resume
        </button>
        <button type="button" disabled={!perf.running} onClick={() => void send({ type: "step" })}>
          Step
        </button>
        <button type="button" className="danger" disabled={!perf.running} onClick={() => void send({ type: "cut_off" })}>
          Cut off
        </button>
        {!perf.running && (
          <button type="button" onClick={clearPerformance}>
            Clear
          </button>
        )}
      </div>
      {perf.checkpoints.map((c) => (
        <div className="waiting" key={`${c.from}->${c.to}`}>
          Checkpoint {c.from} → {c.to}:
          <button type="button" onClick={() => void send({ type: "checkpoint", from: c.from, to: c.to, approve: true, note: null })}>
            Approve
          </button>
          <button type="button" onClick={() => void send({ type: "checkpoint", from: c.from, to: c.to, approve: false, note: null })}>
            Reject
          </button>
        </div>
      ))}
      {perf.questions.map((q) => (
        <div className="waiting" key={q.player}>
          <div>
            <strong>{q.player}</strong> asks: {q.question}
          </div>
          <textarea
            aria-label={`Answer to ${q.player}`}
            rows={2}
            value={answers[q.player] ?? ""}
            onChange={(e) => setAnswers({ ...answers, [q.player]: e.target.value })}
          />
          <button type="button" onClick={() => void send({ type: "answer", player: q.player, text: answers[q.player] ?? "" })}>
            Answer
          </button>
        </div>
      ))}
      <ol className="timeline" data-testid="timeline">
        {perf.events.slice(-200).map((e) => (
          <li key={e.seq} className={`ev ev-${e.type}`}>
            <span className="seq">{e.seq}</span> {describe(e)}
          </li>
        ))}
      </ol>
    </section>
  );
}
