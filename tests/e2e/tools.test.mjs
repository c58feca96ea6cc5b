// Players that use tools, in the real window: the workspace tour performed offline plays its
// surveyor's tool calls (made-up results, labelled as rehearsal); the one that writes asks the
// person in the run panel (the surveyor's node says it waits), who approves it; every call and
// its result show in the run panel, where the write opens to its arguments and result, the node
// counts the calls, and all are recorded in the store.
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
    assert.equal(await browser.$(byTestId("node-tool-now-surveyor")).getText(), "files.write_file waiting for approval", "the canvas says what the surveyor waits for");
    assert.equal(await browser.$(byTestId("node-tools-surveyor")).getText(), "1", "the surveyor's node shows its one tool server");
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
    assert.equal(await browser.$(byTestId("node-tool-calls-surveyor")).getText(), "3 calls", "the surveyor's node counts its calls: two reads and the write");
    // The write, opened in the run panel: its arguments as the model gave them, and its result.
    const entries = await browser.$$(byTestId("tool-call"));
    const summaries = [];
    for (const entry of entries) summaries.push(await entry.$("summary").getText());
    assert.equal(summaries.length, 3, `one entry per call: ${summaries.join(" | ")}`);
    const at = summaries.findIndex((s) => s.startsWith("files.write_file"));
    assert.ok(at >= 0, `the write is listed: ${summaries.join(" | ")}`);
    assert.match(summaries[at], /answered$/, "closed, it says how it went");
    const write = entries[at];
    await write.$("summary").scrollIntoView();
    await write.$("summary").click();
    // Rehearsal calls each tool the score names with empty arguments, and makes its result up.
    assert.deepEqual(JSON.parse(await write.$(byTestId("tool-call-arguments")).getText()), {}, "the arguments, as JSON");
    assert.equal(
      await write.$(byTestId("tool-call-result")).getText(),
      "[rehearsal] made-up result of files.write_file for {}: no server was started",
      "and the result it got",
    );
    assert.match(await write.getText(), /approved by a person/, "the entry says a person approved it first");
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
