// Reports of a performance from the real window: an example is performed offline through the
// CLI into the store the studio reads, then "Save report…" and "Export traces…" on it in the past
// performances write the HTML page and the OTLP JSON traces, which are read back.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { byTestId, ensemble, env, noticeSays, scratch, screenshot, typePath, usePath, withStudio } from "./app.mjs";

test("a past performance saved as a report and as traces from the real window", async () => {
  const dir = scratch("report");
  const score = path.join(dir, "feature-trio.score.toml");
  copyFileSync(path.join(env.root, "assets/scores/feature-trio.score.toml"), score);
  const run = ensemble("run", score, "--offline", "--seed", "2", "--events", "-");
  assert.equal(run.code, 0, run.stderr);
  const events = run.stdout.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  const id = events[0].performance;
  const cued = events.filter((e) => e.type === "player_cued");
  const finished = events.filter((e) => e.type === "player_finished");
  const page = path.join(dir, "trio.report.html");
  const traces = path.join(dir, "trio.traces.json");

  await withStudio([], async (browser) => {
    await browser.$(byTestId("welcome")).waitForDisplayed();
    await usePath(browser, score, "#test-open");
    await browser.$(byTestId("player-coder")).waitForDisplayed();
    await browser.$(byTestId("tab-run")).click();
    await browser.$(byTestId("run-view-past")).click();
    await browser.$(byTestId(`report-${id}`)).waitForDisplayed({ timeoutMsg: "the performance is not listed with its report button" });

    await typePath(browser, page);
    await browser.$(byTestId(`report-${id}`)).click();
    await noticeSays(browser, "Saved the report");
    await typePath(browser, traces);
    await browser.$(byTestId(`traces-${id}`)).click();
    await noticeSays(browser, "Saved the traces");
    await screenshot(browser, "report-saved");
  });

  assert.ok(existsSync(page), "the report was written");
  const html = readFileSync(page, "utf8");
  assert.ok(html.startsWith("<!DOCTYPE html>") && html.includes(id), "the report of this performance");
  for (const e of finished) assert.ok(html.includes(`data-player="${e.player}"`), `${e.player}'s turns are in the report`);
  assert.equal(html.match(/<section class="turn/g)?.length, cued.length, "one section per turn");
  const data = JSON.parse(readFileSync(traces, "utf8"));
  const spans = data.resourceSpans[0].scopeSpans[0].spans;
  assert.equal(spans.length, 1 + cued.length, "the performance and one span per player turn");
  assert.ok(spans.slice(1).every((s) => s.parentSpanId === spans[0].spanId), "every turn is a child of the performance");
});
