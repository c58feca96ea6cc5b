// Tool calls that wait for the person, in the run panel: approve one with edited arguments,
// reject another with a note; each decision goes to the conductor's hands as a tool_decision.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 800 });

const waiting = (player, call, tool, args) => ({ type: "tool_waiting", player, call, tool, arguments: args });

test("a waiting tool call is approved with edited arguments, another rejected with a note", async () => {
  const stream = [
    { type: "player_cued", player: "coder", chorus: 1, context_version: "sha256:0", instrument: "openai m", rehearsal: false, handoffs: [] },
    waiting("coder", "1.1.1", "files.write_file", { path: "draft.md", content: "x" }),
    waiting("coder", "1.1.2", "files.move_file", { source: "a.md", destination: "b.md" }),
  ];
  const { page, errors, close } = await stage.open({
    startup: { initial_path: LOOP_PATH },
    files: { [LOOP_PATH]: loopScore() },
    hold: true,
    stream,
  });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    await page.click('[data-testid="perform"]');
    const boxes = page.locator('[data-testid="tool-approval"]');
    await boxes.nth(1).waitFor();
    assert.equal(await boxes.count(), 2, "both waiting calls are shown");
    assert.match(await boxes.nth(0).textContent(), /coder wants to call files\.write_file/);
    await page.waitForSelector('[data-testid="timeline"] li:has-text("coder waits for you to approve files.write_file")');

    const first = boxes.nth(0);
    const args = first.locator("textarea");
    assert.deepEqual(JSON.parse(await args.inputValue()), { path: "draft.md", content: "x" }, "the model's arguments, to edit");
    await args.fill("[1]");
    await first.locator("button", { hasText: "Approve edited" }).click();
    await first.locator(".error").waitFor();
    assert.match(await first.locator(".error").textContent(), /JSON object/, "arguments that are not an object are refused in place");
    await args.fill('{"path": "final.md", "content": "x"}');
    assert.equal(await first.locator(".error").count(), 0, "editing again clears the refusal");
    await first.locator("button", { hasText: "Approve edited" }).click();

    const second = boxes.nth(1);
    await second.locator("input").fill("keep the names");
    await second.locator("button", { hasText: "Reject" }).click();

    await page.waitForFunction(async () => true);
    const decisions = (await mockState(page)).calls.filter((c) => c.cmd === "conduct").map((c) => c.args.command);
    assert.deepEqual(decisions, [
      { type: "tool_decision", player: "coder", call: "1.1.1", decision: { decision: "edit", arguments: { path: "final.md", content: "x" } } },
      { type: "tool_decision", player: "coder", call: "1.1.2", decision: { decision: "reject", note: "keep the names" } },
    ]);
    await shot(page, "tool-approvals");
    assert.deepEqual(errors, [], "no errors in the page");
  } finally {
    await close();
  }
});

/** The coder of the loop score with one filesystem server whose writing asks, as the shell sends it. */
function loopWithTools() {
  const score = loopScore();
  score.players[0].tools = {
    max_calls: 4,
    timeout_secs: 20,
    servers: [
      {
        id: "files",
        program: "node",
        args: ["server.js", "."],
        env: [],
        allow: ["list_directory", "write_file"],
        approval: { list_directory: "allow", write_file: "ask" },
      },
    ],
  };
  return score;
}

test("the score performed is the score opened, its players' tools included", async () => {
  const { page, errors, close } = await stage.open({ startup: { initial_path: LOOP_PATH }, files: { [LOOP_PATH]: loopWithTools() } });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    assert.equal(await page.isChecked('[data-testid="offline"]'), true, "performed offline, as the studio starts");
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    const performed = (await mockState(page)).calls.filter((c) => c.cmd === "perform");
    assert.equal(performed.length, 1);
    assert.deepEqual(performed[0].args.score.players[0].tools, loopWithTools().players[0].tools, "the coder's tools reach the conductor");
    assert.deepEqual(errors, [], "no errors in the page");
  } finally {
    await close();
  }
});
