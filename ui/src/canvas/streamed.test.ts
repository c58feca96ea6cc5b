import { describe, expect, it } from "vitest";
import type { Live } from "../app/performance";
import { pacedLive } from "./streamed";

function playing(tokens: number): Live {
  return { state: "playing", chorus: 1, tokens, preview: `${tokens} tokens` };
}

/** A paced source whose frames are run by hand, with a count of each player's redraws. */
function setUp(count: number) {
  const players = Array.from({ length: count }, (_, i) => `p${i + 1}`);
  const frames: (() => void)[] = [];
  const source = pacedLive((callback) => frames.push(callback));
  const redraws = new Map(players.map((p) => [p, 0]));
  const lastRedraw = new Map(players.map((p) => [p, 0]));
  let frameNo = 0;
  for (const p of players)
    source.subscribe(p, () => {
      redraws.set(p, (redraws.get(p) ?? 0) + 1);
      lastRedraw.set(p, frameNo);
    });
  const frame = () => {
    frameNo++;
    const due = frames.splice(0, frames.length);
    for (const callback of due) callback();
  };
  const picture = (tokens: number) => Object.fromEntries(players.map((p) => [p, playing(tokens)]));
  const total = () => [...redraws.values()].reduce((a, b) => a + b, 0);
  return { players, source, redraws, lastRedraw, frame, frames, picture, total, now: () => frameNo };
}

describe("the player nodes' live state, streamed progress spread over frames", () => {
  it("shows a change of state at once, and streamed progress four nodes a frame, longest waiting first", () => {
    const { players, source, redraws, frame, picture, total } = setUp(12);
    source.show(picture(0));
    // Cued: every node redraws now.
    expect([...redraws.values()]).toEqual(players.map(() => 1));

    // Every frame brings a token to everyone; each frame shows four of the twelve.
    for (let f = 1; f <= 3; f++) {
      source.show(picture(f));
      frame();
      expect(total()).toBe(12 + 4 * f);
    }
    // After three frames every node has been redrawn once more, the first ones with older counts.
    expect([...redraws.values()]).toEqual(players.map(() => 2));
    expect(source.get("p1")?.tokens).toBe(1);
    expect(source.get("p12")?.tokens).toBe(3);
  });

  it("keeps any node from waiting more than fifteen frames, however many stream", () => {
    const { players, source, lastRedraw, frame, picture, total, now } = setUp(100);
    source.show(picture(0));
    let longest = 0;
    for (let f = 1; f <= 45; f++) {
      source.show(picture(f));
      frame();
      for (const p of players) longest = Math.max(longest, now() - (lastRedraw.get(p) ?? 0));
    }
    expect(longest).toBeLessThanOrEqual(15);
    // About seven a frame (a hundred over fifteen frames), not a hundred.
    expect(total() - 100).toBeLessThanOrEqual(45 * 7 + 15);
  });

  it("shows the newest state once the stream stops, and an end at once", () => {
    const { players, source, frame, frames, picture } = setUp(12);
    source.show(picture(0));
    source.show(picture(40));
    for (let f = 0; f < 3; f++) frame();
    expect(players.map((p) => source.get(p)?.tokens)).toEqual(players.map(() => 40));
    // Nothing waits, so no frame is asked for.
    expect(frames).toHaveLength(0);

    source.show(picture(41));
    const ended: Record<string, Live> = Object.fromEntries(players.map((p) => [p, { state: "finished", chorus: 1, tokens: 42, preview: "done" }]));
    source.show(ended);
    expect(players.map((p) => source.get(p))).toEqual(players.map((p) => ended[p]));
    // A player that leaves the picture (a new performance) is dropped at once.
    source.show({});
    expect(source.get("p1")).toBeUndefined();
  });
});
