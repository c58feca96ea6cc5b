// The studio at 1280 × 800, the size of a small laptop window: what is on screen must be readable
// and nothing may cover anything else. Screenshots go to tests/artifacts/window-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { shot, useStudio } from "./harness.mjs";
import { TRIO_PATH, trioScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 800 });

const LONG_OUTPUT = Array.from({ length: 30 }, (_, i) => `Line ${i + 1} of a long answer that keeps going.\n`).join("");

async function studioWithTrio(extra = {}) {
  const studio = await stage.open({
    startup: { initial_path: TRIO_PATH, test_paths: true },
    files: { [TRIO_PATH]: trioScore() },
    ...extra,
  });
  await studio.page.waitForSelector('[data-testid="player-coder"]');
  return studio;
}

/** Screen rectangles of the elements matching `selector`, keyed by `key(element)`. */
async function rects(page, selector, key) {
  return page.$$eval(
    selector,
    (elements, keyAttribute) =>
      elements.map((e) => {
        const r = e.getBoundingClientRect();
        return { id: e.getAttribute(keyAttribute), x: r.x, y: r.y, right: r.right, bottom: r.bottom };
      }),
    key,
  );
}

const overlap = (a, b) => a.x < b.right - 0.5 && b.x < a.right - 0.5 && a.y < b.bottom - 0.5 && b.y < a.bottom - 0.5;
const inside = (inner, outer) => inner.x >= outer.x && inner.y >= outer.y && inner.right <= outer.right && inner.bottom <= outer.bottom;

