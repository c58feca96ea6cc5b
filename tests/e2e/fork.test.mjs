// Re-running a finished performance from a middle player in the real studio: only that player
// and the ones after it play; the players before it are carried over, and the store links the new
// performance to the one it re-ran.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import path from "node:path";
import { byTestId, ensemble, env, scratch, screenshot, withStudio } from "./app.mjs";

const example = path.join(env.root, "assets/scores/incident-response.score.toml");
// Triage fans out to four investigators, who all cue the planner; a plan that works goes to the
// communicator (through a checkpoint, approved here), and the on-call lead is cued only when
// planning fails, so never in a rehearsal that succeeds.
const BEFORE = ["triage", "logs", "metrics", "changes", "alternatives"];
const FROM_PLANNER = ["planner", "communicator"];

/** Waits for the performance to end, approving the score's checkpoint when it asks. */
async function ended(browser, what) {
  await waitOrShow(browser, what, async () => {
    const approve = await browser.$('//div[contains(@class, "waiting")]//button[normalize-space()="Approve"]');
    if (await approve.isExisting()) await approve.click();
    return /succeeded|finished|failed|cut off|budget/i.test(await browser.$(byTestId("run-status")).getText());
  });
}

/** Waits for `done`; when it never comes, the window is kept as a screenshot to see why. */
async function waitOrShow(browser, what, done) {
  try {
    await browser.waitUntil(done, { timeout: 90000, timeoutMsg: `${what} did not end` });
  } catch (error) {
    await screenshot(browser, `fork-stuck-${what.replace(/\W+/g, "-")}`);
    throw error;
  }
}

test("a finished performance re-run from the planner plays the planner and what follows it, and carries the rest over", async () => {
  const dir = scratch("fork");
  const file = path.join(dir, "incident.score.toml");
  copyFileSync(example, file);
  await withStudio([file], async (browser) => {
    await browser.$(byTestId("player-planner")).waitForDisplayed();
    const offline = await browser.$(byTestId("offline"));
    if (!(await offline.isSelected())) await offline.click();
    await browser.$(byTestId("perform")).click();
    await browser.$(byTestId("run-status")).waitForDisplayed();
    await ended(browser, "the performance");
    assert.match(await browser.$(byTestId("run-status")).getText(), /finished, 1 of 8 players never cued/i);

    await browser.$(byTestId("fork-planner")).click();
    await browser.$(byTestId("forked-from")).waitForDisplayed({ timeoutMsg: "the re-run did not start" });
    await ended(browser, "the re-run");
    assert.match(await browser.$(byTestId("run-status")).getText(), /finished, 1 of 8 players never cued, 5 carried over/i);
    for (const player of BEFORE) {
      assert.match(await browser.$(byTestId(`row-${player}`)).getText(), /carried over/i, `${player} comes before the planner`);
      assert.match(await browser.$(byTestId(`player-${player}`)).getAttribute("class"), /live-carried/);
    }
    for (const player of FROM_PLANNER) {
      assert.match(await browser.$(byTestId(`row-${player}`)).getText(), /finished/i, `${player} plays in the re-run`);
    }
    assert.match(await browser.$(byTestId("row-on-call-lead")).getText(), /skipped/i, "the on-call lead is not needed when the plan works");
    const timeline = await browser.$(byTestId("timeline")).getText();
    for (const player of FROM_PLANNER) assert.match(timeline, new RegExp(`${player} cued`));
    for (const player of BEFORE) {
      assert.doesNotMatch(timeline, new RegExp(`^\\d+\\s+${player} cued`, "m"), `${player} is not played again`);
      assert.match(timeline, new RegExp(`${player} carried over from`));
    }
    await screenshot(browser, "fork-from-planner");
  });
  const listed = ensemble("performances", "--json");
  assert.equal(listed.code, 0, listed.stderr);
  const mine = JSON.parse(listed.stdout).filter((p) => p.score_path === file);
  assert.equal(mine.length, 2, `the performance and its re-run are recorded: ${listed.stdout}`);
  const fork = mine.find((p) => p.forked_from);
  const original = mine.find((p) => !p.forked_from);
  assert.equal(fork.forked_from, original.id);
  assert.equal(fork.forked_player, "planner");
  assert.equal(fork.carried, BEFORE.length);
  assert.equal(fork.outcome_summary, "finished, 1 of 8 players never cued, 5 carried over");
});
