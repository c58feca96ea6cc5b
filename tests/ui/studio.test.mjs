// The studio in a real browser: compose on the canvas, edit, undo and redo, and live validation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore } from "./fixtures.mjs";

const stage = useStudio();

/** The studio with the loop score opened from the command line, as `startup` reports it. */
async function studioWithLoop(extra = {}) {
  const studio = await stage.open({
    startup: { initial_path: LOOP_PATH, test_paths: true },
    files: { [LOOP_PATH]: loopScore() },
    ...extra,
  });
  await studio.page.waitForSelector('[data-testid="player-coder"]');
  return studio;
}

/** Saves through the test-only path field and returns the score the shell received. */
async function saveAndRead(page, path = "/out/saved.score.toml") {
  await page.fill("#test-path", path);
  await page.click("#test-save");
  await page.waitForFunction((p) => window.__studioMock.saved[p] !== undefined, path);
  return (await mockState(page)).saved[path];
}

/** The React Flow node that draws player `id`. */
function playerNode(id) {
  return `.react-flow__node:has([data-testid="player-${id}"])`;
}

async function dragHandle(page, fromId, toId) {
  const source = page.locator(`${playerNode(fromId)} .react-flow__handle.source`);
  const target = page.locator(`${playerNode(toId)} .react-flow__handle.target.react-flow__handle-left`);
  const a = await source.boundingBox();
  const b = await target.boundingBox();
  assert.ok(a && b, "both handles are on screen");
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

test("welcome view offers new score and templates, and a new score shows the empty canvas", async () => {
  const { page, errors, close } = await stage.open();
  try {
    await page.waitForSelector('[data-testid="welcome"]');
    await page.waitForSelector('[data-testid="template-review-loop"]');
    await shot(page, "welcome");
    await page.click('[data-testid="new-score"]');
    await page.waitForSelector(".empty-canvas");
    assert.match(await page.textContent(".empty-canvas"), /Drag a player/);
    await page.waitForFunction(() => document.title === "Untitled score — Ensemble Studio");
    await shot(page, "empty-score");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a player dragged from the palette into a section sits in that section", async () => {
  const { page, errors, close } = await studioWithLoop();
  try {
    const frame = await page.locator('[data-testid="section-check"]').boundingBox();
    assert.ok(frame, "the Check section is on screen");
    const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
    // Drop positions are relative to the drop target, the canvas.
    await page.dragAndDrop('[data-testid="palette-player-tester"]', '[data-testid="canvas"]', {
      targetPosition: { x: frame.x - canvas.x + frame.width * 0.7, y: frame.y - canvas.y + frame.height * 0.6 },
    });
    await page.waitForSelector('[data-testid="player-tester-2"]');
    await page.waitForFunction(() => document.title.startsWith("• "));
    await shot(page, "dropped-into-section");
    const saved = await saveAndRead(page);
    const dropped = saved.players.find((p) => p.id === "tester-2");
    assert.equal(dropped.section, "check");
    // Dragging it out of the frame takes it out of the section.
    const node = await page.locator(playerNode("tester-2")).boundingBox();
    await page.mouse.move(node.x + 20, node.y + 10);
    await page.mouse.down();
    await page.mouse.move(node.x + 20, node.y + 330, { steps: 10 });
    await page.mouse.up();
    const again = await saveAndRead(page, "/out/again.score.toml");
    const moved = again.players.find((p) => p.id === "tester-2");
    assert.equal(moved.section, undefined);
    assert.equal(moved.zone, "stabilizer");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a cue is drawn by dragging from one player's handle to another", async () => {
  const { page, errors, close } = await studioWithLoop();
  try {
    const before = await page.locator(".react-flow__edge").count();
    await dragHandle(page, "coder", "tester");
    await page.waitForSelector('.react-flow__edge[data-id="coder->tester"]');
    assert.equal(await page.locator(".react-flow__edge").count(), before + 1);
    assert.match(await page.textContent('[data-testid="inspector"]'), /Cue coder → tester/);
    const saved = await saveAndRead(page);
    assert.ok(saved.cues.some((c) => c.from === "coder" && c.to === "tester"));
    await shot(page, "cue-drawn");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("editing a part, then undo and redo with the keyboard", async () => {
  const { page, errors, close } = await studioWithLoop();
  try {
    await page.click('[data-testid="player-coder"]');
    await page.waitForSelector('[data-testid="part-editor"] .cm-content');
    await page.click('[data-testid="part-editor"] .cm-content');
    await page.keyboard.press("End");
    await page.keyboard.type(" Keep every comment.");
    const content = page.locator('[data-testid="part-editor"] .cm-content');
    assert.equal(await content.textContent(), "Write the parser. Keep every comment.");
    await shot(page, "part-edited");
    await page.keyboard.press("Control+z");
    await page.waitForFunction(() => document.querySelector('[data-testid="part-editor"] .cm-content')?.textContent === "Write the parser.");
    assert.equal(await page.evaluate(() => document.title), "loop.score.toml — Ensemble Studio");
    await page.keyboard.press("Control+Shift+z");
    await page.waitForFunction(
      () => document.querySelector('[data-testid="part-editor"] .cm-content')?.textContent === "Write the parser. Keep every comment.",
    );
    await page.waitForFunction(() => document.title === "• loop.score.toml — Ensemble Studio");
    // Unsaved work is autosaved; saving the file discards the autosave.
    await page.waitForFunction(() => Object.values(window.__studioMock.autosaves).some((s) => s.players[0].part.endsWith("comment.")));
    const saved = await saveAndRead(page);
    assert.equal(saved.players.find((p) => p.id === "coder").part, "Write the parser. Keep every comment.");
    await page.waitForFunction(() => !document.title.startsWith("•"));
    await page.waitForFunction(() => Object.keys(window.__studioMock.autosaves).length === 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a validation problem appears, selects its culprit when clicked, and disappears when fixed", async () => {
  const { page, errors, close } = await studioWithLoop();
  try {
    await page.waitForSelector('[data-testid="problem-count"]:has-text("no problems")');
    // tester -> coder closes coder -> reviewer -> tester -> coder, a cycle with no repeat limit.
    await dragHandle(page, "tester", "coder");
    await page.waitForSelector('[data-testid="problem-count"]:has-text("3 problems")');
    assert.equal(await page.locator(".cue-edge.has-problems").count(), 3);
    await page.click('[data-testid="problem-count"]');
    const problems = page.locator('[data-testid="problem"]');
    assert.equal(await problems.count(), 3);
    await shot(page, "problems");
    await problems.filter({ hasText: "cue tester → coder" }).click();
    await page.waitForSelector('[data-testid="inspector"]:has-text("Cue tester → coder")');
    assert.ok(await page.locator('.react-flow__edge[data-id="tester->coder"].selected').count() === 1);
    await page.fill('[data-testid="cue-repeats"]', "2");
    await page.waitForSelector('[data-testid="problem-count"]:has-text("no problems")');
    assert.match(await page.innerText('[data-testid="cue-label-tester->coder"]'), /↻ 2/);
    await shot(page, "problem-fixed");
    // Undo brings the problem back; redo fixes it again.
    await page.keyboard.press("Control+z");
    await page.waitForSelector('[data-testid="problem-count"]:has-text("3 problems")');
    await page.keyboard.press("Control+y");
    await page.waitForSelector('[data-testid="problem-count"]:has-text("no problems")');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("save as names the file the score was opened from, so its comments carry over", async () => {
  const { page, errors, close } = await studioWithLoop();
  try {
    await saveAndRead(page, "/out/copy.score.toml");
    const call = (await mockState(page)).calls.find((c) => c.cmd === "save_score");
    assert.equal(call.args.path, "/out/copy.score.toml");
    assert.equal(call.args.source, LOOP_PATH);
    // The document now lives at the copy; the next save names the copy as its source.
    await saveAndRead(page, "/out/second.score.toml");
    const calls = (await mockState(page)).calls.filter((c) => c.cmd === "save_score");
    assert.equal(calls[1].args.source, "/out/copy.score.toml");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a new score saved for the first time has no source file", async () => {
  const { page, errors, close } = await stage.open({ startup: { test_paths: true } });
  try {
    await page.click('[data-testid="new-score"]');
    await page.waitForSelector(".empty-canvas");
    await saveAndRead(page, "/out/new.score.toml");
    const call = (await mockState(page)).calls.find((c) => c.cmd === "save_score");
    assert.equal(call.args.source, null);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
