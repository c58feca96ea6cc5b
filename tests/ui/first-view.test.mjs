// The first view of every example score in assets/scores, in the studio's default window
// (1280 × 800, tauri.conf.json): the whole score on screen, every player's name at least 13 px
// tall. Below the readable zoom the canvas draws players compactly (ui/src/canvas/detail.ts);
// zoomed out past the floor of that, names shrink but stay inside their players. Screenshots go
// to tests/artifacts/first-view-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { launch, openStudio, shot, uiDir, useStudio } from "./harness.mjs";
import { MOCK_CONTEXT, trioScore } from "./fixtures.mjs";

const { parse } = createRequire(join(uiDir, "package.json"))("smol-toml");
const stage = useStudio({ width: 1280, height: 800 });

const examples = resolve(uiDir, "../assets/scores");
const EXAMPLES = readdirSync(examples).filter((f) => f.endsWith(".score.toml")).sort();

/** An example score as the shell sends it: its TOML, with every list present. */
function exampleScore(file) {
  const score = parse(readFileSync(join(examples, file), "utf8"));
  return {
    ...score,
    context: { ...score.context, files: score.context?.files ?? [] },
    tempo: score.tempo ?? {},
    sections: score.sections ?? [],
    cues: score.cues ?? [],
  };
}

/** Opens `score` as the file `file`, with `open` (a stage's), and waits for its first view. */
async function openScore(open, file, score) {
  const path = `/scores/${file}`;
  const studio = await open({ startup: { initial_path: path, test_paths: true }, files: { [path]: score } });
  await studio.page.waitForSelector(`[data-testid="player-${score.players[0].id}"]`);
  // The first view is set once React Flow has measured the nodes; the level follows it.
  await studio.page.waitForFunction(() => document.querySelector('[data-testid="canvas"]')?.dataset.detail);
  return studio;
}

/**
 * Everything the tests measure, in screen pixels: the canvas, the zoom, each section frame and
 * title, each player with its name and the other parts of it that are drawn.
 */
async function measure(page) {
  return page.evaluate(() => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, right: r.right, bottom: r.bottom, height: r.height };
    };
    const canvas = document.querySelector('[data-testid="canvas"]');
    const zoom = new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")).transform).a;
    const drawn = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
    const players = [...document.querySelectorAll(".player-node")].map((node) => {
      const name = node.querySelector(".player-name");
      const style = getComputedStyle(name);
      return {
        id: node.dataset.testid,
        box: box(node),
        name: box(name),
        text: name.textContent,
        namePx: parseFloat(style.fontSize) * zoom,
        lineHeight: parseFloat(style.lineHeight) * zoom,
        // Text cut off sideways, or lines hidden below the clamp.
        cutWide: name.scrollWidth > name.clientWidth + 1,
        cutTall: name.scrollHeight > name.clientHeight + 1,
        // What is drawn topmost along the name's first line belongs to the player.
        onTop: [0.1, 0.3, 0.5, 0.7, 0.9].every((at) => {
          const r = name.getBoundingClientRect();
          return node.contains(document.elementFromPoint(r.x + at * r.width, r.y + 6));
        }),
        // Everything else drawn in the player, but its connection handles (which sit on its edges).
        others: [...node.querySelectorAll(":scope > :not(.react-flow__handle), :scope > * *")]
          .filter((e) => drawn(e) && e !== name && !name.contains(e) && !e.contains(name))
          .map((e) => ({ what: e.className || e.tagName, ...box(e) })),
      };
    });
    const sections = [...document.querySelectorAll(".section-node")].map((frame) => {
      const name = frame.querySelector(".section-name");
      return {
        id: frame.dataset.testid,
        box: box(frame),
        name: box(name),
        namePx: parseFloat(getComputedStyle(name).fontSize) * zoom,
      };
    });
    const cues = [...document.querySelectorAll(".cue-label")].map((label) => ({
      id: label.dataset.testid,
      box: box(label),
      hidden: getComputedStyle(label).display === "none",
      shown: label.innerText.trim(),
      short: label.querySelector(".cue-words.short")?.textContent ?? "",
      px: parseFloat(getComputedStyle(label).fontSize) * zoom,
    }));
    return { canvas: box(canvas), zoom, detail: canvas.dataset.detail, players, sections, cues };
  });
}

