// The studio as a person uses it, in the real window: open a score, add a player, cue it,
// save, and check the file with the engine; open the README's example, which places nothing,
// and see it laid out; open a broken score and read its problems;
// open a score named on the command line; perform offline and find it recorded.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse as parseToml } from "smol-toml";
import { byTestId, ensemble, env, scratch, screenshot, usePath, withStudio } from "./app.mjs";

const example = path.join(env.root, "assets/scores/feature-trio.score.toml");

/** Waits until the canvas has stopped moving (tidy and fit animate the viewport). */
async function viewportSettled(browser) {
  // A late web font would still change the size of every node.
  await browser.execute(() => document.fonts.ready.then(() => true));
  const transform = () => browser.execute(() => document.querySelector(".react-flow__viewport")?.style.transform ?? "");
  let last = await transform();
  await browser.waitUntil(
    async () => {
      await browser.pause(150);
      const now = await transform();
      const still = now === last;
      last = now;
      return still;
    },
    { timeout: 5000, timeoutMsg: "the canvas kept moving" },
  );
}

async function playerIds(browser) {
  const nodes = await browser.$$('.react-flow__node [data-testid^="player-"]');
  const ids = [];
  for (const node of nodes) ids.push((await node.getAttribute("data-testid")).slice("player-".length));
  return ids.sort();
}

test("open an example, add a player, cue it, save, and the engine reads the saved file", async () => {
  const dir = scratch("compose");
  const original = path.join(dir, "feature-trio.score.toml");
  copyFileSync(example, original);
  // Saved over the file it came from, so its comments are carried over.
  const saved = original;
  const before = parseToml(readFileSync(original, "utf8"));

  await withStudio([], async (browser) => {
    await browser.$(byTestId("welcome")).waitForDisplayed();
    await usePath(browser, original, "#test-open");
    await browser.$(byTestId("player-coder")).waitForDisplayed();
    assert.deepEqual(await playerIds(browser), before.players.map((p) => p.id).sort());
    await screenshot(browser, "example-opened");

    // Add a researcher from the palette: Enter on a palette item adds it at the centre of the view.
    await browser.$(byTestId("palette-player-researcher")).click();
    await browser.keys("Enter");
    await browser.waitUntil(async () => (await playerIds(browser)).length === before.players.length + 1, {
      timeoutMsg: "the palette did not add a player",
    });
    const added = (await playerIds(browser)).find((id) => !before.players.some((p) => p.id === id));
    assert.ok(added, "a new player id appears on the canvas");
    // Lay the canvas out so the new player does not sit on top of another.
    await browser.$(byTestId("tidy")).click();
    await viewportSettled(browser);
    // Fit leaves the outermost handles within React Flow's auto-pan margin, where a connection
    // drag pans the canvas under the pointer; one step out keeps them clear of it.
    await browser.$(".react-flow__controls-zoomout").click();
    await viewportSettled(browser);
    await screenshot(browser, "player-added");

    // Cue the coder from the new player: drag from its output handle to the coder's input handle.
    const source = await browser.$(`${byTestId(`player-${added}`)} .react-flow__handle.source`);
    const target = await browser.$(`${byTestId("player-coder")} .react-flow__handle.target.react-flow__handle-left`);
    for (const handle of [source, target]) {
      await handle.waitForDisplayed({ timeoutMsg: "a handle to drag between is not shown" });
      assert.ok(await handle.isDisplayed({ withinViewport: true }), "both handles are in view after tidy");
    }
    // WebKitWebDriver now and then refuses a move onto an element as small as a handle ("not
    // interactable") though it is in view; the drag is tried again after the canvas settles.
    for (let attempt = 1; ; attempt++) {
      try {
        await browser
          .action("pointer", { parameters: { pointerType: "mouse" } })
          .move({ origin: source })
          .down()
          .move({ origin: source, x: 20, y: 10, duration: 100 })
          .move({ origin: target, duration: 300 })
          .up()
          .perform();
        break;
      } catch (error) {
        if (attempt === 3 || !String(error).includes("not interactable")) throw error;
        console.log(`drag attempt ${attempt} was refused (${error.message}); trying again`);
        await browser.releaseActions();
        await viewportSettled(browser);
      }
    }
    await browser.$(`.react-flow__edge[data-id*="${added}"]`).waitForExist({ timeoutMsg: "no cue edge appeared after the drag" });
    await screenshot(browser, "cue-drawn");

    await usePath(browser, saved, "#test-save");
    await browser.waitUntil(() => readFileSync(saved, "utf8").includes(`"${added}"`), { timeoutMsg: "the score was not saved" });
    await browser.$(".notice").waitForDisplayed();
    await screenshot(browser, "saved");

    const checked = ensemble("validate", saved);
    assert.equal(checked.code, 0, `ensemble validate found problems:\n${checked.stdout}${checked.stderr}`);
    const after = parseToml(readFileSync(saved, "utf8"));
    assert.ok(after.players.some((p) => p.id === added), `the saved file has the player ${added}`);
    assert.ok(
      after.cues.some((c) => c.from === added && c.to === "coder"),
      `the saved file has the cue ${added} -> coder: ${JSON.stringify(after.cues)}`,
    );
    assert.equal(after.cues.length, before.cues.length + 1);
    // Canonical saving keeps the example's opening comment.
    assert.ok(readFileSync(saved, "utf8").startsWith("# Feature trio"), "the opening comment is kept");
  });
});

