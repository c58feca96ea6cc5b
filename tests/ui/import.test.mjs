// Importing from other tools in the studio: a CrewAI project or a LangGraph graph dropped onto the
// window (or picked from the Share menu) is imported into the folder named, the score opens, and
// the report lists what could not be carried over; a refused file opens nothing and leaves the
// open score. The crew's score and report are the engine's own (tests/ui/fixtures/crew-import.json
// is the import operation's result on the crew beside it, checked by crates/api/tests/import.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mockState, shot, useStudio } from "./harness.mjs";
import { TRIO_PATH, trioScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 800 });
const crew = JSON.parse(readFileSync(new URL("./fixtures/crew-import.json", import.meta.url), "utf8"));

const AGENTS = "/work/news/config/agents.yaml";
const BOMB = "/work/bomb/tasks.yaml";
const GRAPH = "/work/graphs/support.json";

const graphImport = {
  name: "support.score.toml",
  score: { ...trioScore(), title: "Support" },
  report: { source: "langgraph", players: 3, cues: 2, notes: [] },
};

async function studioWith(options = {}) {
  const studio = await stage.open({
    startup: { initial_path: TRIO_PATH, test_paths: true },
    files: { [TRIO_PATH]: trioScore() },
    imports: {
      [AGENTS]: { name: "news.score.toml", score: crew.score, report: crew.report },
      [BOMB]: { refuse: "/work/bomb/tasks.yaml is not valid YAML: alias replay limit exceeded" },
      [GRAPH]: graphImport,
    },
    ...options,
  });
  await studio.page.waitForSelector('[data-testid="player-coder"]');
  return studio;
}

const callsOf = async (page, cmd) => (await mockState(page)).calls.filter((c) => c.cmd === cmd);
const docName = (page) => page.locator('[data-testid="doc-name"]').textContent();

async function drop(page, paths) {
  await page.evaluate(
    (paths) => window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event: "tauri://drag-drop", payload: { paths, position: { x: 300, y: 200 } } }),
    paths,
  );
}

test("a dropped CrewAI project is imported into the folder named, opens, and its report lists what was left out", async () => {
  const { page, errors, close } = await studioWith();
  try {
    // No folder named: nothing is imported.
    await page.fill("#test-path", "");
    await drop(page, [AGENTS]);
    await page.waitForSelector('.notice:has-text("agents.yaml was not imported: no folder was chosen for it.")');
    assert.equal((await callsOf(page, "import_project")).length, 0);

    // A refused file: its message, nothing opened, the open score stays.
    await page.fill("#test-path", "/imported");
    await drop(page, [BOMB]);
    await page.waitForSelector('.notice.error:has-text("Could not import tasks.yaml: /work/bomb/tasks.yaml is not valid YAML: alias replay limit exceeded")');
    assert.equal(await docName(page), "feature-trio.score.toml");
    assert.equal(await page.locator('[data-testid="import-report"]').count(), 0);

    await drop(page, [AGENTS]);
    const dialog = page.locator('[data-testid="import-report"]');
    await dialog.waitFor();
    assert.deepEqual((await callsOf(page, "import_project")).at(-1).args, { source: AGENTS, into: "/imported" });
    assert.equal((await callsOf(page, "open_score")).at(-1).args.path, "/imported/news.score.toml", "the imported score opens through the usual open flow");
    await page.waitForFunction(() => document.querySelector('[data-testid="doc-name"]')?.textContent === "news.score.toml");
    for (const player of crew.score.players) await page.waitForSelector(`[data-testid="player-${player.id}"]`);

    assert.equal(await dialog.locator("h2").textContent(), "Imported from CrewAI");
    const summary = await page.locator('[data-testid="import-summary"]').textContent();
    assert.ok(summary.startsWith("news.score.toml: 2 players and 1 cue."), summary);
    const rows = dialog.locator('[data-testid="import-note"]');
    assert.equal(await rows.count(), crew.report.notes.length, "every note of the engine's report is listed");
    const listed = await rows.allTextContents();
    for (const [i, note] of crew.report.notes.entries()) assert.equal(listed[i], `${note.place}${note.message}`);
    assert.ok(listed.some((row) => row.includes("tools SerperDevTool are not carried over")), listed.join("\n"));
    assert.ok(listed.some((row) => row.includes("llm `gemini/gemini-1.5-pro` has no matching instrument")), listed.join("\n"));
    assert.ok(listed.some((row) => row.includes("`output_file` is not carried over")), listed.join("\n"));
    await shot(page, "import-crewai-report");

    await page.click('[data-testid="import-report-close"]');
    await dialog.waitFor({ state: "detached" });
    assert.equal(await docName(page), "news.score.toml", "closing the report leaves the imported score open");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the Share menu imports a LangGraph graph picked in the open dialog", async () => {
  const { page, errors, close } = await studioWith({ dialogs: [GRAPH] });
  try {
    await page.fill("#test-path", "/graphs-imported");
    await page.click('[data-testid="share"]');
    await page.click('[data-testid="share-import"]');
    const dialog = page.locator('[data-testid="import-report"]');
    await dialog.waitFor();
    assert.equal(await dialog.locator("h2").textContent(), "Imported from LangGraph");
    assert.ok((await dialog.textContent()).includes("Everything was carried over."));
    assert.deepEqual((await callsOf(page, "import_project")).at(-1).args, { source: GRAPH, into: "/graphs-imported" });
    await page.waitForFunction(() => document.querySelector('[data-testid="doc-name"]')?.textContent === "support.score.toml");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
