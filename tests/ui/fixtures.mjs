// Scores the browser tests open through the mock shell. They carry every list and table a score
// has, as the shell sends them (an empty list is sent, never left out).
import { readFileSync } from "node:fs";

/** An offline stand-in instrument. */
export function rehearsal(verdicts = []) {
  return { kind: "rehearsal", verdicts };
}

/** What a score without shared context, tempo, sections, players or cues holds. */
export function emptyParts() {
  return { context: { files: [] }, tempo: {}, sections: [], players: [], cues: [] };
}

export const LOOP_PATH = "/scores/loop.score.toml";

export function loopScore() {
  return {
    format: 1,
    title: "Parser with review loop",
    intent: { goal: "Ship a TOML parser", why: "Scores must load" },
    ...emptyParts(),
    sections: [
      { id: "build", name: "Build", zone: "integrator", position: { x: 0, y: 0 }, size: { width: 300, height: 200 } },
      { id: "check", name: "Check", zone: "improver", position: { x: 420, y: 0 }, size: { width: 560, height: 240 } },
    ],
    players: [
      { id: "coder", name: "Coder", section: "build", position: { x: 50, y: 70 }, part: "Write the parser.", instrument: rehearsal() },
      { id: "reviewer", name: "Reviewer", section: "check", position: { x: 460, y: 70 }, part: "Review it.", instrument: rehearsal() },
      { id: "tester", name: "Tester", zone: "stabilizer", position: { x: 460, y: 380 }, part: "Test it.", instrument: rehearsal() },
    ],
    cues: [
      { from: "coder", to: "reviewer" },
      { from: "reviewer", to: "coder", when: "verdict", verdict: "CHANGES", max_repeats: 3 },
      { from: "reviewer", to: "tester" },
    ],
  };
}

/** A score with `players` players in a grid and `cues` cues between neighbours, for the benchmark. */
export function bigScore(players, cues) {
  const cols = 25;
  const zones = ["innovator", "integrator", "improver", "stabilizer"];
  const list = Array.from({ length: players }, (_, i) => ({
    id: `p${i}`,
    name: `Player ${i}`,
    zone: zones[i % 4],
    position: { x: (i % cols) * 280, y: Math.floor(i / cols) * 160 },
    part: `Part of player ${i}.`,
    instrument: rehearsal(),
  }));
  const edges = [];
  for (let i = 0; edges.length < cues; i++) {
    const from = i % players;
    const step = 1 + Math.floor(i / players) * cols;
    const to = (from + step) % players;
    if (to > from) edges.push({ from: `p${from}`, to: `p${to}` });
    if (i > cues * 10) break;
  }
  return { format: 1, title: "Big ensemble", intent: { goal: "Stress the canvas" }, ...emptyParts(), players: list, cues: edges };
}

export const TRIO_PATH = "/scores/feature-trio.score.toml";

/** The shape of assets/scores/feature-trio.score.toml: three sections side by side and regex verdicts. */
export function trioScore() {
  const section = (id, name, zone, x) => ({ id, name, zone, position: { x, y: 0 }, size: { width: 400, height: 300 } });
  const player = (id, name, section, x, y, part) => ({ id, name, section, position: { x, y }, part, instrument: rehearsal() });
  return {
    format: 1,
    title: "Feature trio",
    intent: { goal: "Add CSV export to the reports page." },
    ...emptyParts(),
    sections: [section("build", "Build", "integrator", 0), section("quality", "Quality", "improver", 460), section("delivery", "Delivery", "stabilizer", 920)],
    players: [
      player("coder", "Coder", "build", 120, 110, "You implement the feature described in the intent. Work in small, reviewable steps."),
      player("reviewer", "Reviewer", "quality", 520, 60, "You review the coder's change against the intent and its constraints."),
      player("tester", "Tester", "quality", 520, 180, "You write tests for the approved change."),
      player("documenter", "Documenter", "delivery", 980, 110, "You update the user guide for the approved change."),
    ],
    cues: [
      { from: "coder", to: "reviewer" },
      { from: "reviewer", to: "coder", when: "verdict", verdict: "(?m)^VERDICT: CHANGES REQUESTED", max_repeats: 3 },
      { from: "reviewer", to: "tester", when: "verdict", verdict: "(?m)^VERDICT: APPROVED" },
      { from: "reviewer", to: "documenter", when: "verdict", verdict: "(?m)^VERDICT: APPROVED" },
    ],
  };
}

export const PROGRAMS_PATH = "/scores/programs.score.toml";

/** A score from somewhere else whose checker runs a program on this machine. */
export function programsScore() {
  const score = loopScore();
  return {
    ...score,
    title: "Checks the build",
    players: [
      ...score.players,
      { id: "check", name: "Check", zone: "stabilizer", position: { x: 460, y: 560 }, part: "Run the checks.", instrument: { kind: "command", program: "make", args: ["check"], env: [] } },
    ],
  };
}

/**
 * Three performances of assets/scores/feature-trio.score.toml recorded by the engine offline
 * (`ensemble run --offline --events`): seed 1; seed 2 after the tester's part was changed; and a
 * fork of the second from the reviewer (`ensemble fork --from reviewer`). `comparison` is
 * `ensemble compare --previous --json` of the second. Their context version is the mock shell's,
 * so the open score's badge matches what they played from.
 */
export function trioPerformances() {
  const text = readFileSync(new URL("./fixtures/feature-trio.performances.json", import.meta.url), "utf8").replaceAll("sha256:e9c9ad13ccc829cf", MOCK_CONTEXT);
  return JSON.parse(text);
}

/** The shared-context version the mock shell's badge reports for every score. */
export const MOCK_CONTEXT = "sha256:c0ffee1234abcd5678";