const scale = (page) => page.$eval(".react-flow__viewport", (v) => new DOMMatrix(getComputedStyle(v).transform).a);

/** Clicks the canvas's zoom button ("in" or "out") and waits for the zoom to change. */
async function zoomBy(page, direction) {
  const before = await scale(page);
  await page.click(`.react-flow__controls-zoom${direction}`);
  await page.waitForFunction(
    ([z, out]) => {
      const now = new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")).transform).a;
      return out ? now < z - 0.01 : now > z + 0.01;
    },
    [before, direction === "out"],
  );
  // A frame for the level's styles to land.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

const inside = (inner, outer) =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.right <= outer.right + 0.5 && inner.bottom <= outer.bottom + 0.5;
const overlap = (a, b) => a.x < b.right - 0.5 && b.x < a.right - 0.5 && a.y < b.bottom - 0.5 && b.y < a.bottom - 0.5;

/**
 * Names inside their players, overlapping nothing else drawn in the player; a compact name wraps
 * instead of being cut off sideways (in full detail a long name ends in an ellipsis on one line).
 */
function assertNamesFit(view, where) {
  for (const p of view.players) {
    assert.ok(inside(p.name, p.box), `${where}: ${p.id}'s name stays inside the player`);
    if (view.detail === "compact") assert.ok(!p.cutWide, `${where}: ${p.id}'s name "${p.text}" is not cut off sideways`);
    for (const other of p.others) {
      if (inside(other, p.name)) continue;
      assert.ok(!overlap(p.name, other), `${where}: ${p.id}'s name does not overlap its ${other.what}`);
      assert.ok(inside(other, p.box), `${where}: ${p.id}'s ${other.what} stays inside the player`);
    }
  }
}

for (const file of EXAMPLES) {
  test(`${file} opens whole at 1280 × 800, every name readable`, async () => {
    const score = exampleScore(file);
    const { page, errors, close } = await openScore(stage.open, file, score);
    try {
      const view = await measure(page);
      assert.equal(view.players.length, score.players.length, "every player is drawn");
      assert.equal(view.sections.length, score.sections.length, "every section is drawn");
      for (const p of view.players) {
        assert.ok(inside(p.box, view.canvas), `${p.id} is on screen at zoom ${view.zoom.toFixed(3)}`);
        assert.ok(p.namePx >= 13 - 0.01, `${p.id}'s name is drawn ${p.namePx.toFixed(1)} px tall, at least 13`);
        assert.ok(p.name.height >= 13, `${p.id}'s name takes ${p.name.height.toFixed(1)} px of height, at least 13`);
        // In the default window every example name is shown whole.
        assert.ok(!p.cutTall, `${p.id}'s name "${p.text}" is shown whole`);
      }
      for (const s of view.sections) {
        assert.ok(inside(s.box, view.canvas), `${s.id} is on screen at zoom ${view.zoom.toFixed(3)}`);
        assert.ok(s.namePx >= 13 - 0.01, `${s.id}'s title is drawn ${s.namePx.toFixed(1)} px tall, at least 13`);
        assert.ok(inside(s.name, s.box), `${s.id}'s title stays inside its frame`);
      }
      assertNamesFit(view, file);
      // A cue's label is as readable as the names, in its short words when zoomed out; one
      // that would cover a name is left out.
      for (const p of view.players) assert.ok(p.onTop, `nothing is drawn over ${p.id}'s name`);
      for (const c of view.detail === "compact" ? view.cues.filter((c) => !c.hidden) : []) {
        assert.ok(c.px >= 13 - 0.01, `${c.id}'s label is drawn ${c.px.toFixed(1)} px tall, at least 13`);
        assert.equal(c.shown, c.short.trim(), `${c.id} shows its short words`);
      }
      await shot(page, `first-view-${file.replace(".score.toml", "")}`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
}

test("zoomed out past the floor, names shrink but stay inside their players; zoomed in, the detail is back", async () => {
  const score = trioScore();
  // A name longer than any line at the floor, with a word longer than a line too.
  score.players[2].name = "Tester of every supercalifragilistic corner of the export";
  const { page, errors, close } = await openScore(stage.open, "feature-trio.score.toml", score);
  try {
    let view = await measure(page);
    assert.equal(view.detail, "compact", `the trio opens below the readable zoom (${view.zoom.toFixed(3)}), drawn compactly`);
    const zooms = [];
    // Each click zooms out by 1.2: 0.53, 0.44, 0.37, 0.31 (below the floor of 0.325), 0.25, 0.21.
    for (let step = 0; step < 5; step++) {
      await zoomBy(page, "out");
      view = await measure(page);
      zooms.push(view.zoom);
      assertNamesFit(view, `zoom ${view.zoom.toFixed(3)}`);
      const tester = view.players.find((p) => p.id === "player-tester");
      assert.ok(tester.cutTall, `at zoom ${view.zoom.toFixed(3)} the long name is cut at the lines the player has room for`);
      if (view.zoom >= 0.325) {
        for (const p of view.players) assert.ok(p.namePx >= 13 - 0.01, `${p.id}'s name is still ${p.namePx.toFixed(1)} px at zoom ${view.zoom.toFixed(3)}`);
      }
    }
    assert.ok(zooms.at(-1) < 0.25, `zoomed well below the floor (${zooms.map((z) => z.toFixed(3)).join(", ")})`);
    await shot(page, "first-view-below-floor");
    // Back above the readable zoom: instrument, zone and part are drawn again.
    // 0.21 × 1.2⁷ = 0.76: full detail, names still drawn larger than their own 15 px.
    for (let step = 0; step < 7; step++) await zoomBy(page, "in");
    assert.equal(await page.$eval('[data-testid="canvas"]', (c) => c.dataset.detail), "named");
    await page.waitForSelector('[data-testid="player-coder"] .player-part', { state: "visible" });
    await page.waitForSelector('[data-testid="player-coder"] .player-meta', { state: "visible" });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("at the first view a performing player's state shows in its colour, its output left for a closer view", async () => {
  const { page, errors, close } = await openScore(stage.open, "feature-trio.score.toml", trioScore());
  try {
    const background = (id) => page.$eval(`[data-testid="player-${id}"]`, (e) => getComputedStyle(e).backgroundColor);
    const idle = await background("coder");
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    await page.waitForSelector('[data-testid="player-coder"].live-finished');
    assert.equal(await page.$eval('[data-testid="canvas"]', (c) => c.dataset.detail), "compact");
    const finished = await background("coder");
    assert.notEqual(finished, idle, "a finished player is coloured apart from one not yet cued");
    assert.equal(await page.isVisible('[data-testid="player-coder"] .player-live'), false, "its output, too small to read, is not drawn");
    assertNamesFit(await measure(page), "after the performance");
    await shot(page, "first-view-performed");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("at the first view a player off the score still says so, under its name", async () => {
  const usage = { input_tokens: 5, output_tokens: 3 };
  // The coder was cued before the shared context changed, the reviewer after.
  const stream = [
    { type: "player_cued", player: "coder", chorus: 1, context_version: "sha256:01d0000000000000", instrument: "rehearsal", rehearsal: true, handoffs: [] },
    { type: "player_finished", player: "coder", chorus: 1, output: "old code", usage, cost_usd: 0, elapsed_ms: 4 },
    { type: "cue_fired", from: "coder", to: "reviewer", count: 1 },
    { type: "player_cued", player: "reviewer", chorus: 1, context_version: MOCK_CONTEXT, instrument: "rehearsal", rehearsal: true, handoffs: [] },
  ];
  const open = (options) => stage.open({ ...options, stream, hold: true });
  const { page, errors, close } = await openScore(open, "feature-trio.score.toml", trioScore());
  try {
    await page.click('[data-testid="perform"]');
    const tag = page.locator('[data-testid="node-off-score-coder"]');
    await tag.waitFor({ state: "visible" });
    const view = await measure(page);
    assert.equal(view.detail, "compact");
    const tagPx = await tag.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(tagPx * view.zoom >= 13 - 0.01, `"off the score" is drawn ${(tagPx * view.zoom).toFixed(1)} px tall`);
    const coder = view.players.find((p) => p.id === "player-coder");
    assert.ok(coder.others.some((o) => String(o.what).includes("off-tag")), "the tag is drawn in the coder");
    assertNamesFit(view, "off the score");
    await shot(page, "first-view-off-score");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("at the first view a loop cue's count while it cycles is readable, clear of the players", async () => {
  const usage = { input_tokens: 5, output_tokens: 3 };
  const cued = (player, chorus = 1) => ({ type: "player_cued", player, chorus, context_version: MOCK_CONTEXT, instrument: "rehearsal", rehearsal: true, handoffs: [] });
  const finished = (player, chorus, output) => ({ type: "player_finished", player, chorus, output, usage, cost_usd: 0, elapsed_ms: 4 });
  const stream = [cued("coder"), finished("coder", 1, "draft"), { type: "cue_fired", from: "coder", to: "reviewer", count: 1 }, cued("reviewer")];
  for (const chorus of [1, 2]) {
    stream.push(finished("reviewer", chorus, "VERDICT: CHANGES REQUESTED"), { type: "cue_fired", from: "reviewer", to: "coder", count: chorus });
    stream.push(cued("coder", chorus + 1), finished("coder", chorus + 1, "draft"), { type: "cue_fired", from: "coder", to: "reviewer", count: chorus + 1 }, cued("reviewer", chorus + 1));
  }
  const open = (options) => stage.open({ ...options, stream, hold: true });
  const { page, errors, close } = await openScore(open, "feature-trio.score.toml", trioScore());
  try {
    await page.click('[data-testid="perform"]');
    const count = page.locator('[data-testid="loop-count-reviewer->coder"]');
    await count.waitFor({ state: "visible" });
    assert.equal((await count.textContent()).trim(), "2/3");
    const view = await measure(page);
    assert.equal(view.detail, "compact");
    const px = await count.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(px * view.zoom >= 13 - 0.01, `the count is drawn ${(px * view.zoom).toFixed(1)} px tall`);
    const label = page.locator('[data-testid="cue-label-reviewer->coder"]');
    assert.equal(await label.innerText(), "2/3", "the condition's words, long or short, wait for a closer view");
    const box = await label.boundingBox();
    const drawn = { x: box.x, y: box.y, right: box.x + box.width, bottom: box.y + box.height };
    for (const p of view.players) assert.ok(!overlap(drawn, p.box), `the count does not cover ${p.id}`);
    await shot(page, "first-view-loop-count");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("in a 1024 × 700 window every example opens whole but the widest, which opens readable from its left edge", async () => {
  const small = await launch({ width: 1024, height: 700 });
  try {
    for (const file of EXAMPLES) {
      const score = exampleScore(file);
      const open = (options) => openStudio(small.browser, stage.server.url, options);
      const { page, errors, close } = await openScore(open, file, score);
      try {
        const view = await measure(page);
        // Players wholly off screen are not drawn at all (onlyRenderVisibleElements).
        const onScreen = view.players.filter((p) => inside(p.box, view.canvas));
        // The research band spans 1620 flow pixels; the canvas leaves 440: 0.27, below the floor.
        if (file === "research-band.score.toml") {
          assert.ok(Math.abs(view.zoom - 0.7) < 0.001, `${file} opens at the readable zoom (${view.zoom.toFixed(3)})`);
          const left = Math.min(...view.sections.map((s) => s.box.x), ...view.players.map((p) => p.box.x));
          assert.ok(Math.abs(left - (view.canvas.x + 32)) < 1, `${file} starts at its left edge`);
          assert.ok(onScreen.length < score.players.length, `${file} does not fit whole`);
          await page.waitForSelector(".react-flow__minimap", { state: "visible" });
          // "Fit" reaches the rest: every player on screen, drawn compactly.
          await page.click(".react-flow__controls-fitview");
          await page.waitForFunction(
            ([count, c]) => {
              const players = [...document.querySelectorAll(".player-node")].map((e) => e.getBoundingClientRect());
              return players.length === count && players.every((r) => r.x >= c.x && r.right <= c.right && r.y >= c.y && r.bottom <= c.bottom);
            },
            [score.players.length, view.canvas],
          );
          assert.equal(await page.$eval('[data-testid="canvas"]', (c) => c.dataset.detail), "compact");
        } else {
          assert.equal(onScreen.length, score.players.length, `${file} opens whole (zoom ${view.zoom.toFixed(3)})`);
          for (const s of view.sections) assert.ok(inside(s.box, view.canvas), `${file}: ${s.id} is on screen`);
          for (const p of view.players) assert.ok(p.namePx >= 13 - 0.01, `${file}: ${p.id}'s name is ${p.namePx.toFixed(1)} px`);
        }
        assertNamesFit(view, `${file} at 1024 × 700`);
        await shot(page, `first-view-1024-${file.replace(".score.toml", "")}`);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    }
  } finally {
    await small.close();
  }
});
