import { describe, expect, it } from "vitest";
import type { Live } from "../app/performance";
import { pacedLive } from "./streamed";

function playing(tokens: number): Live {
  return { state: "playing", chorus: 1, tokens, preview: `${tokens} tokens` };
}

/** A paced source whose frames are run by hand, with a count of each player's redraws. */
function setUp(players: string[]) {
  const frames: (() => void)[] = [];
  const source = pacedLive((callback) => frames.push(callback));
  const redraws = new Map(players.map((p) => [p, 0]));
  for (const p of players) source.subscribe(p, () => redraws.set(p, (redraws.get(p) ?? 0) + 1));
  const frame = () => {
    const due = frames.splice(0, frames.length);
    for (const callback of due) callback();
  };
  return { source, redraws, frame, frames };
}

describe("the player nodes' live state, streamed progress spread over frames", () => {
  const players = Array.from({ length: 12 }, (_, i) => `p${i + 1}`);

  it("shows a change of state at once and spreads streamed progress over about six frames", () => {
    const { source, redraws, frame } = setUp(players);
    let tokens = 0;
    const picture = () => Object.fromEntries(players.map((p) => [p, playing(tokens)]));
    source.show(picture());
    // Cued: every node redraws now.
    expect([...redraws.values()]).toEqual(players.map(() => 1));

    // Every frame brings a token to everyone; each frame shows two of the twelve (a sixth).
    for (let f = 0; f < 6; f++) {
      tokens++;
      source.show(picture());
      frame();
      expect([...redraws.values()].reduce((a, b) => a + b, 0)).toBe(players.length + 2 * (f + 1));
    }
    // After six frames every node has been redrawn once more, the first ones with older counts.
    expect([...redraws.values()]).toEqual(players.map(() => 2));
    expect(source.get("p1")?.tokens).toBe(1);
    expect(source.get("p12")?.tokens).toBe(6);
  });

  it("shows the newest state once the stream stops, and an end at once", () => {
    const { source, frame, frames } = setUp(players);
    source.show(Object.fromEntries(players.map((p) => [p, playing(0)])));
    source.show(Object.fromEntries(players.map((p) => [p, playing(40)])));
    for (let f = 0; f < 6; f++) frame();
    expect(players.map((p) => source.get(p)?.tokens)).toEqual(players.map(() => 40));
    // Nothing waits, so no frame is asked for.
    expect(frames).toHaveLength(0);

    source.show(Object.fromEntries(players.map((p) => [p, playing(41)])));
    const ended: Record<string, Live> = Object.fromEntries(players.map((p) => [p, { state: "finished", chorus: 1, tokens: 42, preview: "done" }]));
    source.show(ended);
    expect(players.map((p) => source.get(p))).toEqual(players.map((p) => ended[p]));
    // A player that leaves the picture (a new performance) is dropped at once.
    source.show({});
    expect(source.get("p1")).toBeUndefined();
  });
});
