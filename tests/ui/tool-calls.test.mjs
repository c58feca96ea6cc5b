// Players' tool calls where the studio shows them: on the canvas (the wrench with the player's
// servers; while it plays, the call in hand and how many calls it made) and in the run panel and
// a replay (each call closed to one line, opened to its arguments and result, all as text).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 800 });

/** The loop score's coder with one filesystem server: listing runs, writing asks. */
function loopWithTools() {
  const score = loopScore();
  score.players[0].tools = {
    servers: [{ id: "files", program: "node", args: ["server.js", "."], env: [], allow: ["list_directory", "write_file"], approval: { write_file: "ask" } }],
  };
  return score;
}

const cued = (player) => ({ type: "player_cued", player, chorus: 1, context_version: "sha256:c0ffee1234abcd5678", instrument: "openai m", rehearsal: false, handoffs: [] });
/** A listing of 30 lines, with markup a hostile tool might send. */
const LISTING = ["[FILE] <b>bold</b>.md", '[FILE] <img src="x" onerror="window.hacked = 1">.md', ...Array.from({ length: 28 }, (_, i) => `[FILE] note-${i + 3}.md`)].join("\n");

test("a player's tools and its calls show on its node and in the run panel, each call opened to its arguments and result", async () => {
  const stream = [
    cued("coder"),
    { type: "token", player: "coder", text: "Looking around." },
    { type: "tool_called", player: "coder", call: "1.1.1", tool: "files.list_directory", arguments: { path: "." }, rehearsal: false },
    { type: "tool_returned", player: "coder", call: "1.1.1", tool: "files.list_directory", result: LISTING, is_error: false, cut: false, elapsed_ms: 14 },
    { type: "tool_waiting", player: "coder", call: "1.1.2", tool: "files.write_file", arguments: { path: "notes.md", content: "# Notes" } },
  ];
  const { page, errors, close } = await stage.open({
    startup: { initial_path: LOOP_PATH },
    files: { [LOOP_PATH]: loopWithTools() },
    hold: true,
    stream,
    playToolDecisions: true,
  });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    const badge = page.locator('[data-testid="node-tools-coder"]');
    assert.equal((await badge.textContent()).trim(), "1", "one tool server");
    assert.equal(await badge.getAttribute("title"), "1 tool server\nfiles: list_directory, write_file", "its id and allowed tools on hover");
    assert.equal(await page.locator('[data-testid="node-tools-reviewer"]').count(), 0, "a player without tools has no wrench");

    await page.click('[data-testid="perform"]');
    const now = page.locator('[data-testid="node-tool-now-coder"]');
    await now.waitFor();
    assert.equal(await now.textContent(), "files.write_file waiting for approval", "the node says its call waits for the person");
    assert.equal((await page.textContent('[data-testid="node-tool-calls-coder"]')).trim(), "2 calls", "the listing and the write it asks for");
    await page.locator('[data-testid="player-coder"]').screenshot({ path: join(artifacts, "tool-calls-on-node.png") });

    const entries = page.locator('[data-testid="tool-call"]');
    await entries.nth(1).waitFor();
    assert.equal(await entries.count(), 2);
    const listing = entries.nth(0);
    assert.equal((await listing.locator("summary").innerText()).replace(/\s+/g, " ").trim(), 'files.list_directory {"path":"."} answered', "closed: the tool, its arguments, how it went");
    assert.equal(await listing.locator('[data-testid="tool-call-result"]').count(), 0, "closed by default");
    assert.match(await entries.nth(1).locator("summary").innerText(), /files\.write_file[\s\S]*waiting for approval/);

    await listing.locator("summary").click();
    assert.deepEqual(JSON.parse(await listing.locator('[data-testid="tool-call-arguments"]').textContent()), { path: "." }, "the arguments as JSON");
    assert.equal(await listing.locator('[data-testid="tool-call-arguments"]').textContent(), '{\n  "path": "."\n}', "pretty-printed");
    const result = listing.locator('[data-testid="tool-call-result"]');
    const clipped = await result.textContent();
    assert.equal(clipped, `${LISTING.split("\n").slice(0, 20).join("\n")}\n…`, "a long result is clipped to its first 20 lines");
    assert.match(await listing.textContent(), /called by coder · call 1\.1\.1 · 14 ms/);
    await listing.locator('[data-testid="tool-call-show-all"]').click();
    assert.equal(await result.textContent(), LISTING, "show all: the whole result, as the tool gave it");
    assert.equal(await page.locator('[data-testid="tool-calls"] b, [data-testid="tool-calls"] img').count(), 0, "markup in a result stays text");
    assert.equal(await page.evaluate(() => window.hacked), undefined, "nothing in a result runs");
    await shot(page, "tool-calls-open");

    // The person edits the write's arguments and approves: the node counts no new call (it was
    // asked for already), has none in hand, and the run panel's entry holds both arguments.
    const approval = page.locator('[data-testid="tool-approval"]');
    await approval.locator("textarea").fill('{"path": "draft.md", "content": "# Notes"}');
    await approval.locator("button", { hasText: "Approve edited" }).click();
    await page.waitForSelector('[data-testid="tool-call"][data-call="1.1.2"] summary:has-text("answered (edited arguments)")');
    assert.equal(await now.count(), 0, "no call in hand once it answered");
    assert.equal((await page.textContent('[data-testid="node-tool-calls-coder"]')).trim(), "2 calls");
    const write = page.locator('[data-testid="tool-call"][data-call="1.1.2"]');
    await write.locator("summary").click();
    assert.deepEqual(JSON.parse(await write.locator('[data-testid="tool-call-arguments"]').textContent()), { path: "notes.md", content: "# Notes" }, "what the model asked for");
    assert.deepEqual(JSON.parse(await write.locator('[data-testid="tool-call-edited"]').textContent()), { path: "draft.md", content: "# Notes" }, "what ran");
    assert.match(await write.locator('[data-testid="tool-call-result"]').textContent(), /^\[rehearsal\] made-up result of files\.write_file/);
    assert.match(await write.textContent(), /called by coder · call 1\.1\.2 · approved by a person, with edited arguments · rehearsal/);
    const sent = (await mockState(page)).calls.filter((c) => c.cmd === "conduct").map((c) => c.args.command.type);
    assert.deepEqual(sent, ["tool_decision"]);
    await shot(page, "tool-calls-node");
    assert.deepEqual(errors, [], "no errors in the page");
  } finally {
    await close();
  }
});

