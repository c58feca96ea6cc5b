// Resuming an interrupted performance from the past performances list, in a real browser with
// the shell mocked: the live view shows what was recorded, then the new stretch after it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 800 });

const CONTEXT = "sha256:abcdef0123456789";
const usage = { input_tokens: 4, output_tokens: 2 };

/** A performance whose process died while the reviewer played: the coder had finished. */
function interrupted() {
  let seq = 0;
  const ev = (body) => ({ seq: ++seq, at_ms: Date.UTC(2026, 0, 6, 9, 0, seq), ...body });
  const events = [
    ev({ type: "performance_started", performance: "cut-1", title: "Parser with review loop", context_version: CONTEXT, players: ["coder", "reviewer", "tester"], offline: true, resumed: false }),
    ev({ type: "player_cued", player: "coder", chorus: 1, context_version: CONTEXT, instrument: "rehearsal", rehearsal: true, handoffs: [] }),
    ev({ type: "token", player: "coder", text: "fn parse" }),
    ev({ type: "player_finished", player: "coder", chorus: 1, output: "fn parse() from before", usage, cost_usd: 0, elapsed_ms: 4 }),
    ev({ type: "cue_fired", from: "coder", to: "reviewer", count: 1 }),
    ev({ type: "player_cued", player: "reviewer", chorus: 1, context_version: CONTEXT, instrument: "rehearsal", rehearsal: true, handoffs: [] }),
  ];
  const summary = { id: "cut-1", title: "Parser with review loop", score_path: LOOP_PATH, started_ms: events[0].at_ms, finished_ms: null, status: "interrupted", outcome: null, tokens: 1, cost_usd: 0, offline: true, seed: 7 };
  return { summary, events };
}

/** A performance that ended, and one whose process still conducts it: neither can be resumed. */
function others() {
  const at = Date.UTC(2026, 0, 5, 9, 0, 0);
  const started = (id) => ({ seq: 1, at_ms: at, type: "performance_started", performance: id, title: "Parser with review loop", context_version: CONTEXT, players: ["coder"], offline: true, resumed: false });
  return [
    {
      summary: { id: "done-1", title: "Parser with review loop", score_path: LOOP_PATH, started_ms: at, finished_ms: at + 5, status: "finished", outcome: "budget_exceeded", tokens: 0, cost_usd: 0, offline: true, seed: 1 },
      events: [started("done-1"), { seq: 2, at_ms: at + 5, type: "performance_finished", outcome: "budget_exceeded", reason: "tokens", usage, cost_usd: 0, elapsed_ms: 5 }],
    },
    {
      summary: { id: "busy-1", title: "Parser with review loop", score_path: LOOP_PATH, started_ms: at - 1000, finished_ms: null, status: "running", outcome: null, tokens: 0, cost_usd: 0, offline: true, seed: 1 },
      events: [started("busy-1")],
    },
  ];
}

const liveState = (page, id) => page.getAttribute(`[data-testid="player-${id}"]`, "class").then((c) => /live-(\w+)/.exec(c)?.[1] ?? "none");

