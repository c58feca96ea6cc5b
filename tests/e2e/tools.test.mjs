// Players that use tools, in the real window: the workspace tour performed offline plays its
// surveyor's tool calls (made-up results, labelled as rehearsal); the one that writes asks the
// person in the run panel, who approves it, and every call and its result show in the run panel
// and are recorded in the store.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { byTestId, ensemble, env, screenshot, withStudio } from "./app.mjs";

const tour = path.join(env.root, "assets/scores/workspace-tour.score.toml");

test("the workspace tour performed offline asks before writing, and shows each call with its result", async () => {
  await withStudio([tour], async (browser) => {
    await browser.$(byTestId("player-surveyor")).waitForDisplayed();
    const offline = await browser.$(byTestId("offline"));
    if (!(await offline.isSelected())) await offline.click();
    await browser.$(byTestId("perform")).click();
    const approval = await browser.$(byTestId("tool-approval"));
    await approval.waitForDisplayed({ timeout: 30000, timeoutMsg: "the call that writes never asked in the run panel" });
    assert.match(await approval.getText(), /surveyor wants to call files\.write_file/, "the approval names the player and the tool");
    await screenshot(browser, "tool-approval");
    await approval.$("button=Approve").click();
    await browser.waitUntil(async () => /finished|succeeded|failed|ended/i.test(await browser.$(byTestId("run-status")).getText()), {
      timeout: 60000,
      timeoutMsg: "the performance did not end after the approval",
    });
    const timeline = await browser.$(byTestId("timeline")).getText();
    assert.match(timeline, /surveyor calls files\.list_directory .*\(rehearsal\)/, "the reading call is in the run panel");
    assert.match(timeline, /files\.list_directory answered: \[rehearsal\] made-up result/, "with its result");
    assert.match(timeline, /files\.write_file approved/, "the person's approval is in the run panel");
    assert.match(timeline, /surveyor calls files\.write_file/, "the approved call was made");
    await screenshot(browser, "tool-calls");
  });
  const listed = ensemble("performances", "--json");
  assert.equal(listed.code, 0, listed.stderr);
  const mine = JSON.parse(listed.stdout).find((p) => p.score_path === tour);
  assert.ok(mine, `the tour's performance is in the store: ${listed.stdout}`);
  const shown = ensemble("show", mine.id, "--json");
  assert.equal(shown.code, 0, shown.stderr);
  const kinds = shown.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l).type);
  assert.equal(kinds.filter((k) => k === "tool_called").length, 3, `three calls were recorded (two reads, the approved write): ${kinds}`);
  assert.equal(kinds.filter((k) => k === "tool_waiting").length, 1, "one call asked");
});
