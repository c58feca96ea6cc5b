// Sharing from the studio: the Share menu writes each export with its format to the chosen
// file, after the check before sharing; what the check finds is listed and nothing leaves until
// "Export anyway"; Copy as image and the menu work from the keyboard; files dropped onto the
// window open (a score at once, a bundle into a folder), anything else is refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore, TRIO_PATH, trioScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 800 });

const FINDINGS = [
  { kind: "api_key", place: "player coder: part", excerpt: "sk-pro… (51 characters)" },
  { kind: "machine_path", place: "file, line 12", excerpt: "/home/composer/…" },
];

/** The trio example, opened from its file, with test paths on unless `dialogs` are answered. */
async function studioWith(options = {}) {
  const studio = await stage.open({
    startup: { initial_path: TRIO_PATH, test_paths: !options.dialogs },
    files: { [TRIO_PATH]: trioScore(), [LOOP_PATH]: loopScore() },
    ...options,
  });
  await studio.page.waitForSelector('[data-testid="player-coder"]');
  return studio;
}

const callsOf = async (page, cmd) => (await mockState(page)).calls.filter((c) => c.cmd === cmd);
const cmds = async (page) => (await mockState(page)).calls.map((c) => c.cmd);

async function typePath(page, path) {
  await page.fill("#test-path", path);
}

async function share(page, item) {
  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="share-menu"]');
  await page.click(`[data-testid="share-${item}"]`);
  await page.waitForSelector('[data-testid="share-menu"]', { state: "detached" });
}

/** Drops `paths` onto the window as Tauri reports a drop: a webview event carrying the paths. */
async function drop(page, paths, event = "tauri://drag-drop") {
  await page.evaluate(
    ({ paths, event }) => window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event, payload: { paths, position: { x: 300, y: 200 } } }),
    { paths, event },
  );
}

