// Re-running a recorded performance from a player, and players off the score, in a real browser
// with the shell mocked. The recorded performances are the engine's (fixtures).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { MOCK_CONTEXT, TRIO_PATH, trioPerformances, trioScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1400, height: 900 });

const liveState = (page, id) => page.getAttribute(`[data-testid="player-${id}"]`, "class").then((c) => /live-(\w+)/.exec(c)?.[1] ?? "none");

async function openTrio(options) {
  const opened = await stage.open({ startup: { initial_path: TRIO_PATH }, files: { [TRIO_PATH]: trioScore() }, ...options });
  await opened.page.waitForSelector('[data-testid="player-coder"]');
  await opened.page.click('[data-testid="tab-run"]');
  return opened;
}

test("re-run from here on a past performance starts the fork through the shell and conducts it live, the players before it carried over", async () => {
  const { performances } = trioPerformances();
  const second = performances[1].summary;
  const { page, errors, close } = await openTrio({ performances });
  try {
    await page.click('[data-testid="run-view-past"]');
    await page.click(`[data-testid="performance-${second.id}"]`);
    await page.waitForSelector('[data-testid="replay"]');
    // The transcript lists every player with what it cost and the context it played from.
    assert.equal(await page.locator('[data-testid="player-table"] tbody tr[data-testid^="row-"]').count(), 4);
    assert.match(await page.textContent('[data-testid="row-coder"]'), /finished ×2.*\$0.*c0ffee12/);
    await page.click('[data-testid="fork-tester"]');

    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    const forks = (await mockState(page)).calls.filter((c) => c.cmd === "fork_performance");
    assert.equal(forks.length, 1);
    assert.equal(forks[0].args.id, second.id);
    assert.equal(forks[0].args.player, "tester");
    assert.equal(forks[0].args.offline, true, "a rehearsal is re-run as a rehearsal");
    assert.equal(forks[0].args.scorePath, null, "re-run from here plays the score recorded with the performance");
    assert.match(await page.textContent('[data-testid="forked-from"]'), new RegExp(`Re-run of ${second.id.slice(0, 8)} from tester`));
    // The mock carries the players before the tester in the recorded order and plays the rest.
    for (const id of ["coder", "reviewer"]) {
      assert.equal(await liveState(page, id), "carried");
      assert.match(await page.textContent(`[data-testid="player-${id}"]`), /carried over/);
      assert.match(await page.textContent(`[data-testid="row-${id}"]`), /carried over/);
    }
    for (const id of ["tester", "documenter"]) assert.equal(await liveState(page, id), "finished");
    assert.match(await page.textContent('[data-testid="timeline"]'), new RegExp(`coder carried over from ${second.id.slice(0, 8)}`));
    await shot(page, "fork-live");

    // The new performance is listed as a re-run of the one it came from.
    await page.click('[data-testid="run-view-past"]');
    await page.waitForSelector('[data-testid="forked-perf-1"]');
    assert.match(await page.textContent('[data-testid="forked-perf-1"]'), /re-run from tester/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

/** A performance still playing in which the coder was cued before the context changed. */
function offStream() {
  const usage = { input_tokens: 5, output_tokens: 3 };
  const old = "sha256:01d0000000000000";
  return [
    { type: "player_cued", player: "coder", chorus: 1, context_version: old, instrument: "rehearsal", rehearsal: true, handoffs: [] },
    { type: "player_finished", player: "coder", chorus: 1, output: "old code", usage, cost_usd: 0.0125, elapsed_ms: 4 },
    { type: "cue_fired", from: "coder", to: "reviewer", count: 1 },
    { type: "player_cued", player: "reviewer", chorus: 1, context_version: MOCK_CONTEXT, instrument: "rehearsal", rehearsal: true, handoffs: [] },
    { type: "player_retrying", player: "reviewer", attempt: 2, delay_ms: 10, reason: "rate limited", usage, cost_usd: 0.002 },
    { type: "player_finished", player: "reviewer", chorus: 1, output: "VERDICT: APPROVED", usage, cost_usd: 0.003, elapsed_ms: 4 },
  ];
}

test("a player cued with an older shared context is off the score on the canvas and in the run panel, and re-cues with the current score", async () => {
  const { page, errors, close } = await openTrio({ stream: offStream(), hold: true });
  try {
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="node-off-score-coder"]');
    assert.equal(await page.locator('[data-testid="node-off-score-reviewer"]').count(), 0, "the reviewer played from the score's context");
    assert.match(await page.getAttribute('[data-testid="player-coder"]', "class"), /off-score/);
    assert.match(await page.textContent('[data-testid="row-coder"]'), /01d00000.*off the score/);
    assert.equal(await page.locator('[data-testid="off-score-reviewer"]').count(), 0);
    // Cost per player counts the failed attempt: 0.002 + 0.003.
    assert.equal(await page.textContent('[data-testid="cost-reviewer"]'), "$0.0050");
    assert.equal(await page.textContent('[data-testid="cost-coder"]'), "$0.0125");
    await shot(page, "off-score-live");
    await page.click('[data-testid="recue-current-coder"]');
    await page.waitForSelector('[data-testid="timeline"] li:has-text("coder cued (chorus 2)")');
    const conducted = (await mockState(page)).calls.filter((c) => c.cmd === "conduct").map((c) => c.args.command);
    assert.deepEqual(conducted, [{ type: "recue", player: "coder" }]);
    // Cued again with the current context, it is on the score again.
    await page.waitForSelector('[data-testid="node-off-score-coder"]', { state: "detached" });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("in a finished performance, re-cue with the current score re-runs from that player with the score file as it is now", async () => {
  const { performances } = trioPerformances();
  const recorded = structuredClone(performances[0]);
  // The documenter played from a context the score no longer has.
  for (const e of recorded.events) if (e.type === "player_cued" && e.player === "documenter") e.context_version = "sha256:5ca1ab1e00000000";
  const { page, errors, close } = await openTrio({ performances: [recorded] });
  try {
    await page.click('[data-testid="run-view-past"]');
    await page.click(`[data-testid="performance-${recorded.summary.id}"]`);
    await page.waitForSelector('[data-testid="off-score-documenter"]');
    assert.equal(await page.locator('[data-testid^="off-score-"]').count(), 1);
    assert.equal(await page.locator('[data-testid="node-off-score-documenter"]').count(), 1, "the replay marks it on the canvas too");
    await page.click('[data-testid="recue-current-documenter"]');
    await page.waitForSelector('[data-testid="forked-from"]');
    const forks = (await mockState(page)).calls.filter((c) => c.cmd === "fork_performance");
    assert.deepEqual(forks.map((c) => [c.args.id, c.args.player, c.args.scorePath]), [[recorded.summary.id, "documenter", TRIO_PATH]]);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
