// Performing offline, recovering unsaved work, and API keys in the settings, in a real browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore } from "./fixtures.mjs";

const stage = useStudio();

test("perform offline streams player states onto the canvas and the timeline", async () => {
  const { page, errors, close } = await stage.open({
    startup: { initial_path: LOOP_PATH },
    files: { [LOOP_PATH]: loopScore() },
  });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    assert.equal(await page.isChecked('[data-testid="offline"]'), true);
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    for (const id of ["coder", "reviewer", "tester"]) {
      const node = page.locator(`[data-testid="player-${id}"]`);
      assert.match(await node.getAttribute("class"), /live-finished/);
      assert.match(await node.textContent(), /Played the part\./);
    }
    const timeline = await page.textContent('[data-testid="timeline"]');
    assert.match(timeline, /started “Parser with review loop” offline \(rehearsal\)/);
    assert.match(timeline, /reviewer finished \(3 tokens\)/);
    const calls = (await mockState(page)).calls.filter((c) => c.cmd === "perform");
    assert.equal(calls.length, 1);
    assert.equal(calls[0].args.offline, true);
    await shot(page, "performed");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("unsaved work found at startup is offered and recovered", async () => {
  const recoveredScore = { ...loopScore(), title: "Half-finished ensemble" };
  const { page, errors, close } = await stage.open({
    startup: { recovered: { key: "doc-1", path: null, score: recoveredScore, saved_ms: Date.UTC(2026, 0, 2, 9, 30) } },
  });
  try {
    await page.waitForSelector('[data-testid="recover"]:has-text("Half-finished ensemble")');
    await page.click('[data-testid="recover-button"]');
    await page.waitForSelector('[data-testid="player-reviewer"]');
    // Recovered work is unsaved work: the title bar says so.
    await page.waitForFunction(() => document.title === "• Half-finished ensemble — Ensemble Studio");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("an API key goes to the keychain and is only ever shown as set", async () => {
  const { page, errors, close } = await stage.open();
  try {
    await page.click('[data-testid="open-settings"]');
    await page.waitForSelector('[data-testid="key-status-openai"]:has-text("not set")');
    await page.fill('input[aria-label="Key for openai"]', "sk-test-123");
    await page.click('[data-testid="api-keys"] tr:has-text("openai") button:has-text("Store")');
    await page.waitForSelector('[data-testid="key-status-openai"]:has-text("set")');
    assert.equal(await page.inputValue('input[aria-label="Key for openai"]'), "");
    assert.equal((await mockState(page)).keys.openai, "sk-test-123");
    assert.ok(!(await page.content()).includes("sk-test-123"), "the key is nowhere in the page");
    await shot(page, "settings");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("without a keychain the settings explain how to use an environment variable", async () => {
  const { page, close } = await stage.open({ keychain: false });
  try {
    await page.click('[data-testid="open-settings"]');
    const text = await page.textContent('[data-testid="keychain-unavailable"]');
    assert.match(text, /no Secret Service/);
    assert.match(text, /key = \{ env = "OPENAI_API_KEY" \}/);
    // The shell's message already offers environment variables; the studio does not say it twice.
    assert.equal(text.match(/instead/g)?.length, 1, `the advice is given once: ${text}`);
  } finally {
    await close();
  }
});

test("a file that does not load lists its problems and leaves the open score alone", async () => {
  const broken = { problems: [{ rule: "syntax", message: "expected `=`", line: 3, column: 7, target: { kind: "score" } }] };
  const { page, close } = await stage.open({
    startup: { initial_path: LOOP_PATH, test_paths: true },
    files: { [LOOP_PATH]: loopScore(), "/scores/broken.score.toml": broken },
  });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    await page.fill("#test-path", "/scores/broken.score.toml");
    await page.click("#test-open");
    const dialog = page.locator('[data-testid="open-problems"]');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /line 3, column 7/);
    assert.match(await dialog.textContent(), /expected `=`/);
    assert.equal(await page.locator('[data-testid="player-coder"]').count(), 1);
  } finally {
    await close();
  }
});