test("the Share menu writes every export with its format to the file named, after the check", async () => {
  const { page, errors, close } = await studioWith();
  try {
    const wanted = [
      ["svg", "/out/trio.svg"],
      ["png", "/out/trio.png"],
      ["png2x", "/out/trio@2x.png"],
      ["mermaid", "/out/trio.mmd"],
      ["markdown", "/out/trio.md"],
      ["zip", "/out/trio.score.zip"],
    ];
    for (const [i, [format, target]] of wanted.entries()) {
      await typePath(page, target);
      await share(page, format);
      await page.waitForFunction((n) => window.__studioMock.calls.filter((c) => c.cmd === "export_score").length === n, i + 1);
    }
    const exported = await callsOf(page, "export_score");
    assert.deepEqual(
      exported.map((c) => [c.args.format, c.args.target, c.args.allow, c.args.path]),
      wanted.map(([format, target]) => [format, target, false, TRIO_PATH]),
    );
    // Each export is checked first, on the score being exported.
    const order = (await cmds(page)).filter((c) => c === "check_export" || c === "export_score");
    assert.deepEqual(order, wanted.flatMap(() => ["check_export", "export_score"]));
    const checked = await callsOf(page, "check_export");
    assert.equal(checked[0].args.path, TRIO_PATH);
    assert.equal(checked[0].args.score.title, "Feature trio");
    await page.waitForSelector('.notice:has-text("Exported the bundle to trio.score.zip")');

    // With the path field empty, the export takes the default name beside the score.
    await typePath(page, "");
    await share(page, "markdown");
    await page.waitForFunction(() => window.__studioMock.calls.filter((c) => c.cmd === "export_score").length === 7);
    const last = (await callsOf(page, "export_score")).at(-1);
    assert.equal(last.args.target, "/scores/feature-trio.md");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("what the check finds is listed, and nothing is exported until Export anyway", async () => {
  const { page, errors, close } = await studioWith({ findings: FINDINGS });
  try {
    await typePath(page, "/out/trio.svg");
    await share(page, "svg");
    const dialog = page.locator('[data-testid="export-findings"]');
    await dialog.waitFor();
    const rows = dialog.locator('[data-testid="finding"]');
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await rows.nth(0).locator("td").allTextContents(), ["API key", "player coder: part", "sk-pro… (51 characters)"]);
    assert.deepEqual(await rows.nth(1).locator("td").allTextContents(), ["path of this computer", "file, line 12", "/home/composer/…"]);
    assert.match(await dialog.textContent(), /Sharing the picture \(SVG\) would carry them along/);
    // Cancel has the focus: Enter alone sends nothing.
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "findings-cancel");
    await shot(page, "share-findings");
    assert.equal((await callsOf(page, "export_score")).length, 0, "nothing is exported while the question stands");

    await page.click('[data-testid="findings-export"]');
    await dialog.waitFor({ state: "detached" });
    await page.waitForFunction(() => window.__studioMock.calls.some((c) => c.cmd === "export_score"));
    const [exported] = await callsOf(page, "export_score");
    assert.equal(exported.args.allow, true);
    assert.equal(exported.args.format, "svg");
    assert.equal(exported.args.target, "/out/trio.svg");
    await page.waitForSelector('.notice:has-text("Exported the picture (SVG) to trio.svg")');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("cancel, Escape or the close button exports nothing; copy as image asks the same", async () => {
  const { page, errors, close } = await studioWith({ findings: FINDINGS });
  try {
    await typePath(page, "/out/trio.md");
    const dialog = page.locator('[data-testid="export-findings"]');

    await share(page, "markdown");
    await page.click('[data-testid="findings-cancel"]');
    await dialog.waitFor({ state: "detached" });
    await page.waitForSelector('.notice:has-text("Nothing exported: the program notes was not written.")');

    await share(page, "mermaid");
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    await share(page, "png");
    await dialog.locator('button[aria-label="Close"]').click();
    await dialog.waitFor({ state: "detached" });

    // Ctrl+Shift+C copies the picture, after the same question.
    await page.click('[data-testid="player-coder"]');
    await page.keyboard.press("Control+Shift+C");
    await dialog.waitFor();
    await page.click('[data-testid="findings-cancel"]');
    await dialog.waitFor({ state: "detached" });
    await page.waitForSelector('.notice:has-text("Nothing copied.")');

    assert.equal((await callsOf(page, "export_score")).length, 0, "nothing was exported");
    assert.equal((await callsOf(page, "copy_picture")).length, 0, "nothing was copied");
    assert.equal((await callsOf(page, "check_export")).length, 4);

    await page.keyboard.press("Control+Shift+C");
    await page.click('[data-testid="findings-export"]');
    await page.waitForSelector('.notice:has-text("Copied the picture to the clipboard")');
    const copied = await callsOf(page, "copy_picture");
    assert.equal(copied.length, 1);
    assert.equal(copied[0].args.allow, true);
    assert.equal(copied[0].args.path, TRIO_PATH);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the menu works from the keyboard: Ctrl+Shift+E, arrows, Enter, Escape", async () => {
  const { page, errors, close } = await studioWith();
  try {
    await page.click('[data-testid="player-coder"]');
    await page.keyboard.press("Control+Shift+E");
    const menu = page.locator('[data-testid="share-menu"]');
    await menu.waitFor();
    assert.deepEqual(await menu.locator('[role="menuitem"]').allTextContents(), [
      "Picture (SVG)",
      "Picture (PNG)",
      "Picture (PNG 2x)",
      "Copy as imageCtrl+Shift+C",
      "Mermaid flowchart",
      "Program notes (Markdown)",
      "Bundle (.score.zip)",
      "Open bundle…",
      "Import from CrewAI or LangGraph…",
    ]);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-testid"));
    assert.equal(await focused(), "share-svg");
    await shot(page, "share-menu");
    await page.evaluate(() => (document.documentElement.dataset.theme = "dark"));
    await shot(page, "share-menu-dark");
    await page.evaluate(() => (document.documentElement.dataset.theme = "light"));
    await page.keyboard.press("ArrowUp");
    assert.equal(await focused(), "share-import", "up from the first item wraps to the last");
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    assert.equal(await focused(), "share-copy");
    // The canvas's shortcuts keep still while the menu has the keys: Delete removes no player.
    await page.keyboard.press("Delete");
    assert.equal(await page.locator('[data-testid="player-coder"]').count(), 1);
    await page.keyboard.press("Enter");
    await menu.waitFor({ state: "detached" });
    await page.waitForFunction(() => window.__studioMock.calls.some((c) => c.cmd === "copy_picture"));
    assert.equal(await focused(), "share", "the focus goes back to the Share button");

    await page.keyboard.press("Control+Shift+E");
    await menu.waitFor();
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    assert.equal(await focused(), "share");
    assert.equal(await page.locator('[data-testid="player-coder"]').count(), 1);

    // A click elsewhere closes it too.
    await page.click('[data-testid="share"]');
    await menu.waitFor();
    await page.mouse.click(640, 500);
    await menu.waitFor({ state: "detached" });
    assert.equal((await callsOf(page, "export_score")).length, 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("without test paths the save dialog offers the default name beside the score", async () => {
  const { page, errors, close } = await studioWith({ dialogs: ["/picked/notes.md", null] });
  try {
    await share(page, "markdown");
    await page.waitForFunction(() => window.__studioMock.calls.some((c) => c.cmd === "export_score"));
    const [asked] = await callsOf(page, "plugin:dialog|save");
    assert.equal(asked.args.options.defaultPath, "/scores/feature-trio.md");
    assert.deepEqual(asked.args.options.filters, [{ name: "Markdown", extensions: ["md"] }]);
    const [exported] = await callsOf(page, "export_score");
    assert.equal(exported.args.target, "/picked/notes.md");
    assert.equal(exported.args.format, "markdown");

    // A cancelled dialog writes nothing.
    await share(page, "svg");
    await page.waitForFunction(() => window.__studioMock.calls.filter((c) => c.cmd === "plugin:dialog|save").length === 2);
    await page.waitForTimeout(100);
    assert.equal((await callsOf(page, "export_score")).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a bundle of unsaved changes is refused until the score is saved; export failures are told", async () => {
  const { page, errors, close } = await studioWith({ refuseExport: "could not write /out/trio.svg: Permission denied (os error 13)" });
  try {
    await typePath(page, "/out/trio.svg");
    await share(page, "svg");
    await page.waitForSelector('.notice.error:has-text("Could not export the picture (SVG): could not write /out/trio.svg: Permission denied")');
    assert.equal((await callsOf(page, "export_score")).length, 1);

    await page.click('[data-testid="tidy"]');
    await page.waitForSelector('[data-testid="doc-name"] .dirty-mark');
    await typePath(page, "/out/trio.score.zip");
    await share(page, "zip");
    await page.waitForSelector('.notice.error:has-text("Save the score first")');
    assert.equal((await callsOf(page, "export_score")).length, 1, "the bundle was not exported");
    assert.equal((await callsOf(page, "check_export")).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("dropping a score opens it; a bundle opens into the folder named; anything else is refused", async () => {
  const bundle = "/downloads/loop.score.zip";
  const { page, errors, close } = await studioWith({
    bundles: { [bundle]: { name: "loop.score.toml", score: loopScore() }, "/downloads/bad.score.zip": { refuse: "bad.score.zip: entry ../evil leaves the folder" } },
  });
  try {
    const name = page.locator('[data-testid="doc-name"]');
    // While files are dragged over the window, it says what a drop does.
    await drop(page, ["/x/loop.score.toml"], "tauri://drag-enter");
    await page.waitForSelector('[data-testid="drop-overlay"]');
    await shot(page, "share-drop-overlay");
    await drop(page, [], "tauri://drag-leave");
    await page.waitForSelector('[data-testid="drop-overlay"]', { state: "detached" });

    await drop(page, [LOOP_PATH]);
    await page.waitForFunction(() => document.querySelector('[data-testid="doc-name"]')?.textContent === "loop.score.toml");
    assert.equal(await page.locator('[data-testid="drop-overlay"]').count(), 0);

    // Not a score: refused with a message, nothing opened.
    const opens = (await callsOf(page, "open_score")).length;
    await drop(page, ["/home/composer/notes.txt"]);
    await page.waitForSelector('.notice.error:has-text("Not opened: notes.txt. Drop a score (.score.toml), a bundle (.score.zip), a CrewAI project (agents.yaml, tasks.yaml or its folder) or a LangGraph graph (.json).")');
    assert.equal((await callsOf(page, "open_score")).length, opens);
    assert.equal(await name.textContent(), "loop.score.toml");

    // A bundle with no folder named opens nothing.
    await typePath(page, "");
    await drop(page, [bundle]);
    await page.waitForSelector('.notice:has-text("loop.score.zip was not opened: no folder was chosen for it.")');
    assert.equal((await callsOf(page, "open_bundle")).length, 0);

    // A refused bundle: its message, and the open score stays.
    await typePath(page, "/unpacked");
    await drop(page, ["/downloads/bad.score.zip"]);
    await page.waitForSelector('.notice.error:has-text("entry ../evil leaves the folder")');
    assert.equal(await name.textContent(), "loop.score.toml");

    await drop(page, [TRIO_PATH]);
    await page.waitForFunction(() => document.querySelector('[data-testid="doc-name"]')?.textContent === "feature-trio.score.toml");
    await drop(page, [bundle]);
    await page.waitForFunction(() => document.querySelector('[data-testid="doc-name"]')?.textContent === "loop.score.toml");
    const opened = await callsOf(page, "open_bundle");
    assert.deepEqual(opened.at(-1).args, { bundle, into: "/unpacked" });
    assert.equal((await callsOf(page, "open_score")).at(-1).args.path, "/unpacked/loop.score.toml");
    await page.waitForSelector('.notice:has-text("Unpacked 1 file from loop.score.zip into /unpacked")');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