/** The README's shortest score: its toml block titled "Pair review". */
function readmeExample() {
  const readme = readFileSync(path.join(env.root, "README.md"), "utf8");
  const block = [...readme.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]).find((text) => /^title = "Pair review"$/m.test(text));
  assert.ok(block?.startsWith("format = 1"), "the README has the Pair review example");
  return block;
}

/** The window rectangles of the canvas, every player node and every section frame, by id. */
function canvasRects(browser) {
  return browser.execute(() => {
    const rect = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const byId = (prefix) =>
      Object.fromEntries(
        [...document.querySelectorAll(`.react-flow__node [data-testid^="${prefix}"]`)].map((el) => [
          el.getAttribute("data-testid").slice(prefix.length),
          rect(el),
        ]),
      );
    return { canvas: rect(document.querySelector('[data-testid="canvas"]')), players: byId("player-"), sections: byId("section-") };
  });
}

// Rectangles are compared with half a pixel to spare for subpixel rounding.
const EPSILON = 0.5;
const inside = (inner, outer) =>
  inner.left >= outer.left - EPSILON && inner.top >= outer.top - EPSILON && inner.right <= outer.right + EPSILON && inner.bottom <= outer.bottom + EPSILON;
const overlap = (a, b) => a.left < b.right - EPSILON && b.left < a.right - EPSILON && a.top < b.bottom - EPSILON && b.top < a.bottom - EPSILON;

test("the README's shortest score, written without positions, opens with every player apart in its section", async () => {
  const text = readmeExample();
  assert.ok(!/position/.test(text), "the example places nothing itself");
  const score = parseToml(text);
  const file = path.join(scratch("readme"), "pair-review.score.toml");
  writeFileSync(file, text);

  await withStudio([], async (browser) => {
    await browser.$(byTestId("welcome")).waitForDisplayed();
    await usePath(browser, file, "#test-open");
    for (const player of score.players) {
      await browser.$(byTestId(`player-${player.id}`)).waitForDisplayed({ timeoutMsg: `player ${player.id} is not on the canvas` });
    }
    await viewportSettled(browser);
    await screenshot(browser, "readme-example-opened");

    const { canvas, players, sections } = await canvasRects(browser);
    assert.deepEqual(Object.keys(players).sort(), score.players.map((p) => p.id).sort(), "one node per player");
    assert.deepEqual(Object.keys(sections).sort(), score.sections.map((s) => s.id).sort(), "one frame per section");
    for (const [id, rect] of Object.entries(players)) {
      assert.ok(rect.right - rect.left > 0 && rect.bottom - rect.top > 0, `player ${id} has a size`);
      assert.ok(inside(rect, canvas), `player ${id} is in view: ${JSON.stringify(rect)} in ${JSON.stringify(canvas)}`);
    }
    const ids = Object.keys(players);
    for (const a of ids) {
      for (const b of ids) {
        if (a < b) assert.ok(!overlap(players[a], players[b]), `players ${a} and ${b} overlap: ${JSON.stringify([players[a], players[b]])}`);
      }
    }
    for (const player of score.players) {
      const rect = players[player.id];
      for (const [id, frame] of Object.entries(sections)) {
        if (id === player.section) assert.ok(inside(rect, frame), `player ${player.id} lies inside its section ${id}: ${JSON.stringify([rect, frame])}`);
        else assert.ok(!overlap(rect, frame), `player ${player.id} lies outside section ${id}: ${JSON.stringify([rect, frame])}`);
      }
    }
    // The example's shape, so the checks above cannot pass on an empty or different score.
    assert.equal(score.players.find((p) => p.id === "poet")?.section, "studio");
    assert.equal(score.players.find((p) => p.id === "critic")?.section, undefined);
  });
});