test("an interrupted performance resumes in the live view, after its recorded events, without replaying finished players", async () => {
  const { page, errors, close } = await stage.open({
    startup: { initial_path: LOOP_PATH },
    files: { [LOOP_PATH]: loopScore() },
    performances: [interrupted(), ...others()],
  });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    await page.click('[data-testid="tab-run"]');
    await page.click('[data-testid="run-view-past"]');
    await page.waitForSelector('[data-testid="performances"]');

    // Each past performance says where it stands; only the interrupted one offers to resume.
    assert.match(await page.textContent('[data-testid="performance-cut-1"]'), /interrupted/);
    assert.match(await page.textContent('[data-testid="performance-done-1"]'), /finished · budget exceeded/);
    assert.match(await page.textContent('[data-testid="performance-busy-1"]'), /running/);
    const offered = await page.$$eval('[data-testid^="resume-"]', (bs) => bs.map((b) => b.dataset.testid));
    assert.deepEqual(offered, ["resume-cut-1"]);
    await shot(page, "resume-offered");

    await page.click('[data-testid="resume-cut-1"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    assert.equal(await page.getAttribute('[data-testid="run-view-live"]', "aria-selected"), "true", "resuming shows the live view");

    const timeline = await page.$$eval('[data-testid="timeline"] li', (lis) => lis.map((li) => li.textContent));
    const resumedAt = timeline.findIndex((line) => /resumed “Parser with review loop”/.test(line));
    assert.ok(resumedAt > 0, `the recorded events come first, then the resumed stretch: ${timeline.join(" | ")}`);
    assert.ok(timeline.slice(0, resumedAt).some((line) => /coder cued/.test(line)), "the record is shown");
    assert.equal(timeline.filter((line) => /coder cued/.test(line)).length, 1, "the coder had finished and is not played again");
    assert.ok(timeline.slice(resumedAt).some((line) => /tester cued/.test(line)), "the rest is played");
    // The coder keeps the output it played before the interruption.
    assert.equal(await liveState(page, "coder"), "finished");
    assert.match(await page.textContent('[data-testid="player-coder"]'), /fn parse\(\) from before/);
    assert.equal(await liveState(page, "tester"), "finished");
    await shot(page, "resumed");

    const calls = (await mockState(page)).calls.map((c) => c.cmd).filter((cmd) => cmd === "performance_events" || cmd === "resume_performance");
    assert.deepEqual(calls, ["performance_events", "resume_performance"], "the record is read before the shell goes on");

    // Once finished it is listed as finished, with nothing left to resume.
    await page.click('[data-testid="run-view-past"]');
    await page.waitForSelector('[data-testid="performance-cut-1"]:has-text("finished · succeeded")');
    assert.equal(await page.locator('[data-testid="resume-cut-1"]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a resumed performance's tempo picker shows the tempo it was recorded with", async () => {
  // Recorded from a step-tempo score: no tempo change in the record, only its start says so.
  const recorded = interrupted();
  recorded.events[0] = { ...recorded.events[0], tempo: "step" };
  const { page, errors, close } = await stage.open({
    startup: { initial_path: LOOP_PATH },
    files: { [LOOP_PATH]: loopScore() },
    performances: [recorded],
    hold: true,
  });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    await page.click('[data-testid="tab-run"]');
    await page.click('[data-testid="run-view-past"]');
    await page.click('[data-testid="resume-cut-1"]');
    await page.waitForSelector('[data-testid="timeline"] li:has-text("resumed")');
    assert.equal(await page.locator('[data-testid="tempo-select"]').isEnabled(), true, "the resumed performance is conducting");
    assert.equal(await page.inputValue('[data-testid="tempo-select"]'), "step", "the picker shows the recorded tempo, not autonomous");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a refused resume says why and leaves the performance listed as it was", async () => {
  const first = interrupted();
  // The shell refuses it (as it would one claimed meanwhile by another process).
  const refused = { summary: { ...first.summary, id: "gone-1", status: "interrupted" }, events: [] };
  const { page, close } = await stage.open({
    startup: { initial_path: LOOP_PATH },
    files: { [LOOP_PATH]: loopScore() },
    performances: [refused],
    refuseResume: "performance gone-1 is still running in another process; cut it off there first",
  });
  try {
    await page.waitForSelector('[data-testid="player-coder"]');
    await page.click('[data-testid="tab-run"]');
    await page.click('[data-testid="run-view-past"]');
    await page.click('[data-testid="resume-gone-1"]');
    await page.waitForSelector('text=The performance could not be resumed: performance gone-1 is still running in another process');
    assert.equal(await page.getAttribute('[data-testid="run-view-past"]', "aria-selected"), "true", "the list stays in view");
    assert.equal(await page.locator('[data-testid="resume-gone-1"]').isEnabled(), true, "it can be tried again");
  } finally {
    await close();
  }
});