test("an opened score fits on one toolbar row, with readable players and short cue labels", async () => {
  const { page, errors, close } = await studioWithTrio();
  try {
    // One row: the toolbar is as tall as one button row, with the test path field shown too.
    const bar = await page.locator(".toolbar").boundingBox();
    assert.ok(bar.height < 50, `the toolbar is one row (${bar.height}px tall)`);
    // Readable: a player's name is drawn at least 13 px tall on screen.
    await page.waitForFunction(() => {
      const name = document.querySelector('[data-testid="player-coder"] .player-name');
      return name && name.getBoundingClientRect().height >= 13;
    });
    // The context badge shows hex digits of the version, not the algorithm's name.
    await page.waitForSelector('[data-testid="context-badge"]:has-text("context c0ffee12 ·")');
    // Cue labels are short, shorter still in the first view (the whole score, zoomed out); the
    // whole condition is in the tooltip. Reviewer and Tester stand one above the other: their cue
    // is a bracket on their right, its label beside the column, clear of both names.
    const label = page.locator('[data-testid="cue-label-reviewer->coder"]');
    assert.equal((await label.innerText()).trim(), "↻ 3 · CHANGES REQUESTED");
    assert.match(await label.getAttribute("title"), /\/\(\?m\)\^VERDICT: CHANGES REQUESTED\//);
    const between = page.locator('[data-testid="cue-label-reviewer->tester"]');
    assert.equal((await between.innerText()).trim(), "APPROVED");
    const [beside, reviewer] = [await between.boundingBox(), await page.locator('[data-testid="player-reviewer"]').boundingBox()];
    assert.ok(beside.x >= reviewer.x + reviewer.width, "the label of a cue within one column stands beside the column");
    assert.equal((await page.locator('[data-testid="cue-label-reviewer->documenter"]').innerText()).trim(), "APPROVED");
    // Zoom in until the players are drawn in full: each click changes the zoom, the level follows.
    const detail = () => page.$eval('[data-testid="canvas"]', (c) => c.dataset.detail);
    for (let clicks = 0; (await detail()) === "compact"; clicks++) {
      assert.ok(clicks < 6, "a few clicks zoom in to the readable zoom");
      const zoom = await page.$eval(".react-flow__viewport", (v) => new DOMMatrix(getComputedStyle(v).transform).a);
      await page.click(".react-flow__controls-zoomin");
      await page.waitForFunction((z) => new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")).transform).a > z + 0.01, zoom);
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    }
    assert.equal((await label.innerText()).trim(), "verdict: CHANGES REQUESTED · ↻ 3", "closer, the label says the cue in its words");
    assert.equal((await between.innerText()).trim(), "verdict: APPROVED");
    // Clicking a label selects its cue.
    await label.click();
    await page.waitForSelector('[data-testid="inspector"]:has-text("Cue reviewer → coder")');
    await shot(page, "window-opened");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the overview map is small, and can be put away", async () => {
  const { page, errors, close } = await studioWithTrio();
  try {
    const map = await page.locator(".react-flow__minimap").boundingBox();
    const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
    assert.ok(map.width * map.height < (canvas.width * canvas.height) / 20, "the map covers less than a twentieth of the canvas");
    await page.click('[data-testid="toggle-minimap"]');
    await page.waitForSelector(".react-flow__minimap", { state: "detached" });
    await page.click('[data-testid="toggle-minimap"]');
    await page.waitForSelector(".react-flow__minimap");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("tidy keeps every player wholly inside its section's frame, all in view", async () => {
  const { page, errors, close } = await studioWithTrio();
  try {
    await page.click('[data-testid="tidy"]');
    // Tidy refits the view; wait until every player is on screen.
    const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
    const view = { x: canvas.x, y: canvas.y, right: canvas.x + canvas.width, bottom: canvas.y + canvas.height };
    await page.waitForFunction(
      (v) =>
        [...document.querySelectorAll('[data-testid^="player-"]')].every((e) => {
          const r = e.getBoundingClientRect();
          return r.x >= v.x && r.right <= v.right && r.y >= v.y && r.bottom <= v.bottom;
        }),
      view,
    );
    const frames = Object.fromEntries((await rects(page, ".section-node", "data-testid")).map((r) => [r.id.replace("section-", ""), r]));
    const players = await rects(page, ".player-node", "data-testid");
    const sectionOf = Object.fromEntries(trioScore().players.map((p) => [p.id, p.section]));
    for (const p of players) {
      const id = p.id.replace("player-", "");
      assert.ok(inside(p, frames[sectionOf[id]]), `${id} is drawn inside the ${sectionOf[id]} frame`);
    }
    for (const [a, fa] of Object.entries(frames)) {
      for (const [b, fb] of Object.entries(frames)) if (a < b) assert.ok(!overlap(fa, fb), `frames ${a} and ${b} do not overlap`);
    }
    await shot(page, "window-tidied");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a long output during a performance stays inside its player", async () => {
  const { page, errors, close } = await studioWithTrio({ output: LONG_OUTPUT });
  try {
    // The trio opens whole, below the zoom where output can be read (players drawn compactly):
    // zoom in twice (0.53 × 1.2² = 0.76) to see the output.
    for (let i = 0; i < 2; i++) await page.click(".react-flow__controls-zoomin");
    await page.waitForFunction(() => document.querySelector('[data-testid="canvas"]').dataset.detail !== "compact");
    const before = await rects(page, ".player-node", "data-testid");
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    await page.waitForSelector('[data-testid="player-tester"] .preview:has-text("Line 30")');
    const after = await rects(page, ".player-node", "data-testid");
    for (const a of after) {
      const b = before.find((r) => r.id === a.id);
      assert.equal(Math.round(a.bottom - a.y), Math.round(b.bottom - b.y), `${a.id} kept its height`);
      for (const c of after) if (a.id < c.id) assert.ok(!overlap(a, c), `${a.id} and ${c.id} do not overlap`);
    }
    await shot(page, "window-performed");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the welcome view tells recent files of the same name apart, and its shortcut hints can be read", async () => {
  const recent = ["/home/ana/work/feature-trio.score.toml", "/home/ana/demo/feature-trio.score.toml"];
  const { page, errors, close } = await stage.open({ store: { settings: { recent } } });
  try {
    await page.waitForSelector('.recent li:nth-child(2)');
    const items = await page.$$eval(".recent li", (lis) => lis.map((li) => li.textContent));
    assert.equal(items.length, 2);
    assert.match(items[0], /feature-trio\.score\.toml.*\/home\/ana\/work/);
    assert.match(items[1], /feature-trio\.score\.toml.*\/home\/ana\/demo/);
    const [text, hint] = await page.$eval('[data-testid="new-score"]', (b) => [getComputedStyle(b).color, getComputedStyle(b.querySelector("kbd")).color]);
    assert.equal(hint, text, "the shortcut hint has the button's own text colour");
    await shot(page, "window-welcome");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