test("a broken score lists its problems with line numbers and stays unopened", async () => {
  const dir = scratch("broken");
  const broken = path.join(dir, "broken.score.toml");
  writeFileSync(
    broken,
    [
      "format = 1",
      'title = "Broken band"',
      "",
      "[intent]",
      'goal = "Show every problem at once"',
      "",
      "[[players]]",
      'id = "solo"',
      'name = "Solo"',
      'zone = "innovator"',
      'part = "Play."',
      'tempo = "fast"',
      "",
      "[players.instrument]",
      'kind = "theremin"',
      "",
    ].join("\n"),
  );
  // The engine's own report, to compare the window with.
  const cli = ensemble("validate", broken);
  assert.notEqual(cli.code, 0, "the CLI rejects the broken score too");
  const cliLines = [...`${cli.stdout}${cli.stderr}`.matchAll(/:(\d+):(\d+): error/g)].map((m) => Number(m[1]));
  assert.ok(cliLines.length >= 2, `the CLI reports at least two problems:\n${cli.stderr}`);

  await withStudio([], async (browser) => {
    await browser.$(byTestId("welcome")).waitForDisplayed();
    await usePath(browser, broken, "#test-open");
    const dialog = await browser.$(byTestId("open-problems"));
    await dialog.waitForDisplayed({ timeoutMsg: "no problem list appeared for the broken score" });
    await screenshot(browser, "broken-score-problems");

    const items = await dialog.$$("li");
    const shown = [];
    for (const item of items) shown.push(await item.getText());
    assert.equal(shown.length, cliLines.length, `one entry per problem: ${JSON.stringify(shown)}`);
    const uiLines = shown.map((text) => Number(/line (\d+)/.exec(text)?.[1]));
    assert.deepEqual(uiLines.sort((a, b) => a - b), [...cliLines].sort((a, b) => a - b));
    assert.ok(shown.some((t) => /theremin/.test(t)), "the unknown instrument is named");
    assert.ok(shown.some((t) => /tempo/.test(t)), "the unknown key is named");
    // Nothing was loaded: the welcome view is still there behind the dialog.
    assert.ok(await browser.$(byTestId("welcome")).isExisting());
    assert.equal(readFileSync(broken, "utf8").includes("theremin"), true, "the file is left as it was");
  });
});

test("a score named on the command line opens at start", async () => {
  const dir = scratch("argument");
  const file = path.join(dir, "trio.score.toml");
  copyFileSync(example, file);
  await withStudio([file], async (browser) => {
    await browser.$(byTestId("player-reviewer")).waitForDisplayed({ timeoutMsg: "the score named on the command line did not open" });
    const name = await browser.$(byTestId("doc-name")).getProperty("textContent");
    assert.match(name, /trio\.score\.toml/);
    assert.match(await browser.getTitle(), /trio\.score\.toml — Ensemble Studio/);
    await screenshot(browser, "opened-from-argument");
  });
});

