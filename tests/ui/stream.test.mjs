// A performance streaming at speed, the tempo changed while it plays, and a loop cue counting its
// choruses, in a real browser with the shell mocked: the mock sends what was recorded at most
// once a frame, as the shell does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 800 });

const CONTEXT = "sha256:c0ffee1234abcd5678";
const cued = (player, chorus = 1) => ({ type: "player_cued", player, chorus, context_version: CONTEXT, instrument: "rehearsal", rehearsal: true, handoffs: [] });
const finished = (player, chorus, output) => ({
  type: "player_finished",
  player,
  chorus,
  output,
  usage: { input_tokens: 4, output_tokens: 2 },
  cost_usd: 0,
  elapsed_ms: 3,
});

async function open(extra) {
  const studio = await stage.open({ startup: { initial_path: LOOP_PATH }, files: { [LOOP_PATH]: loopScore() }, hold: true, ...extra });
  await studio.page.waitForSelector('[data-testid="player-coder"]');
  return studio;
}

test("a burst of streamed tokens reaches the studio as one message and is folded in one update, in order", async () => {
  const words = Array.from({ length: 400 }, (_, i) => `w${i} `);
  const stream = [cued("coder"), ...words.map((text) => ({ type: "token", player: "coder", text }))];
  const { page, errors, close } = await open({ stream });
  try {
    await page.click('[data-testid="perform"]');
    // Every token counted: none lost.
    await page.waitForSelector('[data-testid="player-coder"] .tokens:has-text("400 tok")');
    const preview = await page.textContent('[data-testid="player-coder"]');
    assert.match(preview, /w397 w398 w399\s*$/, "the preview ends with the last tokens, in the order they were streamed");
    const { messages } = await mockState(page);
    assert.deepEqual(messages, [402], "the start, the cue and 400 tokens went out as one message");
    const updates = await page.evaluate(() => performance.getEntriesByName("ensemble:batch").map((m) => m.detail.events));
    assert.deepEqual(updates, messages, "each message was taken into the store in exactly one update");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the tempo can be changed while the performance plays, and the change shows once recorded", async () => {
  const { page, errors, close } = await open({});
  try {
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="played-tester"]');
    const select = page.locator('[data-testid="tempo-select"]');
    assert.equal(await select.inputValue(), "autonomous", "the score's tempo to begin with");
    await select.selectOption("step");
    await page.waitForSelector('[data-testid="timeline"] li:has-text("tempo set to step")');
    assert.equal(await select.inputValue(), "step");
    const sent = (await mockState(page)).calls.filter((c) => c.cmd === "conduct").map((c) => c.args.command);
    assert.deepEqual(sent, [{ type: "set_tempo", mode: "step" }]);
    await page.click('button:has-text("Cut off")');
    await page.waitForSelector('[data-testid="run-status"]:has-text("cut off")');
    assert.ok(await select.isDisabled(), "an ended performance's tempo cannot be changed");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a loop cue counts its choruses against its repeat limit while it cycles", async () => {
  const stream = [
    cued("coder"),
    finished("coder", 1, "draft"),
    { type: "cue_fired", from: "coder", to: "reviewer", count: 1 },
    cued("reviewer"),
    finished("reviewer", 1, "VERDICT: CHANGES"),
    { type: "cue_fired", from: "reviewer", to: "coder", count: 1 },
    cued("coder", 2),
    finished("coder", 2, "draft 2"),
    { type: "cue_fired", from: "coder", to: "reviewer", count: 2 },
    cued("reviewer", 2),
    finished("reviewer", 2, "VERDICT: CHANGES"),
    { type: "cue_fired", from: "reviewer", to: "coder", count: 2 },
    cued("coder", 3),
  ];
  const { page, errors, close } = await open({ stream });
  try {
    const loop = page.locator('[data-testid="loop-count-reviewer->coder"]');
    assert.equal(await loop.count(), 0, "no count before the loop has fired");
    await page.click('[data-testid="perform"]');
    await loop.waitFor();
    assert.equal((await loop.textContent()).trim(), "2/3", "fired twice of at most three");
    assert.equal(await page.locator('[data-testid="loop-count-coder->reviewer"]').count(), 0, "a cue without a repeat limit shows no count");
    await shot(page, "loop-count");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

/** Tells the page its window lost or got the focus, as the desktop does when the person switches away. */
const focus = (page, on) => page.evaluate((on) => window.dispatchEvent(new Event(on ? "focus" : "blur")), on);

test("a performance that finishes while the window is not focused sends a desktop notification, after asking once", async () => {
  const { page, errors, close } = await open({ hold: false });
  try {
    await focus(page, false);
    await page.click('[data-testid="perform"]');
    await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    await page.waitForFunction(() => window.__studioMock.notifications.length > 0);
    const { notifications, notificationRequests } = await mockState(page);
    assert.deepEqual(notifications, [{ title: "Performance finished", body: "Every player has played." }]);
    assert.equal(notificationRequests, 1, "permission was asked the first time a notification was due");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("nothing is notified while the window is focused, and a wait for the person is notified once it is not", async () => {
  const waits = [cued("coder"), finished("coder", 1, "draft"), { type: "checkpoint_waiting", from: "coder", to: "reviewer" }];
  const { page, errors, close } = await open({ stream: waits });
  try {
    for (const away of [false, true]) {
      await focus(page, !away);
      await page.click('[data-testid="perform"]');
      await page.waitForSelector('.waiting:has-text("Checkpoint coder → reviewer")');
      if (away) await page.waitForFunction(() => window.__studioMock.notifications.length > 0);
      // Give a notification that should not come the time it would take.
      else await page.waitForTimeout(200);
      const state = await mockState(page);
      if (away) {
        assert.deepEqual(state.notifications, [{ title: "Waiting for you", body: "The hand-off coder → reviewer waits for your approval." }]);
      } else {
        assert.deepEqual(state.notifications, [], "a focused window shows the wait itself");
        assert.equal(state.notificationRequests, 0, "no permission is asked for nothing");
      }
      await page.click('button:has-text("Cut off")');
      await page.waitForSelector('[data-testid="run-status"]:has-text("cut off")');
    }
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a person who refuses notifications is not asked again", async () => {
  const { page, errors, close } = await open({ hold: false, allowNotifications: false });
  try {
    await focus(page, false);
    for (let i = 0; i < 2; i++) {
      await page.click('[data-testid="perform"]');
      await page.waitForFunction((n) => window.__studioMock.calls.filter((c) => c.cmd === "perform").length === n, i + 1);
      await page.waitForSelector('[data-testid="run-status"]:has-text("succeeded")');
    }
    await page.waitForTimeout(200);
    const { notifications, notificationRequests } = await mockState(page);
    assert.deepEqual(notifications, []);
    assert.equal(notificationRequests, 1, "asked once, refused, not asked again");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
