// Scores the browser tests open through the mock shell.
export const LOOP_PATH = "/scores/loop.score.toml";

export function loopScore() {
  return {
    format: 1,
    title: "Parser with review loop",
    intent: { goal: "Ship a TOML parser", why: "Scores must load" },
    sections: [
      { id: "build", name: "Build", zone: "integrator", position: { x: 0, y: 0 }, size: { width: 300, height: 200 } },
      { id: "check", name: "Check", zone: "improver", position: { x: 420, y: 0 }, size: { width: 560, height: 240 } },
    ],
    players: [
      { id: "coder", name: "Coder", section: "build", position: { x: 50, y: 70 }, part: "Write the parser.", instrument: { kind: "rehearsal" } },
      { id: "reviewer", name: "Reviewer", section: "check", position: { x: 460, y: 70 }, part: "Review it.", instrument: { kind: "rehearsal" } },
      { id: "tester", name: "Tester", zone: "stabilizer", position: { x: 460, y: 380 }, part: "Test it.", instrument: { kind: "rehearsal" } },
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
    instrument: { kind: "rehearsal" },
  }));
  const edges = [];
  for (let i = 0; edges.length < cues; i++) {
    const from = i % players;
    const step = 1 + Math.floor(i / players) * cols;
    const to = (from + step) % players;
    if (to > from) edges.push({ from: `p${from}`, to: `p${to}` });
    if (i > cues * 10) break;
  }
  return { format: 1, title: "Big ensemble", intent: { goal: "Stress the canvas" }, players: list, cues: edges };
}
