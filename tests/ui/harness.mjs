// Drives the built studio (ui/dist) in Debian's Chromium with the shell mocked (mock-ipc.ts).
// Every test gets a fresh page; the browser and the static server are shared per test file.
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";

const here = dirname(fileURLToPath(import.meta.url));
export const uiDir = resolve(here, "../../ui");
export const artifacts = resolve(here, "../artifacts");
const requireUi = createRequire(join(uiDir, "package.json"));
const { chromium } = requireUi("playwright-core");
const esbuild = requireUi("esbuild");

const TYPES = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/**
 * For one test file: serves ui/dist and launches Chromium before its tests, closes both after
 * them. `open(options)` opens a studio page with the mock shell (see openStudio).
 */
export function useStudio(viewport) {
  const stage = {};
  before(async () => {
    stage.server = await serveDist();
    stage.chromium = await launch(viewport);
  });
  after(async () => {
    await stage.chromium?.close();
    await stage.server?.close();
  });
  stage.open = (options) => openStudio(stage.chromium.browser, stage.server.url, options);
  return stage;
}

/** Serves ui/dist on a free loopback port. */
export async function serveDist() {
  const root = join(uiDir, "dist");
  if (!existsSync(join(root, "index.html"))) throw new Error("ui/dist is missing: run `npm run build` in ui/ first");
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const file = normalize(join(root, url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname)));
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

let mockScript;
/** The mock shell as one script, built once. */
export async function mockBundle() {
  mockScript ??= (
    await esbuild.build({
      entryPoints: [join(here, "mock-ipc.ts")],
      bundle: true,
      format: "iife",
      write: false,
      nodePaths: [join(uiDir, "node_modules")],
      logLevel: "silent",
    })
  ).outputFiles[0].text;
  return mockScript;
}

/** Chromium with a fresh profile; pages of the studio open in it (see openStudio). */
export async function launch(viewport = { width: 1400, height: 860 }) {
  const profile = mkdtempSync(join(tmpdir(), "studio-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A page of the studio with the mock shell installed before the studio's first call. Each page
 * has its own mock state; the studio keeps nothing in the browser profile.
 */
export async function openStudio(browser, url, options = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.addInitScript(`window.__studioMockOptions = ${JSON.stringify(options)};`);
  await page.addInitScript(await mockBundle());
  await page.goto(url);
  return { page, errors, close: () => page.close() };
}

export async function shot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
}

export async function mockState(page) {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.__studioMock)));
}
