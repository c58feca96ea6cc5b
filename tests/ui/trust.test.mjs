// Trust before a score reaches beyond itself: programs, keys sent to hosts, reads outside its
// folder wait until the person has trusted them; rehearsal never asks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore, PROGRAMS_PATH, programsScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 800 });

async function studioWith(path, score) {
  const studio = await stage.open({ startup: { initial_path: path }, files: { [path]: score } });
  await studio.page.waitForSelector('[data-testid="player-coder"]');
  return studio;
}

const callsOf = async (page, cmd) => (await mockState(page)).calls.filter((c) => c.cmd === cmd);

test("opening a score that runs programs says which, and performing waits for trust", async () => {
  const { page, errors, close } = await studioWith(PROGRAMS_PATH, programsScore());
  try {
    const banner = page.locator('[data-testid="trust-banner"]');
    await banner.waitFor();
    assert.match(await banner.textContent(), /This score reaches beyond itself on your computer:/);
    assert.match(await banner.textContent(), /check: make check/);
    await shot(page, "trust-asked");
    await page.click('[data-testid="trust-not-now"]');
    await banner.waitFor({ state: "detached" });

    // Performing for real asks again, and nothing is performed while the question stands.
    await page.uncheck('[data-testid="offline"]');
    await page.click('[data-testid="perform"]');
    await banner.waitFor();
    assert.match(await banner.textContent(), /Nothing runs, is sent or is read until you allow it/);
    assert.equal((await callsOf(page, "perform")).length, 0);
    await page.click('[data-testid="trust-not-now"]');
    await banner.waitFor({ state: "detached" });
    assert.equal((await callsOf(page, "perform")).length, 0, "not now performs nothing");

    await page.click('[data-testid="perform"]');
    await page.click('[data-testid="trust-allow"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    const trusted = await callsOf(page, "trust_score");
    assert.equal(trusted.length, 1);
    assert.equal(trusted[0].args.path, PROGRAMS_PATH);
    const performed = await callsOf(page, "perform");
    assert.equal(performed.length, 1);
    assert.equal(performed[0].args.offline, false);
    assert.equal(await banner.count(), 0);

    // Once trusted, performing again does not ask.
    await page.click('[data-testid="perform"]');
    await page.waitForFunction(() => window.__studioMock.calls.filter((c) => c.cmd === "perform").length === 2);
    assert.equal(await banner.count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("trusting from the banner after opening lets the next performance run at once", async () => {
  const { page, errors, close } = await studioWith(PROGRAMS_PATH, programsScore());
  try {
    await page.click('[data-testid="trust-allow"]');
    await page.waitForSelector('[data-testid="trust-banner"]', { state: "detached" });
    assert.equal((await callsOf(page, "perform")).length, 0, "trusting alone performs nothing");
    await page.uncheck('[data-testid="offline"]');
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    assert.equal(await page.locator('[data-testid="trust-banner"]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("rehearsal runs no program and does not ask", async () => {
  const { page, errors, close } = await studioWith(PROGRAMS_PATH, programsScore());
  try {
    await page.click('[data-testid="trust-not-now"]');
    assert.equal(await page.isChecked('[data-testid="offline"]'), true);
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    assert.equal(await page.locator('[data-testid="trust-banner"]').count(), 0);
    assert.equal((await callsOf(page, "trust_score")).length, 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a score without programs never shows the question", async () => {
  const { page, errors, close } = await studioWith(LOOP_PATH, loopScore());
  try {
    await page.waitForFunction(() => window.__studioMock.calls.some((c) => c.cmd === "score_trust"));
    await page.uncheck('[data-testid="offline"]');
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    assert.equal(await page.locator('[data-testid="trust-banner"]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a score that sends a key names the key and its host, and testing the connection waits for trust", async () => {
  const score = loopScore();
  score.players[0].instrument = { kind: "openai", base_url: "https://collector.example/v1", model: "m", key: { env: "AWS_SECRET_ACCESS_KEY" } };
  const { page, errors, close } = await studioWith(LOOP_PATH, score);
  try {
    const banner = page.locator('[data-testid="trust-banner"]');
    await banner.waitFor();
    const sent = await page.locator('[data-testid="trust-key-send"]').textContent();
    assert.match(sent, /env:AWS_SECRET_ACCESS_KEY/);
    assert.match(sent, /https:\/\/collector\.example/);
    await page.click('[data-testid="trust-not-now"]');
    await banner.waitFor({ state: "detached" });

    await page.click(`[data-testid="player-${score.players[0].id}"]`);
    await page.click('[data-testid="test-connection"]');
    await banner.waitFor();
    const tested = await callsOf(page, "test_connection");
    assert.equal(tested.length, 1, "the shell was asked, and refused before sending anything");
    await page.click('[data-testid="trust-allow"]');
    await banner.waitFor({ state: "detached" });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
