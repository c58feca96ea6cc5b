// Starting the built studio through tauri-driver, and the few helpers every scenario uses.
// run.sh sets the environment: E2E_APP, E2E_CLI, E2E_ARTIFACTS, E2E_WORK, E2E_DRIVER_PORT.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import path from "node:path";
import { remote } from "webdriverio";

export const env = {
  app: required("E2E_APP"),
  cli: required("E2E_CLI"),
  root: required("E2E_ROOT"),
  artifacts: required("E2E_ARTIFACTS"),
  work: required("E2E_WORK"),
  port: Number(process.env.E2E_DRIVER_PORT ?? 4444),
};

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through tests/e2e/run.sh`);
  return value;
}

/** A fresh folder for one scenario's files. */
export function scratch(name) {
  mkdirSync(env.work, { recursive: true });
  return mkdtempSync(path.join(env.work, `${name}-`));
}

/**
 * Starts the studio (one window, one session) with optional command-line arguments, through the
 * tauri-driver on `port` (the run's own unless a scenario started another).
 */
export async function launch(args = [], port = env.port) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryCount: 0,
    waitforTimeout: 15000,
    capabilities: {
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: env.app, args },
    },
  });
  return browser;
}

let shot = 0;
/**
 * Saves a screenshot of the window under tests/artifacts/e2e/, numbered in the order taken.
 * Taken from the X display rather than through WebDriver: WebKitWebDriver's screenshot waits
 * for a new frame and, on an idle page without compositing, sometimes never gets one.
 */
export async function screenshot(browser, name) {
  shot += 1;
  const file = path.join(env.artifacts, `${String(shot).padStart(2, "0")}-${name}.png`);
  const { x, y, width, height } = await browser.getWindowRect();
  // Let the last change paint before the display is read.
  await browser.execute(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  execFileSync("import", ["-window", "root", "-crop", `${width}x${height}+${Math.max(0, x)}+${Math.max(0, y)}`, "+repage", file]);
  return file;
}

export const byTestId = (id) => `[data-testid="${id}"]`;

/** Runs the engine's CLI, returning { code, stdout, stderr } instead of throwing. */
export function ensemble(...args) {
  try {
    const stdout = execFileSync(env.cli, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { code: 0, stdout, stderr: "" };
  } catch (error) {
    return { code: error.status ?? -1, stdout: String(error.stdout ?? ""), stderr: String(error.stderr ?? "") };
  }
}

/** Types a path into the test-only path field and presses one of its buttons. */
export async function usePath(browser, file, button) {
  await typePath(browser, file);
  await browser.$(button).click();
}

/** Types `value` into the test path field without pressing any of its buttons. */
export async function typePath(browser, value) {
  const field = await browser.$("#test-path");
  await field.waitForDisplayed();
  await field.clearValue();
  await field.setValue(value);
}

/** Waits until a notice in the window says `text`. */
export async function noticeSays(browser, text) {
  await browser.waitUntil(async () => (await browser.execute(() => [...document.querySelectorAll(".notice")].map((n) => n.textContent))).some((t) => t.includes(text)), {
    timeoutMsg: `no notice said "${text}"`,
  });
}

/** Delivers a webview drag-and-drop event as the shell does when files are dragged onto the window. */
export async function dragEvent(browser, event, paths) {
  await browser.execute(
    (event, paths) => window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event, payload: { paths, position: { x: 400, y: 300 } } }),
    event,
    paths,
  );
}

/**
 * Runs `scenario` with a fresh studio window, closing it whatever happens. Afterwards the
 * window must have seen no Content-Security-Policy violation: the CSP is strict, and a blocked
 * style or script fails silently otherwise.
 */
export async function withStudio(args, scenario, { port } = {}) {
  const browser = await launch(args, port);
  try {
    await browser.execute(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await scenario(browser);
    assert.deepEqual(await browser.execute(() => window.__violations), [], "the window broke its content security policy");
    assert.ok(await browser.execute(() => document.styleSheets.length > 0), "the studio's stylesheet loaded under the CSP");
  } finally {
    await browser.deleteSession();
  }
}