test("an offline performance streams into the window and is recorded in the store", async () => {
  const dir = scratch("perform");
  const file = path.join(dir, "trio.score.toml");
  copyFileSync(example, file);
  await withStudio([file], async (browser) => {
    await browser.$(byTestId("player-coder")).waitForDisplayed();
    const offline = await browser.$(byTestId("offline"));
    if (!(await offline.isSelected())) await offline.click();
    await browser.$(byTestId("perform")).click();
    await browser.$(byTestId("timeline")).waitForDisplayed({ timeoutMsg: "no timeline appeared" });
    await browser.waitUntil(async () => /finished|succeeded|failed|ended/i.test(await browser.$(byTestId("run-status")).getText()), {
      timeout: 60000,
      timeoutMsg: "the performance did not end",
    });
    await screenshot(browser, "performed");
    const timeline = await browser.$(byTestId("timeline")).getText();
    assert.match(timeline, /coder/);
  });
  const listed = ensemble("performances", "--json");
  assert.equal(listed.code, 0, listed.stderr);
  const performances = JSON.parse(listed.stdout);
  const mine = performances.find((p) => p.score_path === file);
  assert.ok(mine, `the performance of ${file} is in the store: ${listed.stdout}`);
  assert.equal(mine.offline, true);
  assert.equal(mine.status, "finished");
});

test("settings show whether the keychain can hold API keys, and never a key", async () => {
  await withStudio([], async (browser) => {
    await browser.$(byTestId("welcome")).waitForDisplayed();
    await browser.$(byTestId("open-settings")).click();
    const keys = await browser.$(byTestId("api-keys"));
    await keys.waitForDisplayed({ timeoutMsg: "the settings have no API key section" });
    // The keychain answer arrives asynchronously: either the key table or a warning that says why not.
    await browser.waitUntil(async () => !/Asking the keychain/.test(await keys.getText()), { timeoutMsg: "the keychain never answered" });
    await screenshot(browser, "settings");
    const unavailable = await browser.$(byTestId("keychain-unavailable"));
    if (await unavailable.isExisting()) {
      assert.match(await unavailable.getText(), /environment variable/i, "the warning says what to do instead");
    } else {
      assert.ok(await browser.$('[data-testid^="key-status-"]').isExisting(), "the key table lists key names");
    }
  });
});

test("unsaved work survives the window being killed and is offered back", async () => {
  const dir = scratch("recover");
  const file = path.join(dir, "trio.score.toml");
  copyFileSync(example, file);
  const title = `Trio edited ${process.pid}`;
  // The app's data folder is named by its bundle identifier.
  const { identifier } = JSON.parse(readFileSync(path.join(env.root, "tauri.conf.json"), "utf8"));
  const autosaves = path.join(process.env.XDG_DATA_HOME, identifier, "autosave");
  const autosaved = () =>
    existsSync(autosaves) && readdirSync(autosaves).some((f) => f.endsWith(".json") && readFileSync(path.join(autosaves, f), "utf8").includes(title));

  await withStudio([file], async (browser) => {
    await browser.$(byTestId("player-coder")).waitForDisplayed();
    await browser.$(byTestId("tab-score")).click();
    const field = await browser.$(byTestId("score-title"));
    await field.clearValue();
    await field.setValue(title);
    await browser.waitUntil(async () => autosaved(), { timeoutMsg: "the edit was never autosaved" });
    // Ending the session kills the app without saving: the crash this is about.
  });
  assert.ok(!readFileSync(file, "utf8").includes(title), "the file itself was not changed");

  await withStudio([], async (browser) => {
    const offer = await browser.$(byTestId("recover"));
    await offer.waitForDisplayed({ timeoutMsg: "the autosaved work was not offered" });
    assert.match(await offer.getText(), new RegExp(title));
    await screenshot(browser, "recovery-offered");
    await browser.$(byTestId("recover-button")).click();
    await browser.$(byTestId("player-coder")).waitForDisplayed();
    await browser.$(byTestId("tab-score")).click();
    assert.equal(await browser.$(byTestId("score-title")).getValue(), title);
    assert.match(await browser.$(byTestId("doc-name")).getProperty("textContent"), /trio\.score\.toml/);
    await screenshot(browser, "recovered");
  });
});
