// Canvas benchmark: a score of 500 players and 800 cues in Chromium, panned and zoomed for a few
// seconds; reports frames per second counted with requestAnimationFrame, and writes the figures
// into bench/README.md under "## Canvas" (only that section is touched).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launch, openStudio, serveDist, shot } from "./harness.mjs";
import { bigScore } from "./fixtures.mjs";

const PLAYERS = 500;
const CUES = 800;
const SECONDS = 4;
const here = dirname(fileURLToPath(import.meta.url));
const readme = resolve(here, "../../bench/README.md");

const server = await serveDist();
const chromium = await launch({ width: 1400, height: 860 });
try {
  const score = bigScore(PLAYERS, CUES);
  const started = Date.now();
  const { page, close } = await openStudio(chromium.browser, server.url, {
    startup: { initial_path: "/bench/big.score.toml" },
    files: { "/bench/big.score.toml": score },
  });
  await page.waitForSelector(".react-flow__node-player");
  const openMs = Date.now() - started;
  const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
  const cx = canvas.x + canvas.width / 2;
  const cy = canvas.y + canvas.height / 2;

  async function measure(label, action) {
    await page.evaluate(() => {
      window.__frames = 0;
      window.__counting = true;
      const tick = () => {
        if (!window.__counting) return;
        window.__frames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const t0 = Date.now();
    while (Date.now() - t0 < SECONDS * 1000) await action();
    const frames = await page.evaluate(() => {
      window.__counting = false;
      return window.__frames;
    });
    const seconds = (Date.now() - t0) / 1000;
    return { label, fps: frames / seconds };
  }

  // Zoomed in to a working scale first, the way people compose.
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -200);
  const results = [];
  let dir = 1;
  results.push(
    await measure("pan (drag the pane)", async () => {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      await page.mouse.move(cx + 300 * dir, cy + 120 * dir, { steps: 12 });
      await page.mouse.up();
      dir = -dir;
    }),
  );
  results.push(
    await measure("zoom (mouse wheel)", async () => {
      await page.mouse.move(cx, cy);
      for (let i = 0; i < 4; i++) await page.mouse.wheel(0, 120 * dir);
      dir = -dir;
    }),
  );
  await page.keyboard.press("f");
  await page.waitForTimeout(500);
  results.push(
    await measure("pan, whole score in view", async () => {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      await page.mouse.move(cx + 200 * dir, cy + 80 * dir, { steps: 12 });
      await page.mouse.up();
      dir = -dir;
    }),
  );
  await shot(page, "bench-canvas");
  await close();

  const lines = [
    "## Canvas",
    "",
    `\`npm run bench:canvas\` (in \`ui/\`): a generated score of ${PLAYERS} players and ${CUES} cues opened in headless`,
    "Chromium (software rendering, `--disable-gpu`), panned and zoomed for " + SECONDS + " s per row; frames counted with",
    "requestAnimationFrame. The studio renders only visible nodes and edges and reuses unchanged node objects.",
    "",
    "| interaction | frames per second |",
    "|---|---|",
    ...results.map((r) => `| ${r.label} | ${r.fps.toFixed(1)} |`),
    "",
    `Opening the score until the first players were drawn: ${openMs} ms. Last run: ${new Date().toISOString().slice(0, 10)}, ${process.platform}, Node ${process.version}.`,
    "",
  ];
  const section = lines.join("\n");
  const current = existsSync(readme) ? readFileSync(readme, "utf8") : "# Benchmarks\n\n";
  const start = current.indexOf("## Canvas");
  let next;
  if (start < 0) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const rest = current.slice(start + 1);
    const end = rest.search(/\n## /);
    // `end` points at the newline before the next heading; keep it, so a blank line stays between sections.
    next = current.slice(0, start) + section + (end < 0 ? "" : rest.slice(end));
  }
  writeFileSync(readme, next.endsWith("\n") ? next : `${next}\n`);
  for (const r of results) console.log(`${r.label}: ${r.fps.toFixed(1)} fps`);
  console.log(`open: ${openMs} ms; written to ${readme}`);
} finally {
  await chromium.close();
  await server.close();
}
