// Closing the studio while a performance plays: the window is closed as a person closes it (the
// window manager's close request), the performance's program is stopped rather than left running
// unseen, and the performance is recorded as cut off, not as interrupted.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { byTestId, ensemble, launch, scratch, screenshot } from "./app.mjs";
import { askToClose } from "./x11.mjs";

/** A one-player score whose program writes its pid to `pidFile`, then sleeps for ten minutes. */
function sleeperScore(pidFile) {
  return `format = 1
title = "Sleeper"

[intent]
goal = "Play for a long time."

[[players]]
id = "sleeper"
name = "Sleeper"
zone = "stabilizer"
part = "Wait."

[players.instrument]
kind = "command"
program = "sh"
args = ["-c", "echo $$ > '${pidFile}'; exec sleep 600"]
`;
}

/** Whether `pid` names a running process (a zombie waiting to be reaped has ended). */
function running(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !stat.slice(stat.lastIndexOf(")") + 1).trim().startsWith("Z");
  } catch {
    return false;
  }
}

/**
 * The sleeper runs a program, so the studio asks first and the person allows it; then it is
 * performed for real (not as a rehearsal) until its program has written its pid.
 */
async function trustAndPerform(browser, pidFile) {
  const allow = await browser.$(byTestId("trust-allow"));
  await allow.waitForDisplayed({ timeoutMsg: "the studio did not ask before running the score's program" });
  await allow.click();
  await browser.$(byTestId("trust-banner")).waitForDisplayed({ reverse: true, timeoutMsg: "the trust question stayed" });
  const offline = await browser.$(byTestId("offline"));
  if (await offline.isSelected()) await offline.click();
  await browser.$(byTestId("perform")).click();
  await browser.waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").endsWith("\n"), {
    timeout: 60000,
    timeoutMsg: "the program never started",
  });
}

/** Polls `done` every 100 ms for up to `limitMs` (a bound against hanging, not a speed target). */
async function eventually(limitMs, done) {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    if (await done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return done();
}

test("closing the window mid-performance stops its program and records the performance as cut off", async () => {
  const dir = scratch("closing");
  const file = path.join(dir, "sleeper.score.toml");
  const pidFile = path.join(dir, "program.pid");
  writeFileSync(file, sleeperScore(pidFile));

  const browser = await launch([file]);
  try {
    await browser.$(byTestId("player-sleeper")).waitForDisplayed({ timeoutMsg: "the score did not open" });
    await trustAndPerform(browser, pidFile);
    await screenshot(browser, "playing-before-close");
    await askToClose("sleeper.score.toml");
  } finally {
    // The app is gone (or going) already; ending the session only tidies up the driver.
    await browser.deleteSession().catch(() => undefined);
  }

  const pid = Number(readFileSync(pidFile, "utf8").trim());
  assert.ok(pid > 0, `the program wrote its pid: ${readFileSync(pidFile, "utf8")}`);
  let mine;
  const recorded = await eventually(30000, () => {
    const listed = ensemble("performances", "--json");
    mine = listed.code === 0 ? JSON.parse(listed.stdout).find((p) => p.score_path === file) : undefined;
    return mine?.status === "finished";
  });
  assert.ok(recorded, `the performance's end was recorded before the studio exited: ${JSON.stringify(mine)}`);
  assert.equal(mine.outcome, "cut_off", "closing cut the performance off");
  const shown = ensemble("show", mine.id);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /cut off/i, `the record says it was cut off:\n${shown.stdout}`);
  assert.ok(await eventually(30000, () => !running(pid)), `the program ${pid} outlived the closed studio`);
});

test("closing one of two windows cuts off what it was playing and leaves the other open", async () => {
  const dir = scratch("closing-one");
  const calm = path.join(dir, "calm.score.toml");
  writeFileSync(calm, readFileSync(path.join(import.meta.dirname, "..", "..", "assets", "scores", "feature-trio.score.toml"), "utf8"));
  const file = path.join(dir, "sleeper.score.toml");
  const pidFile = path.join(dir, "program.pid");
  writeFileSync(file, sleeperScore(pidFile));

  const browser = await launch([calm, file]);
  try {
    const first = await browser.getWindowHandle();
    await browser.waitUntil(async () => (await browser.getWindowHandles()).length === 2, {
      timeoutMsg: "no second window opened for the second file named",
    });
    const [second] = (await browser.getWindowHandles()).filter((handle) => handle !== first);
    await browser.switchToWindow(second);
    await browser.$(byTestId("player-sleeper")).waitForDisplayed({ timeoutMsg: "the second window did not open the sleeper" });
    await trustAndPerform(browser, pidFile);
    await askToClose("sleeper.score.toml");

    const pid = Number(readFileSync(pidFile, "utf8").trim());
    assert.ok(await eventually(30000, () => !running(pid)), `the program ${pid} outlived the window that played it`);
    let mine;
    const recorded = await eventually(30000, () => {
      const listed = ensemble("performances", "--json");
      mine = listed.code === 0 ? JSON.parse(listed.stdout).find((p) => p.score_path === file) : undefined;
      return mine?.status === "finished";
    });
    assert.ok(recorded, `the performance's end was recorded: ${JSON.stringify(mine)}`);
    assert.equal(mine.outcome, "cut_off", "closing its window cut the performance off");

    // The studio goes on in the other window.
    await browser.waitUntil(async () => (await browser.getWindowHandles()).length === 1, {
      timeoutMsg: "the closed window is still listed",
    });
    await browser.switchToWindow(first);
    assert.equal(await browser.getTitle(), "calm.score.toml — Ensemble Studio", "the first window is still open with its score");
    await screenshot(browser, "first-window-after-second-closed");
  } finally {
    await browser.deleteSession().catch(() => undefined);
  }
});
