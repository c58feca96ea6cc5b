/**
 * Each player of a performance in one row: how it stands, its choruses, tokens and cost, and the
 * shared-context version it played from. A player that played from an older version than the
 * open score's is "off the score": it can be played again with the current score (re-cued while
 * the performance is live; re-run from it as a new performance once it has ended). Any player
 * that has played can be the point a finished performance is re-run from.
 */
import { memo, useRef } from "react";
import { useStore } from "zustand";
import type { Live } from "../app/performance";
import { dollars } from "../app/cost";
import { isOffScore } from "../app/offscore";
import { validation } from "../app/validation";
import { shortVersion } from "../score/version";

type Props = {
  players: string[];
  live: Record<string, Live>;
  /** The performance still plays: re-cue instead of re-running. */
  running: boolean;
  onRecue?: (player: string) => void;
  /** `current`: play the score as it is now, not as it was recorded. */
  onFork?: (player: string, current: boolean) => void;
};

// One formatter for every row: `toLocaleString` builds one per call, fifty a redraw.
const COUNT = new Intl.NumberFormat();

const STATE_WORDS: Record<string, string> = { carried: "carried over", asking: "asks you" };

export function PlayerTable({ players, live, running, onRecue, onFork }: Props) {
  const current = useStore(validation, (v) => v.badge?.version);
  // The rows call the latest handlers without taking them as props, so a row redraws only when
  // its own player's state changes: a streamed token redraws one row, not fifty.
  const hands = useRef({ onRecue, onFork });
  hands.current = { onRecue, onFork };
  return (
    <table className="player-table" data-testid="player-table">
      <thead>
        <tr>
          <th>Player</th>
          <th>State</th>
          <th title="Output tokens">Tokens</th>
          <th>Cost</th>
          <th title="The shared-context version it played from">Context</th>
        </tr>
      </thead>
      <tbody>
        {players.map((player) => (
          <Row key={player} player={player} l={live[player]} current={current} running={running} canRecue={!!onRecue} canFork={!!onFork} hands={hands} />
        ))}
      </tbody>
    </table>
  );
}

type Hands = { current: Pick<Props, "onRecue" | "onFork"> };
type RowProps = { player: string; l: Live | undefined; current: string | undefined; running: boolean; canRecue: boolean; canFork: boolean; hands: Hands };

const Row = memo(function Row({ player, l, current, running, canRecue, canFork, hands }: RowProps) {
  const off = isOffScore(l, current);
  const played = l && l.state !== "waiting" && l.state !== "playing" && l.state !== "asking";
  // A second line under the player holds what can be done with it, when anything can.
  const actions = off ? (running ? canRecue : canFork) : played && !running && canFork;
  return (
    <>
      <tr className={off ? "off-score" : ""} data-testid={`row-${player}`}>
        <td className="player-cell" title={player}>
          {player}
        </td>
        <td>
          <span className={`state state-${l?.state ?? "waiting"}`} title={l?.detail}>
            {STATE_WORDS[l?.state ?? ""] ?? l?.state ?? "waiting"}
            {l && l.chorus > 1 ? ` ×${l.chorus}` : ""}
          </span>
        </td>
        <td className="num">{l?.tokens ? COUNT.format(l.tokens) : ""}</td>
        <td className="num" data-testid={`cost-${player}`}>
          {l && l.state !== "waiting" && l.state !== "carried" ? dollars(l.cost ?? 0) : ""}
        </td>
        <td>
          {l?.context && <code title={l.context}>{shortVersion(l.context)}</code>}
          {off && (
            <span className="off-tag" title={`Played from context ${shortVersion(l?.context ?? "")}; the score's is ${shortVersion(current ?? "")}`} data-testid={`off-score-${player}`}>
              off the score
            </span>
          )}
        </td>
      </tr>
      {actions && (
        <tr className={`row-actions${off ? " off-score" : ""}`}>
          <td colSpan={5}>
            {off && running && canRecue && (
              <button type="button" className="link" onClick={() => hands.current.onRecue?.(player)} data-testid={`recue-current-${player}`}>
                Re-cue with the current score
              </button>
            )}
            {off && !running && canFork && (
              <button type="button" className="link" onClick={() => hands.current.onFork?.(player, true)} title="A new performance that plays it, and what follows it, with the score as it is now" data-testid={`recue-current-${player}`}>
                Re-cue with the current score
              </button>
            )}
            {!off && played && !running && canFork && (
              <button type="button" className="link" onClick={() => hands.current.onFork?.(player, false)} title="A new performance that keeps what came before this player and plays it and what follows it" data-testid={`fork-${player}`}>
                Re-run from here
              </button>
            )}
          </td>
        </tr>
      )}
    </>
  );
});
