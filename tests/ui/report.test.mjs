// Reports of past performances from the studio, in a real browser with the shell mocked: "Save
// report…" and "Export traces…" write the performance as the format asked to the file named,
// after the check on its recorded score; what the check finds is listed and nothing is written
// until "Export anyway".
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 800 });

const CONTEXT = "sha256:abcdef0123456789";

function finished(id) {
  const at = Date.UTC(2026, 0, 5, 9, 0, 0);
  const usage = { input_tokens: 4, output_tokens: 2 };
  return {
    summary: { id, title: "Parser with review loop", score_path: LOOP_PATH, started_ms: at, finished_ms: at + 5, status: "finished", outcome: "succeeded", tokens: 6, cost_usd: 0, offline: true, seed: 1 },
    events: [
      { seq: 1, at_ms: at, type: "performance_started", performance: id, title: "Parser with review loop", context_version: CONTEXT, players: ["coder"], offline: true, resumed: false },
      { seq: 2, at_ms: at + 5, type: "performance_finished", outcome: "succeeded", reason: null, usage, cost_usd: 0, elapsed_ms: 5 },
    ],
  };
}

async function pastPerformances(options = {}) {
  const studio = await stage.open({
    startup: { initial_path: LOOP_PATH, test_paths: true },
    files: { [LOOP_PATH]: loopScore() },
    performances: [finished("perf-a")],
    ...options,
  });
  await studio.page.waitForSelector('[data-testid="player-coder"]');
  await studio.page.click('[data-testid="tab-run"]');
  await studio.page.click('[data-testid="run-view-past"]');
  await studio.page.waitForSelector('[data-testid="performances"]');
  return studio;
}

const callsOf = async (page, cmd) => (await mockState(page)).calls.filter((c) => c.cmd === cmd);

test("a past performance is saved as a report and as traces, to the file named, after the check", async () => {
  const { page, errors, close } = await pastPerformances();
  try {
    await page.fill("#test-path", "/out/parser.report.html");
    await page.click('[data-testid="report-perf-a"]');
    await page.waitForSelector('.notice:has-text("Saved the report of “Parser with review loop” to parser.report.html")');
    await page.fill("#test-path", "");
    await page.click('[data-testid="traces-perf-a"]');
    await page.waitForSelector('.notice:has-text("Saved the traces of “Parser with review loop” to performance-perf-a.traces.json")');
    const saved = await callsOf(page, "save_report");
    assert.deepEqual(
      saved.map((c) => [c.args.id, c.args.format, c.args.target, c.args.allow]),
      [
        ["perf-a", "html", "/out/parser.report.html", false],
        ["perf-a", "otlp", "performance-perf-a.traces.json", false],
      ],
    );
    assert.deepEqual((await callsOf(page, "check_report")).map((c) => c.args.id), ["perf-a", "perf-a"], "each is checked first");
    await shot(page, "report-saved");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("what the check finds in the recorded score is asked about before a report is written", async () => {
  const findings = [{ kind: "api_key", place: "player coder: part", excerpt: "sk-pro… (51 characters)" }];
  const { page, errors, close } = await pastPerformances({ reportFindings: findings });
  try {
    await page.fill("#test-path", "/out/parser.report.html");
    await page.click('[data-testid="report-perf-a"]');
    await page.waitForSelector('[data-testid="export-findings"]');
    assert.match(await page.textContent('[data-testid="export-findings"]'), /player coder: part/);
    await page.click('[data-testid="findings-cancel"]');
    await page.waitForSelector('.notice:has-text("Nothing saved: the report was not written.")');
    assert.equal((await callsOf(page, "save_report")).length, 0, "nothing is written after Cancel");

    await page.click('[data-testid="report-perf-a"]');
    await page.click('[data-testid="findings-export"]');
    await page.waitForSelector('.notice:has-text("Saved the report")');
    const saved = await callsOf(page, "save_report");
    assert.deepEqual(saved.map((c) => c.args.allow), [true], "written only once allowed");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("with a receiver set in the settings, Send traces posts the performance there after the check", async () => {
  const { page, errors, close } = await pastPerformances({ store: { settings: { otlpEndpoint: "http://127.0.0.1:4318" } } });
  try {
    await page.click('[data-testid="send-traces-perf-a"]');
    await page.waitForSelector('.notice:has-text("Sent the traces of “Parser with review loop” to http://127.0.0.1:4318/v1/traces")');
    const sent = await callsOf(page, "send_traces");
    assert.deepEqual(sent.map((c) => [c.args.id, c.args.endpoint, c.args.allow]), [["perf-a", "http://127.0.0.1:4318", false]]);
    assert.deepEqual((await callsOf(page, "check_report")).map((c) => c.args.id), ["perf-a"], "checked first");

    // The receiver is a setting: cleared, the button goes away.
    await page.click('[data-testid="open-settings"]');
    await page.waitForSelector('[data-testid="settings"]');
    await page.fill("#set-otlp-endpoint", "");
    await page.keyboard.press("Escape");
    await page.waitForSelector('[data-testid="send-traces-perf-a"]', { state: "detached" });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("without a receiver there is no Send traces", async () => {
  const { page, errors, close } = await pastPerformances();
  try {
    await page.waitForSelector('[data-testid="traces-perf-a"]');
    assert.equal(await page.$('[data-testid="send-traces-perf-a"]'), null);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
