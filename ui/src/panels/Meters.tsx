/**
 * Budget meters: time, tokens and cost used so far against the score's budgets, live. A budget
 * the score does not set shows what was used without a bar. Tokens streaming now count as they
 * arrive; a finished attempt counts its input and output as the instrument reported them.
 */
import { memo, useEffect, useState } from "react";
import { useStore } from "zustand";
import type { Tempo } from "../bindings/Tempo";
import { dollars, usedBy } from "../app/cost";
import { pacedPerformance } from "../app/pace";
import { useDocument } from "../app/studio";

function Meter({ name, used, limit, text, testId }: { name: string; used: number; limit: number | undefined; text: string; testId: string }) {
  const share = limit ? Math.min(used / limit, 1) : 0;
  const level = !limit ? "" : used >= limit ? " over" : share >= 0.8 ? " near" : "";
  return (
    <div className={`meter${level}`} data-testid={testId}>
      <span className="meter-name">{name}</span>
      {limit ? (
        <div className="meter-bar" role="meter" aria-label={`${name} used`} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={Math.min(used, limit)}>
          <div className="meter-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </div>
      ) : (
        <div className="meter-bar none" title="The score sets no budget for this" />
      )}
      <span className="meter-text">{text}</span>
    </div>
  );
}

function MetersView({ tempo }: { tempo: Tempo | undefined }) {
  const events = useStore(pacedPerformance, (p) => p.events);
  const running = useStore(pacedPerformance, (p) => p.running);
  // Tokens of attempts still streaming: counted once the attempt ends, shown as they arrive (a
  // few times a second, see pace.ts).
  const streaming = useStore(pacedPerformance, (p) => Object.values(p.live).reduce((sum, l) => sum + (l.state === "playing" ? l.tokens : 0), 0));
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  const start = events.find((e) => e.type === "performance_started")?.at_ms;
  const last = events[events.length - 1];
  // The finish is the last event of a performance; a resumed stretch starts after it.
  const finish = last?.type === "performance_finished" ? last : undefined;
  const { tokens, cost } = usedBy(events);
  const elapsed = start === undefined ? 0 : finish ? finish.elapsed_ms : Math.max((running ? now : last.at_ms) - start, 0);
  const totalTokens = finish ? Math.max(tokens, finish.usage.input_tokens + finish.usage.output_tokens) : tokens + streaming;
  const totalCost = finish ? finish.cost_usd : cost;
  const wall = tempo?.max_wall_secs;
  return (
    <div className="meters" data-testid="meters">
      <Meter name="Time" used={elapsed / 1000} limit={wall} text={`${(elapsed / 1000).toFixed(1)} s${wall ? ` of ${wall} s` : ""}`} testId="meter-time" />
      <Meter
        name="Tokens"
        used={totalTokens}
        limit={tempo?.max_tokens}
        text={`${totalTokens.toLocaleString()}${tempo?.max_tokens ? ` of ${tempo.max_tokens.toLocaleString()}` : ""}`}
        testId="meter-tokens"
      />
      <Meter name="Cost" used={totalCost} limit={tempo?.max_cost_usd} text={`${dollars(totalCost)}${tempo?.max_cost_usd ? ` of ${dollars(tempo.max_cost_usd)}` : ""}`} testId="meter-cost" />
    </div>
  );
}

const MemoMeters = memo(MetersView);

/** The meters of the live performance against the open score's budgets. */
export function Meters() {
  const tempo = useDocument((s) => s.score?.tempo);
  return <MemoMeters tempo={tempo} />;
}
