// The limits of each attempt in the settings: kept values load, a wrong value is explained and
// not kept, a good one is kept at once, and performing hands the shell what was set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore } from "./fixtures.mjs";

const stage = useStudio();

/** The settings as the studio last handed them to the settings store. */
async function lastKept(page) {
  const sets = (await mockState(page)).calls.filter((c) => c.cmd === "plugin:store|set" && c.args.key === "settings");
  return sets.at(-1)?.args.value;
}

test("the limits of each attempt are checked, kept, and handed to the performance", async () => {
  const { page, errors, close } = await stage.open({
    startup: { initial_path: LOOP_PATH },
    files: { [LOOP_PATH]: loopScore() },
    store: { settings: { bounds: { max_output_mib: 7, read_timeout_secs: 30 } } },
  });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    await page.click('[data-testid="open-settings"]');
    const output = page.locator("#set-max-output");
    const timeout = page.locator("#set-read-timeout");
    assert.equal(await output.inputValue(), "7", "the kept output limit is shown");
    assert.equal(await timeout.inputValue(), "30", "the kept read timeout is shown");

    await output.fill("0");
    const outputError = page.locator('[data-testid="set-max-output-error"]');
    await outputError.waitFor();
    assert.equal(await outputError.textContent(), "Output limit per attempt must be from 1 to 4096 MiB; 0 is outside that.");
    assert.equal(await output.getAttribute("aria-invalid"), "true");
    assert.deepEqual((await lastKept(page)).bounds, { max_output_mib: 7, read_timeout_secs: 30 }, "a wrong value is not kept");
    await shot(page, "limits-refused");

    await output.fill("2");
    await outputError.waitFor({ state: "detached" });
    assert.deepEqual((await lastKept(page)).bounds, { max_output_mib: 2, read_timeout_secs: 30 }, "a good value is kept at once");

    await timeout.fill("86401");
    const timeoutError = page.locator('[data-testid="set-read-timeout-error"]');
    assert.equal(await timeoutError.textContent(), "Read timeout must be from 1 to 86400 seconds; 86401 is outside that.");
    assert.deepEqual((await lastKept(page)).bounds, { max_output_mib: 2, read_timeout_secs: 30 }, "the last good value stays");
    await timeout.fill("45");
    await timeoutError.waitFor({ state: "detached" });
    assert.deepEqual((await lastKept(page)).bounds, { max_output_mib: 2, read_timeout_secs: 45 });
    await shot(page, "limits-set");

    await page.keyboard.press("Escape");
    await page.waitForSelector('[data-testid="settings"]', { state: "hidden" });
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    const performed = (await mockState(page)).calls.filter((c) => c.cmd === "perform");
    assert.equal(performed.length, 1);
    assert.deepEqual(performed[0].args.bounds, { max_output_mib: 2, read_timeout_secs: 45 }, "the performance plays within what was set");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