test("a replayed performance lists its tool calls: a rejection with its note, a failure, and the count on the node", async () => {
  let seq = 0;
  const ev = (body) => ({ seq: ++seq, at_ms: Date.UTC(2026, 0, 5, 10, 0, seq), ...body });
  const usage = { input_tokens: 4, output_tokens: 2 };
  const events = [
    ev({ type: "performance_started", performance: "old-tools", title: "Parser with review loop", context_version: "sha256:0", players: ["coder", "reviewer", "tester"], offline: false, resumed: false }),
    ev(cued("coder")),
    ev({ type: "tool_waiting", player: "coder", call: "1.1.1", tool: "files.write_file", arguments: { path: "../outside.md" } }),
    ev({ type: "tool_resolved", player: "coder", call: "1.1.1", tool: "files.write_file", decision: { decision: "reject", note: "stay in <the> workspace" } }),
    ev({ type: "tool_failed", player: "coder", call: "1.1.2", tool: "files.list_directory", error: "the call took longer than 20 s", elapsed_ms: 20000 }),
    ev({ type: "tool_called", player: "coder", call: "1.1.3", tool: "files.list_directory", arguments: { path: "." }, rehearsal: false }),
    ev({ type: "tool_returned", player: "coder", call: "1.1.3", tool: "files.list_directory", result: "[FILE] a.md", is_error: false, cut: false, elapsed_ms: 9 }),
    ev({ type: "player_finished", player: "coder", chorus: 1, output: "Listed.", usage, cost_usd: 0, elapsed_ms: 30 }),
    ev({ type: "performance_finished", outcome: "succeeded", reason: null, usage, cost_usd: 0, elapsed_ms: 40 }),
  ];
  const summary = { id: "old-tools", title: "Parser with review loop", score_path: LOOP_PATH, started_ms: events[0].at_ms, finished_ms: events[8].at_ms, status: "finished", outcome: "succeeded", tokens: 2, cost_usd: 0, offline: false, seed: 1 };
  const { page, errors, close } = await stage.open({ startup: { initial_path: LOOP_PATH }, files: { [LOOP_PATH]: loopWithTools() }, performances: [{ summary, events }] });
  try {
    await page.click('[data-testid="tab-run"]');
    await page.click('[data-testid="run-view-past"]');
    await page.click('[data-testid="performance-old-tools"]');
    await page.waitForSelector('[data-testid="replay"]');
    const entries = page.locator('[data-testid="replay"] [data-testid="tool-call"]');
    assert.deepEqual(
      (await entries.locator("summary").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim()),
      ['files.write_file {"path":"../outside.md"} rejected', 'files.list_directory failed', 'files.list_directory {"path":"."} answered'],
    );
    assert.equal((await page.textContent('[data-testid="node-tool-calls-coder"]')).trim(), "3 calls", "the count at the end of the replay");
    assert.equal(await page.locator('[data-testid="node-tool-now-coder"]').count(), 0, "a finished player has no call in hand");

    await entries.nth(0).locator("summary").click();
    assert.equal(await entries.nth(0).locator('[data-testid="tool-call-note"]').textContent(), "Rejected, with a note for the model: “stay in <the> workspace”.");
    await entries.nth(1).locator("summary").click();
    assert.equal(await entries.nth(1).locator('[data-testid="tool-call-error"]').textContent(), "the call took longer than 20 s");
    await shot(page, "tool-calls-replay");

    // Back to the moment the write waited: the node says so, and the list holds that call alone.
    await page.fill('[data-testid="replay-slider"]', "3");
    await page.waitForSelector('[data-testid="node-tool-now-coder"]:has-text("files.write_file waiting for approval")');
    assert.equal(await entries.count(), 1);
    assert.match(await entries.nth(0).locator("summary").innerText(), /waiting for approval/);
    assert.deepEqual(errors, [], "no errors in the page");
  } finally {
    await close();
  }
});
