// Sharing in the real window: export the picture and the program notes of an example through the
// Share menu and read the files back; drop a score, and a bundle, onto the window and see them
// open. WebDriver cannot drag files from the desktop, so the drop is delivered as Tauri delivers
// one: the webview's drag-and-drop events, emitted through the app's event system.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse as parseToml } from "smol-toml";
import { byTestId, dragEvent, ensemble, env, noticeSays, scratch, screenshot, typePath, usePath, withStudio } from "./app.mjs";

const examples = path.join(env.root, "assets/scores");

async function shownPlayers(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('.react-flow__node [data-testid^="player-"]')].map((node) => node.getAttribute("data-testid").slice("player-".length)),
  );
}

const docName = (browser) => browser.$(byTestId("doc-name")).getProperty("textContent");

test("the picture and the program notes of an example, exported through the Share menu", async () => {
  const dir = scratch("share");
  const score = path.join(dir, "feature-trio.score.toml");
  copyFileSync(path.join(examples, "feature-trio.score.toml"), score);
  const parsed = parseToml(readFileSync(score, "utf8"));
  const svg = path.join(dir, "trio.svg");
  const notes = path.join(dir, "trio.md");

  await withStudio([], async (browser) => {
    await browser.$(byTestId("welcome")).waitForDisplayed();
    await usePath(browser, score, "#test-open");
    await browser.$(byTestId("player-coder")).waitForDisplayed();

    await typePath(browser, svg);
    await browser.$(byTestId("share")).click();
    await browser.$(byTestId("share-menu")).waitForDisplayed();
    await screenshot(browser, "share-menu");
    await browser.$(byTestId("share-svg")).click();
    await noticeSays(browser, "Exported the picture (SVG) to trio.svg");

    await typePath(browser, notes);
    await browser.keys(["Control", "Shift", "e"]);
    await browser.$(byTestId("share-markdown")).waitForDisplayed();
    await browser.$(byTestId("share-markdown")).click();
    await noticeSays(browser, "Exported the program notes to trio.md");
    assert.equal(await browser.$(byTestId("export-findings")).isExisting(), false, "the example holds nothing the check objects to");

    // The picture is well-formed XML (read by the window's own XML parser) naming every player.
    assert.ok(existsSync(svg), "the SVG was written");
    const picture = await browser.execute((text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      return { error: doc.querySelector("parsererror")?.textContent ?? null, root: doc.documentElement.nodeName, text: doc.documentElement.textContent };
    }, readFileSync(svg, "utf8"));
    assert.equal(picture.error, null, "the SVG parses as XML");
    assert.equal(picture.root, "svg");
    for (const player of parsed.players) assert.ok(picture.text.includes(player.name), `the picture names ${player.name}`);

    // The notes hold every player's part, word for word.
    assert.ok(existsSync(notes), "the notes were written");
    const written = readFileSync(notes, "utf8");
    assert.match(written, /^# Feature trio/);
    for (const player of parsed.players) assert.ok(written.includes(player.part.trim()), `the notes hold ${player.id}'s part`);
  });
});

test("a score dropped onto the window opens; a bundle dropped opens into the folder named", async () => {
  const dir = scratch("drop");
  const band = path.join(dir, "research-band.score.toml");
  copyFileSync(path.join(examples, "research-band.score.toml"), band);
  const bandIds = parseToml(readFileSync(band, "utf8")).players.map((p) => p.id);
  // A bundle made by the engine from another example.
  const trio = path.join(dir, "feature-trio.score.toml");
  copyFileSync(path.join(examples, "feature-trio.score.toml"), trio);
  const bundle = path.join(dir, "trio.score.zip");
  const made = ensemble("export", trio, "--format", "zip", "-o", bundle);
  assert.equal(made.code, 0, made.stderr);
  const into = path.join(dir, "unpacked");
  mkdirSync(into);

  await withStudio([], async (browser) => {
    await browser.$(byTestId("welcome")).waitForDisplayed();
    await dragEvent(browser, "tauri://drag-enter", [band]);
    await browser.$(byTestId("drop-overlay")).waitForDisplayed();
    await screenshot(browser, "drop-overlay");
    await dragEvent(browser, "tauri://drag-drop", [band]);
    await browser.$(byTestId("drop-overlay")).waitForExist({ reverse: true });
    await browser.waitUntil(async () => (await docName(browser)) === "research-band.score.toml", { timeoutMsg: "the dropped score did not open" });
    // The canvas draws the players in view (it skips the others), and those are the band's.
    await browser.waitUntil(async () => (await shownPlayers(browser)).length > 0, { timeoutMsg: "no player of the dropped score is drawn" });
    for (const id of await shownPlayers(browser)) assert.ok(bandIds.includes(id), `${id} is a player of the dropped score`);
    await screenshot(browser, "score-dropped");

    // Not a score: refused, and the open score stays.
    await dragEvent(browser, "tauri://drag-drop", [path.join(dir, "notes.txt")]);
    await noticeSays(browser, "Not opened: notes.txt");
    assert.equal(await docName(browser), "research-band.score.toml");

    await typePath(browser, into);
    await dragEvent(browser, "tauri://drag-drop", [bundle]);
    await browser.waitUntil(async () => (await docName(browser)) === "feature-trio.score.toml", { timeoutMsg: "the dropped bundle did not open" });
    await browser.$(byTestId("player-coder")).waitForExist();
    const unpacked = path.join(into, "feature-trio.score.toml");
    assert.ok(existsSync(unpacked), "the bundle's score was unpacked into the folder named");
    assert.equal(readFileSync(unpacked, "utf8"), readFileSync(trio, "utf8"), "the unpacked score is the one bundled");
    assert.equal(await browser.$(byTestId("doc-name")).getAttribute("title"), unpacked, "the studio opened the unpacked file");
  });
});
