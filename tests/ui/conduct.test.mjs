// The conductor's hands on players that have played (re-cue, edit output), and replaying a
// recorded performance with the canvas as it was, in a real browser with the shell mocked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 800 });

async function studioWithLoop(extra = {}) {
  const studio = await stage.open({
    startup: { initial_path: LOOP_PATH },
    files: { [LOOP_PATH]: loopScore() },
    ...extra,
  });
  await studio.page.waitForSelector('[data-testid="player-coder"]');
  return studio;
}

const commands = async (page) => (await mockState(page)).calls.filter((c) => c.cmd === "conduct").map((c) => c.args.command);

test("a player that has played can be re-cued, and its output edited before it is handed on", async () => {
  const { page, errors, close } = await studioWithLoop({ hold: true });
  try {
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="played-tester"]');
    assert.match(await page.textContent('[data-testid="run-status"]'), /playing/);

    await page.click('[data-testid="recue-coder"]');
    await page.waitForSelector('[data-testid="timeline"] li:has-text("coder cued (chorus 2)")');
    await page.waitForSelector('[data-testid="player-coder"].live-finished:has-text("×2")');
    assert.match(await page.textContent('[data-testid="player-coder"]'), /Played the part again \(chorus 2\)/);

    await page.click('[data-testid="edit-output-reviewer"]');
    const box = page.locator('[data-testid="output-reviewer"]');
    assert.equal(await box.inputValue(), "Played the part.", "the editor starts from the player's whole output");
    await box.fill("VERDICT: APPROVED\nShip it.");
    await page.click('[data-testid="hand-on-reviewer"]');
    await page.waitForSelector('[data-testid="timeline"] li:has-text("reviewer\'s output edited")');
    await box.waitFor({ state: "detached" });
    await page.waitForSelector('[data-testid="player-reviewer"]:has-text("Ship it.")');
    assert.match(await page.textContent('[data-testid="played-reviewer"]'), /edited/);
    await shot(page, "conducted");

    assert.deepEqual(await commands(page), [
      { type: "recue", player: "coder" },
      { type: "edit_output", player: "reviewer", output: "VERDICT: APPROVED\nShip it." },
    ]);
    await page.click('button:has-text("Cut off")');
    await page.waitForSelector('[data-testid="run-status"]:has-text("cut off")');
    assert.equal(await page.locator('[data-testid="played"]').count(), 0, "an ended performance takes no more commands");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

/** A performance recorded earlier: the coder finished, the reviewer failed. */
function recorded() {
  let seq = 0;
  const ev = (body) => ({ seq: ++seq, at_ms: Date.UTC(2026, 0, 5, 10, 0, seq), ...body });
  const usage = { input_tokens: 4, output_tokens: 2 };
  const events = [
    ev({ type: "performance_started", performance: "old-1", title: "Parser with review loop", context_version: "sha256:abcdef0123456789", players: ["coder", "reviewer", "tester"], offline: true, resumed: false }),
    ev({ type: "player_cued", player: "coder", chorus: 1, context_version: "sha256:abcdef0123456789", instrument: "rehearsal", rehearsal: true, handoffs: [] }),
    ev({ type: "token", player: "coder", text: "fn parse" }),
    ev({ type: "player_finished", player: "coder", chorus: 1, output: "fn parse()", usage, cost_usd: 0, elapsed_ms: 4 }),
    ev({ type: "cue_fired", from: "coder", to: "reviewer", count: 1 }),
    ev({ type: "player_cued", player: "reviewer", chorus: 1, context_version: "sha256:abcdef0123456789", instrument: "rehearsal", rehearsal: true, handoffs: [] }),
    ev({ type: "player_failed", player: "reviewer", chorus: 1, error: "timed out after 30 s", partial_output: "", usage, elapsed_ms: 30000 }),
    ev({ type: "player_skipped", player: "tester", reason: "reviewer failed" }),
    ev({ type: "performance_finished", outcome: "failed", reason: "reviewer failed", usage, cost_usd: 0, elapsed_ms: 30010 }),
  ];
  const summary = { id: "old-1", title: "Parser with review loop", score_path: LOOP_PATH, started_ms: events[0].at_ms, finished_ms: events[8].at_ms, status: "finished", outcome: "failed", tokens: 1, cost_usd: 0, offline: true, seed: 7 };
  return { summary, events };
}

const liveState = (page, id) => page.getAttribute(`[data-testid="player-${id}"]`, "class").then((c) => /live-(\w+)/.exec(c)?.[1] ?? "none");

test("a past performance replays: the canvas as it ended, and a slider back through it", async () => {
  const { page, errors, close } = await studioWithLoop({ performances: [recorded()] });
  try {
    await page.click('[data-testid="tab-run"]');
    await page.click('[data-testid="run-view-past"]');
    const item = page.locator('[data-testid="performance-old-1"]');
    assert.match(await item.textContent(), /Parser with review loop.*rehearsal.*failed/);
    await item.click();
    await page.waitForSelector('[data-testid="replay"]');
    assert.equal(await page.textContent('[data-testid="replay-position"]').then((t) => t.split(" ·")[0]), "8 of 8 events");
    assert.equal(await liveState(page, "coder"), "finished");
    assert.equal(await liveState(page, "reviewer"), "failed");
    assert.equal(await liveState(page, "tester"), "skipped");
    assert.match(await page.textContent('[data-testid="timeline"]'), /reviewer failed: timed out after 30 s/);
    await shot(page, "replay");

    await page.fill('[data-testid="replay-slider"]', "0");
    await page.waitForSelector('[data-testid="replay-position"]:has-text("0 of 8 events")');
    for (const id of ["coder", "reviewer", "tester"]) assert.equal(await liveState(page, id), "none");
    assert.equal(await page.locator('[data-testid="timeline"] li').count(), 0);

    await page.click('button[aria-label="One event on"]');
    await page.click('button[aria-label="One event on"]');
    await page.waitForSelector('[data-testid="replay-position"]:has-text("2 of 8 events")');
    assert.equal(await liveState(page, "coder"), "playing");
    assert.equal(await liveState(page, "reviewer"), "waiting");
    await page.fill('[data-testid="replay-slider"]', "5");
    await page.waitForSelector('[data-testid="replay-position"]:has-text("5 of 8 events")');
    assert.equal(await liveState(page, "coder"), "finished");
    assert.equal(await liveState(page, "reviewer"), "playing");
    assert.match(await page.textContent('[data-testid="player-coder"]'), /fn parse\(\)/);

    // Closing the replay gives the canvas back to the open score as it is.
    await page.click('[data-testid="close-replay"]');
    await page.waitForSelector('[data-testid="performances"]');
    assert.equal(await liveState(page, "coder"), "none");
    const asked = (await mockState(page)).calls.filter((c) => c.cmd === "performance_events").map((c) => c.args.id);
    assert.deepEqual(asked, ["old-1"]);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a performance that just ended is listed with the past ones", async () => {
  const { page, errors, close } = await studioWithLoop({ performances: [recorded()] });
  try {
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    await page.click('[data-testid="run-view-past"]');
    await page.waitForSelector('[data-testid="performance-perf-1"]:has-text("succeeded")');
    // Newest first.
    const order = await page.$$eval('[data-testid="performances"] button[data-testid^="performance-"]', (bs) => bs.map((b) => b.dataset.testid));
    assert.deepEqual(order, ["performance-perf-1", "performance-old-1"]);
    await page.click('[data-testid="performance-perf-1"]');
    await page.waitForSelector('[data-testid="replay"]');
    assert.equal(await liveState(page, "tester"), "finished");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
