// Diagnostics in the real window: open the feature trio through the test path field, perform it
// offline, then diagnose it in the Diagnose tab. The diagnosis is the engine's, over the
// performance just recorded in the real store; the engine's own diagnosis of the same score and
// store (through the CLI) must agree with what the window shows.
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { byTestId, ensemble, env, scratch, screenshot, usePath, withStudio } from "./app.mjs";

const example = path.join(env.root, "assets/scores/feature-trio.score.toml");

test("after an offline performance, the Diagnose tab shows the composition chart and the attunement cards", async () => {
  const dir = scratch("diagnose");
  const file = path.join(dir, "feature-trio.score.toml");
  copyFileSync(example, file);
  await withStudio([], async (browser) => {
    await browser.$(byTestId("welcome")).waitForDisplayed();
    await usePath(browser, file, "#test-open");
    await browser.$(byTestId("player-coder")).waitForDisplayed();

    const offline = await browser.$(byTestId("offline"));
    if (!(await offline.isSelected())) await offline.click();
    await browser.$(byTestId("perform")).click();
    await browser.$(byTestId("run-status")).waitForDisplayed({ timeoutMsg: "the performance did not start" });
    await browser.waitUntil(async () => /succeeded|failed|ended|cut off/i.test(await browser.$(byTestId("run-status")).getText()), {
      timeout: 60000,
      timeoutMsg: "the performance did not end",
    });

    await browser.$(byTestId("tab-diagnose")).click();
    await browser.$(byTestId("diagnose-empty")).waitForDisplayed({ timeoutMsg: "the Diagnose tab did not open" });
    await browser.$(byTestId("diagnose")).click();
    await browser.$(byTestId("report")).waitForDisplayed({ timeout: 30000, timeoutMsg: "no diagnosis appeared" });

    // The chart: one bar per zone, the Innovator an empty slot (nobody in the trio plays it).
    const zones = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="composition"] [data-zone]')].map((n) => [n.getAttribute("data-zone"), n.classList.contains("gap"), n.querySelector("rect").getBBox().height]),
    );
    assert.deepEqual(zones.map(([zone, gap]) => [zone, gap]), [
      ["innovator", true],
      ["integrator", false],
      ["improver", false],
      ["stabilizer", false],
    ]);
    assert.ok(zones.slice(1).every(([, , height]) => height > 10), `the bars are drawn: ${JSON.stringify(zones)}`);

    // The cards: six dimensions, over the one performance just played.
    const cards = await browser.execute(() => [...document.querySelectorAll(".dimension-card")].map((n) => n.getAttribute("data-testid")));
    assert.deepEqual(cards, ["card-listening", "card-trust", "card-cohesion", "card-tempo", "card-same_song", "card-voice"]);
    assert.match(await browser.$(byTestId("diagnosis-scope")).getText(), /Over the latest 1 performance\b/);
    const sameSong = await browser.$(`${byTestId("metric-same_song.shared_version")} ${byTestId("metric-value")}`).getText();
    assert.equal(sameSong, "100%", "every player played from the same shared context");

    // The player badges: every player of the trio plays in the zone it declares.
    for (const id of ["coder", "reviewer", "tester", "documenter"]) {
      const badge = await browser.$(byTestId(`zone-fit-${id}`));
      assert.ok(await badge.isDisplayed(), `${id} has a zone badge`);
      assert.equal(await badge.getText().then((t) => t.startsWith("✓")), true, `${id} plays as declared`);
    }
    await screenshot(browser, "diagnosed");

    // Evidence selects on the canvas: the E-I index over cues names the cues across sections.
    await browser.$(`${byTestId("metric-listening.ei_cues")} ${byTestId("evidence")}`).click();
    const selectedCues = () => browser.execute(() => document.querySelectorAll("path.cue-edge.selected").length);
    await browser.waitUntil(async () => (await selectedCues()) === 3, { timeoutMsg: "the three cues across sections were not selected" });

    // A person answers the survey in the window; the answers are kept in the real store, the
    // diagnosis is made again, and the person is listed with the day the store kept them. All ten
    // points go to each scenario's first statement, whose zones are Innovator, Integrator,
    // Improver, Stabilizer, Innovator, Integrator: 20, 20, 10 and 10 of 60 points, so Innovator
    // and Integrator (1/3 each) clear the band above the midpoint 1/4.
    await browser.$(byTestId("fill-survey")).click();
    await browser.$(byTestId("scenario-6")).waitForDisplayed({ timeoutMsg: "the survey did not open" });
    await browser.$(byTestId("survey-person")).setValue("Ada");
    for (let scenario = 1; scenario <= 6; scenario++) {
      await browser.$(`${byTestId(`scenario-${scenario}`)} input`).setValue("10");
    }
    for (let item = 1; item <= 7; item++) {
      await browser.$(`${byTestId(`safety-${item}`)} input[value="4"]`).click();
    }
    await browser.$(byTestId("survey-keep")).click();
    await browser.$(byTestId("survey-dialog")).waitForExist({ reverse: true, timeoutMsg: "the answers were not kept" });
    const ada = await browser.$(`${byTestId("respondents")} tr[data-person="Ada"]`);
    await ada.waitForExist({ timeout: 30000, timeoutMsg: "the diagnosis made again does not list Ada" });
    const today = await browser.execute(() => new Date().toLocaleDateString(undefined, { dateStyle: "medium" }));
    assert.equal(await ada.$(".answered").getText(), today, "kept today, by the store");
    assert.equal(await ada.$(".primary").getText(), "Innovator, Integrator");
    assert.equal(await ada.$(".counted").getText(), "questionnaire and safety");
    await ada.scrollIntoView();
    await screenshot(browser, "diagnosis-respondents");

    // The report opens in a sandboxed frame under the studio's CSP.
    await browser.$(byTestId("open-report")).click();
    const frame = await browser.$(byTestId("report-frame"));
    await frame.waitForDisplayed({ timeoutMsg: "the report did not open" });
    assert.equal(await frame.getAttribute("sandbox"), "");
    await screenshot(browser, "diagnosis-report");
  });

  // The engine, asked directly, read the same performance and finds the same gap.
  const cli = ensemble("diagnose", file, "--format", "json");
  assert.equal(cli.code, 0, cli.stderr);
  const report = JSON.parse(cli.stdout);
  assert.equal(report.performances.length, 1);
  assert.deepEqual(report.composition.gaps, ["innovator"]);
});
