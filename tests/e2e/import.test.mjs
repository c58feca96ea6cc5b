// Importing from other tools in the real window: a CrewAI project folder dropped onto the window
// is imported by the engine into the folder named, the score opens and the report lists what
// was not carried over; a hostile file is refused with a message and nothing is written. The
// drop is delivered as Tauri delivers one (see share.test.mjs).
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { byTestId, dragEvent, env, scratch, screenshot, typePath, withStudio } from "./app.mjs";

const docName = (browser) => browser.$(byTestId("doc-name")).getProperty("textContent");

test("a CrewAI project dropped onto the window is imported, opens, and reports what was left out", async () => {
  const dir = scratch("import");
  // The crew the browser tests use, laid out as `crewai create crew` does.
  const project = path.join(dir, "news_crew");
  cpSync(path.join(env.root, "tests/ui/fixtures/crew-import"), path.join(project, "src/news_crew/config"), { recursive: true });
  writeFileSync(path.join(project, "src/news_crew/crew.py"), "crew = Crew(process=Process.sequential)\n");
  // An alias bomb where a tasks file is expected.
  const bomb = path.join(dir, "bomb");
  mkdirSync(bomb);
  writeFileSync(path.join(bomb, "agents.yaml"), "a:\n  role: A\n  goal: G\n  backstory: B\n");
  let yaml = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
  for (const [prev, next] of [["a", "b"], ["b", "c"], ["c", "d"], ["d", "e"], ["e", "f"], ["f", "g"], ["g", "h"]]) {
    yaml += `${next}: &${next} [${Array(10).fill(`*${prev}`).join(",")}]\n`;
  }
  writeFileSync(path.join(bomb, "tasks.yaml"), yaml);
  const into = path.join(dir, "scores");

  await withStudio([], async (browser) => {
    await browser.$(byTestId("welcome")).waitForDisplayed();
    await typePath(browser, into);

    await dragEvent(browser, "tauri://drag-drop", [path.join(bomb, "tasks.yaml")]);
    await browser.waitUntil(
      async () => (await browser.execute(() => [...document.querySelectorAll(".notice.error")].map((n) => n.textContent))).some((t) => t.includes("tasks.yaml is not valid YAML")),
      { timeoutMsg: "the alias bomb was not refused with a message" },
    );
    assert.ok(!existsSync(into), "nothing is written for a refused import");

    await dragEvent(browser, "tauri://drag-drop", [project]);
    const report = browser.$(byTestId("import-report"));
    await report.waitForDisplayed({ timeoutMsg: "no import report was shown" });
    const written = path.join(into, "news-crew.score.toml");
    assert.deepEqual(readdirSync(into), ["news-crew.score.toml"], "the score file, and nothing else, was written");
    await browser.waitUntil(async () => (await docName(browser)) === "news-crew.score.toml", { timeoutMsg: "the imported score did not open" });
    assert.equal(await browser.$(byTestId("doc-name")).getAttribute("title"), written);
    const summary = await browser.$(byTestId("import-summary")).getText();
    assert.ok(summary.startsWith("news-crew.score.toml: 2 players and 1 cue."), summary);
    const notes = await browser.execute(() => [...document.querySelectorAll('[data-testid="import-note"]')].map((row) => row.textContent));
    assert.ok(notes.some((n) => n.includes("tools SerperDevTool are not carried over")), notes.join("\n"));
    assert.ok(notes.some((n) => n.includes("`output_file` is not carried over")), notes.join("\n"));
    await screenshot(browser, "import-report");

    await browser.$(byTestId("import-report-close")).click();
    await report.waitForExist({ reverse: true });
    await browser.$(byTestId("player-researcher")).waitForExist({ timeoutMsg: "the imported researcher is not on the canvas" });
    await browser.$(byTestId("player-writer")).waitForExist();
    await screenshot(browser, "import-opened");
  });
});
