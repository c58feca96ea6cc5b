// Budget meters and the timeline's lanes, in a real browser with the shell mocked: the meters
// against the score's budgets while a performance plays, the lanes of a performance the engine
// recorded (fixtures), and scrubbing the lanes during and after a performance.
import { test } from "node:test";
import assert from "node:assert/strict";
import { shot, useStudio } from "./harness.mjs";
import { MOCK_CONTEXT, TRIO_PATH, bigScore, trioPerformances, trioScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1400, height: 900 });

const liveState = (page, id) => page.getAttribute(`[data-testid="player-${id}"]`, "class").then((c) => /live-(\w+)/.exec(c)?.[1] ?? "none");
const cued = (player, at_ms) => ({ type: "player_cued", player, chorus: 1, context_version: MOCK_CONTEXT, instrument: "rehearsal", rehearsal: true, handoffs: [], ...(at_ms ? { at_ms } : {}) });
const usage = { input_tokens: 5, output_tokens: 3 };

test("the meters show time, tokens and cost used against the score's budgets while it plays", async () => {
  const score = { ...trioScore(), tempo: { max_wall_secs: 600, max_tokens: 40, max_cost_usd: 0.02 } };
  const stream = [
    cued("coder"),
    { type: "player_finished", player: "coder", chorus: 1, output: "code", usage, cost_usd: 0.0125, elapsed_ms: 4 },
    cued("reviewer"),
    { type: "player_retrying", player: "reviewer", attempt: 2, delay_ms: 10, reason: "rate limited", usage, cost_usd: 0.002 },
    { type: "player_finished", player: "reviewer", chorus: 1, output: "VERDICT: APPROVED", usage, cost_usd: 0.003, elapsed_ms: 4 },
  ];
  const { page, errors, close } = await stage.open({ startup: { initial_path: TRIO_PATH }, files: { [TRIO_PATH]: score }, stream, hold: true });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="row-reviewer"]:has-text("finished")');
    // Three attempts of 5 + 3 tokens, the failed one included; 0.0125 + 0.002 + 0.003 dollars.
    assert.match(await page.textContent('[data-testid="meter-tokens"]'), /24 of 40/);
    assert.match(await page.textContent('[data-testid="meter-cost"]'), /\$0\.0175 of \$0\.0200/);
    assert.match(await page.textContent('[data-testid="meter-time"]'), /s of 600 s/);
    assert.equal(await page.getAttribute('[data-testid="meter-tokens"] [role="meter"]', "aria-valuenow"), "24");
    // 87.5% of the cost budget is near it; 60% of the tokens is not.
    assert.match(await page.getAttribute('[data-testid="meter-cost"]', "class"), /\bnear\b/);
    assert.doesNotMatch(await page.getAttribute('[data-testid="meter-tokens"]', "class"), /near|over/);
    assert.equal(await page.getAttribute('[data-testid="meter-cost"] .meter-fill', "style"), "width: 87.5%;");
    await shot(page, "meters");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a recorded performance's lanes have a bar per chorus and an arrow per fired cue, and scrubbing them moves the canvas", async () => {
  const { performances } = trioPerformances();
  const first = performances[0];
  const { page, errors, close } = await stage.open({ startup: { initial_path: TRIO_PATH }, files: { [TRIO_PATH]: trioScore() }, performances: [first] });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    await page.click('[data-testid="tab-run"]');
    await page.click('[data-testid="run-view-past"]');
    await page.click(`[data-testid="performance-${first.summary.id}"]`);
    await page.waitForSelector('[data-testid="lanes"]');
    assert.deepEqual(await page.$$eval('[data-testid="lanes"] .lane-name', (els) => els.map((e) => e.textContent)), ["coder", "reviewer", "tester", "documenter"]);
    // The reviewer sent the work back once: coder and reviewer played two choruses each.
    const bars = await page.$$eval('[data-testid="lanes"] rect[data-outcome]', (els) => els.map((e) => `${e.dataset.testid} ${e.dataset.outcome}`));
    assert.deepEqual(bars.sort(), ["bar-coder-1 finished", "bar-coder-2 finished", "bar-documenter-1 finished", "bar-reviewer-1 finished", "bar-reviewer-2 finished", "bar-tester-1 finished"]);
    const arrows = await page.$$eval('[data-testid="lanes"] line.cue-arrow', (els) => els.map((e) => e.dataset.testid));
    assert.deepEqual(arrows, ["arrow-coder-reviewer", "arrow-reviewer-coder", "arrow-coder-reviewer", "arrow-reviewer-tester", "arrow-reviewer-documenter"]);
    await shot(page, "lanes-replay");

    // Pressing inside the coder's first bar shows that moment: the coder plays, nobody after it has.
    const area = await page.locator('[data-testid="lanes-area"]').boundingBox();
    const bar = await page.locator('[data-testid="bar-coder-1"]').boundingBox();
    await page.mouse.click(bar.x + bar.width / 2, area.y + 4);
    await page.waitForFunction(() => /live-playing/.test(document.querySelector('[data-testid="player-coder"]').className));
    assert.equal(await liveState(page, "tester"), "waiting");
    assert.match(await page.textContent('[data-testid="replay-position"]'), /^2 of \d+ events/);
    assert.equal(await page.locator('[data-testid="playhead"]').count(), 1);
    // Dragging to the right end reaches the end of the performance.
    await page.mouse.move(bar.x + bar.width / 2, area.y + 4);
    await page.mouse.down();
    await page.mouse.move(area.x + area.width - 1, area.y + 4, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => /live-finished/.test(document.querySelector('[data-testid="player-tester"]').className));
    const [shown, total] = /^(\d+) of (\d+) events/.exec(await page.textContent('[data-testid="replay-position"]')).slice(1);
    assert.equal(shown, total);
    // From the keyboard: Home goes to the start (the coder was cued in the same millisecond), End back to the end.
    await page.focus('[data-testid="lanes-area"]');
    await page.keyboard.press("Home");
    await page.waitForSelector('[data-testid="replay-position"]:text-matches("^2 of ")');
    assert.equal(await liveState(page, "coder"), "playing");
    assert.equal(await liveState(page, "tester"), "waiting");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("End");
    await page.waitForSelector(`[data-testid="replay-position"]:text-matches("^${total} of ")`);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("scrubbing the live lanes during a performance shows that moment on the canvas until back to live", async () => {
  // Recorded moments in the near future, so they follow the performance's start whenever it is pressed.
  const base = Date.now() + 20_000;
  const stream = [
    cued("coder", base),
    { type: "player_finished", player: "coder", chorus: 1, output: "code", usage, cost_usd: 0, elapsed_ms: 900, at_ms: base + 900 },
    { type: "cue_fired", from: "coder", to: "reviewer", count: 1, at_ms: base + 900 },
    cued("reviewer", base + 1000),
  ];
  const { page, errors, close } = await stage.open({ startup: { initial_path: TRIO_PATH }, files: { [TRIO_PATH]: trioScore() }, stream, hold: true });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="open-bar-reviewer"]');
    assert.equal(await liveState(page, "coder"), "finished");
    assert.equal(await page.locator('[data-testid="live-edge"]').count(), 1);
    const area = await page.locator('[data-testid="lanes-area"]').boundingBox();
    const bar = await page.locator('[data-testid="bar-coder-1"]').boundingBox();
    await page.mouse.click(bar.x + bar.width / 2, area.y + 4);
    await page.waitForSelector('[data-testid="scrub-note"]');
    assert.equal(await liveState(page, "coder"), "playing");
    assert.equal(await liveState(page, "reviewer"), "waiting");
    await shot(page, "lanes-live-scrubbed");
    await page.click('[data-testid="back-to-live"]');
    await page.waitForSelector('[data-testid="scrub-note"]', { state: "detached" });
    assert.equal(await liveState(page, "coder"), "finished");
    assert.equal(await liveState(page, "reviewer"), "playing");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("fifty players get fifty lanes", async () => {
  const path = "/scores/big.score.toml";
  const { page, errors, close } = await stage.open({ startup: { initial_path: path }, files: { [path]: bigScore(50, 60) } });
  try {
    await page.waitForSelector('[data-testid="player-p0"]');
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    assert.equal(await page.locator('[data-testid="lanes"] .lane-name').count(), 50);
    assert.equal(await page.locator('[data-testid="lanes"] rect[data-outcome="finished"]').count(), 50);
    await shot(page, "lanes-fifty");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
