// Comparing two performances of a score, in a real browser with the shell mocked: the comparison
// is the one the engine made of two offline performances of the feature trio (fixtures).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { TRIO_PATH, trioPerformances, trioScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1400, height: 900 });

async function openPast(options) {
  const opened = await stage.open({ startup: { initial_path: TRIO_PATH }, files: { [TRIO_PATH]: trioScore() }, ...options });
  await opened.page.waitForSelector('[data-testid="player-coder"]');
  await opened.page.click('[data-testid="tab-run"]');
  await opened.page.click('[data-testid="run-view-past"]');
  await opened.page.waitForSelector('[data-testid="performances"]');
  return opened;
}

test("two ticked performances compare side by side: each player's stats, its output diffed word by word, the score diffed by line", async () => {
  const { performances, comparison } = trioPerformances();
  const [first, second, forked] = performances.map((p) => p.summary);
  // The trio has no tools; on the right, the coder is said to have made two calls.
  const coderRuns = comparison.players.find((p) => p.player === "coder");
  const withCalls = { ...comparison, players: comparison.players.map((p) => (p === coderRuns ? { ...p, right: { ...p.right, tool_calls: 2 } } : p)) };
  const { page, errors, close } = await openPast({ performances, comparisons: [withCalls] });
  try {
    // The list tells the honest outcome, the cost and which one is a re-run.
    assert.match(await page.textContent(`[data-testid="performance-${forked.id}"]`), /succeeded, 1 carried over/);
    assert.match(await page.textContent(`[data-testid="forked-${forked.id}"]`), /re-run from reviewer/);
    assert.match(await page.textContent(`[data-testid="performance-${first.id}"]`), /2,157 tokens · \$0/);

    await shot(page, "performances-list");
    assert.equal(await page.isDisabled('[data-testid="compare-ticked"]'), true);
    // Ticked newest first: the view still puts the earlier one on the left.
    await page.check(`[data-testid="pick-${second.id}"]`);
    await page.check(`[data-testid="pick-${first.id}"]`);
    await page.click('[data-testid="compare-ticked"]');
    await page.waitForSelector('[data-testid="compare"]');
    const calls = (await mockState(page)).calls.filter((c) => c.cmd === "compare_performances");
    assert.deepEqual(calls.map((c) => [c.args.left, c.args.right]), [[first.id, second.id]]);

    assert.match(await page.textContent('[data-testid="compare-left"]'), /Before[\s\S]*01M8T46M[\s\S]*succeeded · 3\.8 s · 2,157 tokens · \$0/);
    assert.match(await page.textContent('[data-testid="compare-right"]'), /After[\s\S]*01M8T46V[\s\S]*succeeded · 3\.7 s · 2,168 tokens/);
    // Only the tester's output changed (its part did); the coder looped twice on both sides.
    assert.match(await page.textContent('[data-testid="compare-player-tester"] h3'), /output changed/);
    assert.match(await page.textContent('[data-testid="compare-player-coder"] h3'), /same output/);
    assert.match(await page.textContent('[data-testid="compare-stats-left-coder"]'), /^finished · 2 choruses · /);
    assert.match(await page.textContent('[data-testid="compare-stats-right-coder"]'), / · 2 tool calls$/);
    assert.doesNotMatch(await page.textContent('[data-testid="compare-stats-left-coder"]'), /tool call/, "no calls, no mention");
    // Every deleted piece is struck on the left, every inserted one marked on the right, nothing else.
    const tester = comparison.players.find((p) => p.player === "tester");
    const deleted = tester.output_changes.filter((c) => c.kind === "delete").map((c) => c.text);
    const inserted = tester.output_changes.filter((c) => c.kind === "insert").map((c) => c.text);
    assert.equal(deleted.length, 14, "the engine's word diff of the tester's outputs has fourteen deletions");
    assert.deepEqual(await page.$$eval('[data-testid="compare-player-tester"] del', (els) => els.map((e) => e.textContent)), deleted);
    assert.deepEqual(await page.$$eval('[data-testid="compare-player-tester"] ins', (els) => els.map((e) => e.textContent)), inserted);
    assert.equal(await page.locator('[data-testid="compare-player-coder"] del, [data-testid="compare-player-coder"] ins').count(), 0);
    // The score: the tester's changed line, removed then added, with unchanged runs folded.
    const score = await page.textContent('[data-testid="score-changes"]');
    assert.match(score, /−You write tests for the approved change/);
    assert.match(score, /\+Test the empty report first, then quoting\./);
    assert.match(score, /… \d+ unchanged lines …/);
    await shot(page, "compare");

    // Printed, the page holds the comparison alone.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.isVisible('[data-testid="run-panel"]'), false);
    assert.equal(await page.isVisible('[data-testid="compare-player-tester"]'), true);
    await page.emulateMedia({ media: "screen" });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("compare with the previous finds the performance of the same score before it, and says when there is none", async () => {
  const { performances, comparison } = trioPerformances();
  const [first, second] = performances.map((p) => p.summary);
  const { page, errors, close } = await openPast({ performances, comparisons: [comparison] });
  try {
    await page.click(`[data-testid="compare-previous-${second.id}"]`);
    await page.waitForSelector('[data-testid="compare-player-tester"]');
    const calls = (await mockState(page)).calls;
    assert.deepEqual(calls.filter((c) => c.cmd === "previous_performance").map((c) => c.args.id), [second.id]);
    assert.deepEqual(calls.filter((c) => c.cmd === "compare_performances").map((c) => [c.args.left, c.args.right]), [[first.id, second.id]]);
    await page.click('[data-testid="compare"] header button');
    await page.waitForSelector('[data-testid="compare"]', { state: "detached" });

    // The replay of a performance offers the same.
    await page.click(`[data-testid="performance-${second.id}"]`);
    await page.click('[data-testid="replay-compare-previous"]');
    await page.waitForSelector('[data-testid="compare-player-tester"]');
    await page.click('[data-testid="compare"] header button');
    await page.waitForSelector('[data-testid="compare"]', { state: "detached" });
    await page.click('[data-testid="close-replay"]');

    await page.click(`[data-testid="compare-previous-${first.id}"]`);
    await page.waitForSelector('text=No earlier performance of this score is recorded');
    assert.equal(await page.locator('[data-testid="compare"]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
