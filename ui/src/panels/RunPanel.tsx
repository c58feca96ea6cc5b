/**
 * Conduct: the performance's timeline and the conductor's hands (pause, step, cut off, answer,
 * re-cue a player, edit a player's output before it is handed on), and the performances
 * recorded before, which open for replay or, when interrupted, resume here.
 */
import { useState } from "react";
import { useStore } from "zustand";
import type { Command } from "../bindings/Command";
import type { TempoMode } from "../bindings/TempoMode";
import { notify } from "../app/notices";
import { forkPerformance } from "../app/fork";
import { endedWith } from "../app/outcome";
import { pacedPerformance } from "../app/pace";
import { clearPerformance } from "../app/performance";
import { replay } from "../app/replay";
import { backToLive, scrub, scrubLive } from "../app/scrub";
import { useDocument } from "../app/studio";
import { errorMessage, ipc } from "../ipc";
import { cueKey } from "../score/keys";
import { CompareView } from "./CompareView";
import { Lanes } from "./Lanes";
import { Meters } from "./Meters";
import { Performances, ReplayView } from "./Performances";
import { PlayerTable } from "./PlayerTable";
import { Timeline } from "./Timeline";
import { ToolApprovals } from "./ToolApprovals";
import { ToolCalls } from "./ToolCalls";

type View = "live" | "past";

export function RunPanel() {
  const [view, setView] = useState<View>("live");
  const replaying = useStore(replay, (r) => r.current !== null);
  return (
    <section className="run-panel" aria-label="Performance" data-testid="run-panel">
      <div className="segmented" role="tablist" aria-label="Performances">
        {(
          [
            ["live", "This performance"],
            ["past", "Past performances"],
          ] as [View, string][]
        ).map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={view === id}
            className={view === id ? "active" : ""}
            onClick={() => setView(id)}
            data-testid={`run-view-${id}`}
          >
            {label}
          </button>
        ))}
      </div>
      {view === "live" ? <LiveRun /> : replaying ? <ReplayView onLive={() => setView("live")} /> : <Performances onResumed={() => setView("live")} />}
      <CompareView />
    </section>
  );
}

function LiveRun() {
  // Streamed progress reaches the panel a few times a second; anything else at once (pace.ts).
  const perf = useStore(pacedPerformance);
  const path = useDocument((s) => s.path);
  const scrubbedAt = useStore(scrub, (s) => s.at);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const send = async (command: Command): Promise<boolean> => {
    if (!perf.id) return false;
    try {
      if (await ipc.conduct(perf.id, command)) return true;
      notify("The performance has already ended.", "error");
    } catch (error) {
      notify(`The conductor did not take it: ${errorMessage(error)}`, "error");
    }
    return false;
  };
  if (!perf.id && !perf.running && perf.events.length === 0) {
    return (
      <p className="empty">
        Nothing performed yet. Press <strong>Perform</strong> in the toolbar; with “rehearsal” on, no model is called
        and no program runs.
      </p>
    );
  }
  const ended = Object.entries(perf.live).filter(([, live]) => live.state === "finished" || live.state === "failed");
  const fork = (player: string, current: boolean) => {
    if (perf.id) void forkPerformance({ id: perf.id, offline: perf.offline }, player, current ? path : null);
  };
  return (
    <>
      <div className="run-controls">
        <span className={`run-status ${perf.running ? (perf.paused ? "paused" : "running") : "ended"}`} data-testid="run-status">
          {perf.running ? (perf.paused ? "paused" : "playing") : (endedWith(perf.events) ?? (perf.outcome ? perf.outcome.replace("_", " ") : "ended"))}
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
        <label className="tempo-choice" title="Who releases the cues from now on: the conductor, you one step at a time, or you at every cue">
          Tempo
          <select
            value={perf.tempo}
            disabled={!perf.running}
            onChange={(e) => void send({ type: "set_tempo", mode: e.target.value as TempoMode })}
            data-testid="tempo-select"
          >
            <option value="autonomous">autonomous</option>
            <option value="step">step</option>
            <option value="checkpoints">checkpoints</option>
          </select>
        </label>
        {!perf.running && (
          <button type="button" onClick={clearPerformance}>
            Clear
          </button>
        )}
      </div>
      {perf.forked && (
        <p className="hint" data-testid="forked-from">
          Re-run of {perf.forked.from.slice(0, 8)} from {perf.forked.player}: the players before it are carried over.
        </p>
      )}
      <Meters />
      {perf.checkpoints.map((c) => (
        <div className="waiting" key={cueKey(c)}>
          Checkpoint {c.from} → {c.to}:
          <button type="button" onClick={() => void send({ type: "checkpoint", from: c.from, to: c.to, approve: true, note: null })}>
            Approve
          </button>
          <button type="button" onClick={() => void send({ type: "checkpoint", from: c.from, to: c.to, approve: false, note: null })}>
            Reject
          </button>
        </div>
      ))}
      <ToolApprovals events={perf.events} send={send} />
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
      {perf.running && ended.length > 0 && (
        <div className="played" data-testid="played">
          <h3>Played</h3>
          <ul>
            {ended.map(([player, live]) => (
              <PlayedPlayer key={player} player={player} failed={live.state === "failed"} edited={live.edited === true} output={perf.outputs[player] ?? ""} send={send} />
            ))}
          </ul>
        </div>
      )}
      <Lanes events={perf.events} playhead={scrubbedAt} onScrub={scrubLive} live={perf.running} />
      {scrubbedAt !== null && (
        <p className="hint scrub-note" data-testid="scrub-note">
          The canvas shows the moment you picked.{" "}
          <button type="button" className="link" onClick={backToLive} data-testid="back-to-live">
            Back to live
          </button>
        </p>
      )}
      <PlayerTable
        players={Object.keys(perf.live)}
        live={perf.live}
        running={perf.running}
        onRecue={(player) => void send({ type: "recue", player })}
        onFork={fork}
      />
      <ToolCalls events={perf.events} />
      <h3 className="run-heading">Events</h3>
      <Timeline events={perf.events} />
    </>
  );
}

type PlayedProps = { player: string; failed: boolean; edited: boolean; output: string; send: (c: Command) => Promise<boolean> };

/** A player that has played: play it again, or change what it hands on. */
function PlayedPlayer({ player, failed, edited, output, send }: PlayedProps) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <li data-testid={`played-${player}`}>
      <div className="played-row">
        <span className="played-name">
          {player}
          {failed ? <span className="state state-failed"> failed</span> : edited ? <span className="hint"> (edited)</span> : null}
        </span>
        <button type="button" onClick={() => void send({ type: "recue", player })} title="Play this part again with the same inputs" data-testid={`recue-${player}`}>
          Re-cue
        </button>
        {!failed && (
          <button type="button" onClick={() => setDraft(output)} disabled={draft !== null} title="Change the output before it is handed on" data-testid={`edit-output-${player}`}>
            Edit output
          </button>
        )}
      </div>
      {draft !== null && (
        <div className="edit-output">
          <textarea aria-label={`Output of ${player}`} rows={6} value={draft} onChange={(e) => setDraft(e.target.value)} data-testid={`output-${player}`} />
          <div className="actions">
            <button
              type="button"
              className="primary"
              onClick={() => void send({ type: "edit_output", player, output: draft }).then((ok) => ok && setDraft(null))}
              data-testid={`hand-on-${player}`}
            >
              Hand on this output
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </li>
  );
}
