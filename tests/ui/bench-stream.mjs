// Streaming benchmark: a recorded performance (`ensemble run --events`) played into the studio in
// Chromium at the pace it was recorded, the mock shell sending what was recorded at most once a
// frame as the shell does. Reports the frame interval (requestAnimationFrame) and the work each
// message added to its frame (fold, render, layout), beside the frame interval of the same page
// for a few seconds before it performs (what the machine misses with nothing to draw), and
// checks that every event arrived, in order: each player's token count and the end of its
// streamed text on the canvas.
//
//   node tests/ui/bench-stream.mjs EVENTS.jsonl   (bench/stream-window.sh records one)
import { readFileSync } from "node:fs";
import { emptyParts, MOCK_CONTEXT } from "./fixtures.mjs";
import { launch, mockState, openStudio, serveDist, shot } from "./harness.mjs";

const [eventsFile] = process.argv.slice(2);
if (!eventsFile) throw new Error("usage: node tests/ui/bench-stream.mjs EVENTS.jsonl");
const recorded = readFileSync(eventsFile, "utf8").trim().split("\n").map((line) => JSON.parse(line));
// The score as the studio holds it: the recorded players, in a grid of ten a row, as bench/stream-window.sh places them.
const ids = recorded[0].players;
const score = {
  format: 1,
  title: recorded[0].title,
  intent: { goal: "Stream fast" },
  ...emptyParts(),
  players: ids.map((id, i) => ({
    id,
    name: id,
    zone: "improver",
    position: { x: (i % 10) * 260, y: Math.floor(i / 10) * 160 },
    part: "Stream.",
    instrument: { kind: "rehearsal", verdicts: [] },
  })),
};
// The mock starts the performance itself; the recording goes on from its first cue. The players
// played from the shared context of the score the studio has open (the mock's version of it),
// as they would in the app, so no node is marked "off the score".
const stream = recorded
  .filter((e) => e.type !== "performance_started")
  .map((e) => (e.context_version === undefined ? e : { ...e, context_version: MOCK_CONTEXT }));
const seconds = (stream[stream.length - 1].at_ms - stream[0].at_ms) / 1000;

const tokens = new Map();
const streamed = new Map();
for (const e of recorded) {
  if (e.type !== "token") continue;
  tokens.set(e.player, (tokens.get(e.player) ?? 0) + 1);
  streamed.set(e.player, (streamed.get(e.player) ?? "") + e.text);
}
for (let i = 1; i < recorded.length; i++) {
  if (recorded[i].seq !== recorded[i - 1].seq + 1) throw new Error(`the recording has a gap or is out of order at seq ${recorded[i].seq}`);
}

const IDLE_SECONDS = 5;
/** A frame later than this was missed at 60 Hz. */
const FRAME_MS = 17;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

const server = await serveDist();
const chromium = await launch({ width: 1400, height: 860 });
try {
  const { page, errors, close } = await openStudio(chromium.browser, server.url, {
    startup: { initial_path: "/bench/stream.score.toml" },
    files: { "/bench/stream.score.toml": score },
    stream,
    paced: true,
  });
  await page.waitForSelector(".react-flow__node-player");
  await page.keyboard.press("f");
  // Frame intervals from requestAnimationFrame, from one call to the next stop.
  const startFrames = () =>
    page.evaluate(() => {
      const run = (window.__framesRun = (window.__framesRun ?? 0) + 1);
      window.__intervals = [];
      let last = null;
      const tick = (t) => {
        if (last !== null) window.__intervals.push(t - last);
        last = t;
        if (window.__framesRun === run) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
  const stopFrames = () =>
    page.evaluate(() => {
      window.__framesRun += 1;
      return window.__intervals;
    });
  // The same page with nothing happening first: the frames a loaded machine misses on its own.
  await startFrames();
  await page.waitForTimeout(IDLE_SECONDS * 1000);
  const idle = await stopFrames();
  await startFrames();
  await page.click('[data-testid="perform"]');
  await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")', { timeout: (seconds + 60) * 1000 });
  const intervals = await stopFrames();
  await shot(page, "bench-stream");
  const { messages, frameWork } = await mockState(page);

  // Every token arrived, in order: the count and the end of the text on each player's node.
  let checked = 0;
  for (const [player, count] of tokens) {
    const node = await page.textContent(`[data-testid="player-${player}"]`);
    // A finished node shows the player's output tokens (a rehearsal streams one a piece) and the tail of its output.
    if (!node.includes(`${count} tok`)) throw new Error(`${player}: the canvas does not show its ${count} tokens: ${node}`);
    const tail = streamed.get(player).slice(-40).trim();
    if (!node.replace(/\s+/g, " ").includes(tail.replace(/\s+/g, " "))) throw new Error(`${player}: the canvas does not end with its last streamed text`);
    checked++;
  }
  const sent = messages.reduce((a, b) => a + b, 0);
  if (sent !== stream.length + 1) throw new Error(`the mock sent ${sent} events, the recording has ${stream.length + 1}`);
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);

  const result = {
    events: recorded.length,
    tokens: [...tokens.values()].reduce((a, b) => a + b, 0),
    players: tokens.size,
    seconds: Number(seconds.toFixed(1)),
    messages: messages.length,
    eventsPerMessage: { p50: percentile(messages, 50), max: Math.max(...messages) },
    frameIntervalMs: { p50: percentile(intervals, 50), p95: percentile(intervals, 95), p99: percentile(intervals, 99) },
    longFrames: intervals.filter((t) => t > 25).length,
    frames: intervals.length,
    missedFrames: `${((100 * intervals.filter((t) => t > FRAME_MS).length) / intervals.length).toFixed(1)}%`,
    idleFrameIntervalMs: { p50: percentile(idle, 50), p95: percentile(idle, 95), missed: `${((100 * idle.filter((t) => t > FRAME_MS).length) / idle.length).toFixed(1)}%` },
    workPerMessageMs: { p50: percentile(frameWork, 50), p95: percentile(frameWork, 95), max: Math.max(...frameWork) },
    playersChecked: checked,
  };
  console.log(JSON.stringify(result, null, 2));
  await close();
} finally {
  await chromium.close();
  await server.close();
}
