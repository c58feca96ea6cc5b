// Opening files with the studio while it already runs: a second launch of the same program with
// a score's path (what a file manager does on a double-click) hands the path to the running
// window and exits, and the window opens the score; a bundle opened the same way is unpacked
// into the folder named and its score opens. Of several files named at once, at the first launch
// or a later one, the first goes to the main window and each other one to a window of its own.
//
// On Linux the running studio is found over the D-Bus session bus, so this scenario starts a
// private bus of its own and a tauri-driver whose studio uses it, leaving the run's shared
// driver (and every other scenario) without a bus.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { byTestId, ensemble, env, scratch, screenshot, typePath, withStudio } from "./app.mjs";

const examples = path.join(env.root, "assets/scores");
const port = env.port + 100;
const busEnv = {};
const daemons = [];

/** A session bus that starts no service by itself: only the studio owns a name on it. */
const BUS_CONFIG = (dir) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

before(async () => {
  const dir = scratch("bus");
  writeFileSync(path.join(dir, "bus.conf"), BUS_CONFIG(dir));
  const bus = spawn("dbus-daemon", ["--print-address=1", "--nofork", "--nopidfile", `--config-file=${path.join(dir, "bus.conf")}`], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  daemons.push(bus);
  const [address] = await new Promise((resolve, reject) => {
    bus.once("error", reject);
    createInterface({ input: bus.stdout }).once("line", (line) => resolve([line.trim()]));
  });
  assert.match(address, /^unix:/, "the private bus printed its address");
  busEnv.DBUS_SESSION_BUS_ADDRESS = address;

  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], {
    env: { ...process.env, ...busEnv },
    stdio: "ignore",
  });
  daemons.push(driver);
  const deadline = Date.now() + 15000;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/status`)
      .then((r) => r.json())
      .then((s) => s.value?.ready === true || s.ready === true)
      .catch(() => false);
    if (ready) break;
    assert.ok(Date.now() < deadline, "the scenario's own tauri-driver did not become ready");
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(() => {
  for (const daemon of daemons.reverse()) daemon.kill();
});

/**
 * Starts the studio program a second time from `cwd` with `args` and waits for it to exit, as a
 * second instance does once the running one has its files. One that opens a window of its own
 * instead is stopped, and the scenario fails.
 */
function launchAgain(args, cwd) {
  return new Promise((resolve, reject) => {
    const second = spawn(env.app, args, { cwd, env: { ...process.env, ...busEnv }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    second.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      second.kill("SIGKILL");
      reject(new Error(`the second launch did not hand over and exit within 20 s (it ran as a studio of its own): ${stderr}`));
    }, 20000);
    second.once("error", reject);
    second.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const docName = (browser) => browser.$(byTestId("doc-name")).getProperty("textContent");

/** Waits for a window beside `first`, switches to it and waits for it to hold the file `name`. */
async function toSecondWindow(browser, first, name, noWindow, notOpened) {
  await browser.waitUntil(async () => (await browser.getWindowHandles()).length === 2, { timeoutMsg: noWindow });
  const [other] = (await browser.getWindowHandles()).filter((handle) => handle !== first);
  await browser.switchToWindow(other);
  await browser.waitUntil(async () => (await docName(browser)) === name, { timeoutMsg: notOpened });
}

test("a score and a bundle opened with the studio while it runs open in the running window", async () => {
  const dir = scratch("launch");
  copyFileSync(path.join(examples, "research-band.score.toml"), path.join(dir, "research-band.score.toml"));
  const trio = path.join(dir, "feature-trio.score.toml");
  copyFileSync(path.join(examples, "feature-trio.score.toml"), trio);
  const bundle = path.join(dir, "trio.score.zip");
  const made = ensemble("export", trio, "--format", "zip", "-o", bundle);
  assert.equal(made.code, 0, made.stderr);
  const into = path.join(dir, "unpacked");
  mkdirSync(into);

  await withStudio(
    [],
    async (browser) => {
      await browser.$(byTestId("welcome")).waitForDisplayed();

      // A relative path, as a file manager or a shell in that folder passes it: it is the second
      // launch's folder that counts, not the running studio's.
      const handed = await launchAgain(["research-band.score.toml"], dir);
      assert.equal(handed.code, 0, `the second launch exits cleanly once it has handed over: ${handed.stderr}`);
      await browser.waitUntil(async () => (await docName(browser)) === "research-band.score.toml", {
        timeoutMsg: "the running window did not open the score the second launch named",
      });
      assert.equal(await browser.$(byTestId("doc-name")).getAttribute("title"), path.join(dir, "research-band.score.toml"));
      await browser.$('.react-flow__node [data-testid^="player-"]').waitForExist();
      await screenshot(browser, "opened-by-second-launch");

      // A bundle: unpacked into the folder named (the test path field stands in for the folder dialog).
      await typePath(browser, into);
      const again = await launchAgain([bundle], env.work);
      assert.equal(again.code, 0, `the second launch exits cleanly once it has handed over: ${again.stderr}`);
      await browser.waitUntil(async () => (await docName(browser)) === "feature-trio.score.toml", {
        timeoutMsg: "the running window did not open the bundle the second launch named",
      });
      const unpacked = path.join(into, "feature-trio.score.toml");
      assert.ok(existsSync(unpacked), "the bundle's score was unpacked into the folder named");
      assert.equal(readFileSync(unpacked, "utf8"), readFileSync(trio, "utf8"), "the unpacked score is the one bundled");
      assert.equal(await browser.$(byTestId("doc-name")).getAttribute("title"), unpacked, "the studio opened the unpacked file");

      // Two files at once: the first goes to the running window, the second to a window of its own.
      const first = await browser.getWindowHandle();
      const both = await launchAgain(["research-band.score.toml", "feature-trio.score.toml"], dir);
      assert.equal(both.code, 0, `the second launch exits cleanly once it has handed over: ${both.stderr}`);
      await browser.waitUntil(async () => (await docName(browser)) === "research-band.score.toml", {
        timeoutMsg: "the running window did not open the first of two files the second launch named",
      });
      await toSecondWindow(
        browser,
        first,
        "feature-trio.score.toml",
        "no window opened for the second of two files the second launch named",
        "the new window did not open the second file",
      );
      assert.equal(await browser.$(byTestId("doc-name")).getAttribute("title"), trio, "the new window holds the second file, from the launch's folder");
      await browser.switchToWindow(first);
    },
    { port },
  );
});

test("two scores named at the studio's first launch open in two windows, one each", async () => {
  const dir = scratch("first-launch");
  const band = path.join(dir, "research-band.score.toml");
  const trio = path.join(dir, "feature-trio.score.toml");
  copyFileSync(path.join(examples, "research-band.score.toml"), band);
  copyFileSync(path.join(examples, "feature-trio.score.toml"), trio);

  // As a file manager opening two selected files passes them (%F): both on one command line.
  await withStudio([band, trio], async (browser) => {
    await browser.waitUntil(async () => (await docName(browser)) === "research-band.score.toml", {
      timeoutMsg: "the first window did not open the first file named",
    });
    const first = await browser.getWindowHandle();
    await toSecondWindow(
      browser,
      first,
      "feature-trio.score.toml",
      "no second window opened for the second file named",
      "the second window did not open the second file named",
    );
    assert.equal(await browser.$(byTestId("doc-name")).getAttribute("title"), trio, "the second window holds the second file");
    await browser.$('.react-flow__node [data-testid^="player-"]').waitForExist();
    assert.equal(await browser.getTitle(), "feature-trio.score.toml — Ensemble Studio", "each window is titled by its own file");
    await screenshot(browser, "second-file-in-its-own-window");

    await browser.switchToWindow(first);
    assert.equal(await docName(browser), "research-band.score.toml", "the first window still holds the first file");
    assert.equal(await browser.getTitle(), "research-band.score.toml — Ensemble Studio");
  });
});
