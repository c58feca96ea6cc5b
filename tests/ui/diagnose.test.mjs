// The Diagnose view in a real browser, the shell mocked with recorded answers: diagnoses made by
// the engine itself after offline performances of assets/scores/feature-trio.score.toml
// (fixtures/feature-trio.report.json: `ensemble run … --offline` twice, then `ensemble diagnose
// … --format json`), and of the same score with the reviewer declared an Innovator
// (fixtures/feature-trio-mismatch.report.json), which it does not play as; and of the trio never
// performed (fixtures/feature-trio-unperformed.report.json, `ensemble diagnose` on an empty store); and of the trio
// with survey answers kept (fixtures/feature-trio-surveyed.report.json, `ensemble diagnose … --survey`). The questions are the
// engine's (fixtures/questionnaire.json, from crates/diagnostics/src/questionnaire.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mockState, shot, useStudio } from "./harness.mjs";
import { TRIO_PATH, trioScore } from "./fixtures.mjs";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const json = (name) => JSON.parse(readFileSync(join(fixtures, name), "utf8"));
const REPORTS = [json("feature-trio.report.json"), json("feature-trio-mismatch.report.json")];
// The trio diagnosed with two people's answers kept: Ada (5, 4, 1 and 0 points on the Innovator,
// Integrator, Improver and Stabilizer statements of every scenario: 0.5, 0.4, 0.1, 0, so Innovator
// and Integrator clear the band above the midpoint 0.25) and Grace (the safety items only).
const SURVEYED = json("feature-trio-surveyed.report.json");
const QUESTIONNAIRE = json("questionnaire.json");
const REPORT_HTML = readFileSync(join(fixtures, "feature-trio.report.html"), "utf8");
const MISMATCH_PATH = "/scores/feature-trio-mismatch.score.toml";
const SURVEY_PATH = "/surveys/ada.survey.toml";

/** The trio with its reviewer declared an Innovator: it still reviews, so it plays as an Improver. */
function mismatchScore() {
  const score = trioScore();
  return { ...score, players: score.players.map((p) => (p.id === "reviewer" ? { ...p, zone: "innovator" } : p)) };
}

const stage = useStudio({ width: 1400, height: 900 });

async function diagnosed(path = TRIO_PATH, extra = {}) {
  const studio = await stage.open({
    startup: { initial_path: path, test_paths: true },
    files: { [TRIO_PATH]: trioScore(), [MISMATCH_PATH]: mismatchScore() },
    reports: REPORTS,
    reportHtml: REPORT_HTML,
    questionnaire: QUESTIONNAIRE,
    ...extra,
  });
  const { page } = studio;
  await page.waitForSelector('[data-testid="player-coder"]');
  await page.click('[data-testid="tab-diagnose"]');
  await page.waitForSelector('[data-testid="diagnose-empty"]');
  await page.click('[data-testid="diagnose"]');
  await page.waitForSelector('[data-testid="report"]');
  return studio;
}

const calls = async (page, cmd) => (await mockState(page)).calls.filter((c) => c.cmd === cmd).map((c) => c.args);
const isSelected = (page, id) => page.$eval(`[data-testid="player-${id}"]`, (n) => n.classList.contains("selected"));

test("the composition chart has a bar per zone, and an empty zone shows as a gap", async () => {
  const { page, errors, close } = await diagnosed();
  try {
    const bars = await page.$$eval('[data-testid="composition"] [data-zone]', (nodes) =>
      nodes.map((n) => ({ zone: n.getAttribute("data-zone"), gap: n.classList.contains("gap"), height: n.querySelector("rect").getBBox().height })),
    );
    assert.deepEqual(bars.map((b) => b.zone), ["innovator", "integrator", "improver", "stabilizer"]);
    assert.deepEqual(bars.map((b) => b.gap), [true, false, false, false], "nobody plays Innovator in the trio");
    const [, integrator, improver, stabilizer] = bars.map((b) => b.height);
    assert.ok(integrator > 10, `the Integrator bar is drawn (${integrator}px)`);
    assert.ok(Math.abs(improver - 2 * integrator) < 2, `two Improvers to one Integrator: ${improver}px vs ${integrator}px`);
    assert.ok(Math.abs(stabilizer - integrator) < 1);
    assert.match(await page.textContent('[data-testid="zone-improver"]'), /Improver 50%.*Reviewer, Tester/);
    assert.match(await page.textContent('[data-testid="metric-composition.gaps"]'), /no Innovator: add a player who explores/);
    assert.equal(await page.locator('[data-testid="composition"] .recharts-xAxis .recharts-cartesian-axis-tick').count(), 4);
    assert.deepEqual(await calls(page, "diagnose"), [{ score: trioScore(), path: TRIO_PATH, last: 10 }]);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a flagged attunement card shows its advice, and its evidence selects the players and cues concerned", async () => {
  const { page, errors, close } = await diagnosed();
  try {
    const cards = await page.$$eval(".dimension-card", (nodes) => nodes.map((n) => n.getAttribute("data-testid")));
    assert.deepEqual(cards, ["card-listening", "card-trust", "card-cohesion", "card-tempo", "card-same_song", "card-voice"]);
    assert.equal(await page.$eval('[data-testid="card-trust"]', (n) => n.classList.contains("flagged")), true);
    assert.equal(await page.$eval('[data-testid="card-tempo"]', (n) => n.classList.contains("flagged")), false);
    const firstPass = page.locator('[data-testid="metric-trust.first_pass"]');
    assert.equal(await firstPass.evaluate((n) => n.classList.contains("flagged")), true);
    assert.equal(await firstPass.locator('[data-testid="metric-value"]').textContent(), "0%");
    assert.match(await firstPass.textContent(), /flag below 50%/);
    assert.match(await firstPass.locator('[data-testid="metric-advice"]').textContent(), /work from Coder is often sent back: write into Coder's part what its reviewer checks/);
    assert.ok((await page.locator('[data-testid="card-tempo"] [data-testid="sparkline"]').count()) > 0, "a trend line over the recorded diagnoses");

    // The first-pass evidence is about the reviewer's gate: the reviewer is selected, nobody else.
    await firstPass.locator('[data-testid="evidence"]').click();
    await page.waitForSelector('[data-testid="player-reviewer"].selected');
    assert.deepEqual(await Promise.all(["coder", "tester", "documenter"].map((id) => isSelected(page, id))), [false, false, false]);
    assert.ok(await page.isVisible('[data-testid="diagnose-panel"]'), "the Diagnose view stays open while evidence is shown");

    // The review loop's evidence is a cue: the cue reviewer -> coder is selected, and no player.
    await page.click('[data-testid="metric-trust.loop_choruses"] [data-testid="evidence"]');
    await page.waitForSelector('[data-testid="cue-label-reviewer->coder"].selected');
    assert.equal(await isSelected(page, "reviewer"), false);
    assert.equal(await page.locator(".cue-label.selected").count(), 1);

    // The bottleneck names the coder.
    await page.click('[data-testid="metric-tempo.bottleneck"] [data-testid="evidence"]');
    await page.waitForSelector('[data-testid="player-coder"].selected');
    await shot(page, "diagnose");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("each player shows the zone it plays in; a player declared in another zone is marked", async () => {
  // In the dark theme, to see both themes in the screenshots.
  const { page, errors, close } = await diagnosed(MISMATCH_PATH, { store: { settings: { theme: "dark" } } });
  try {
    const reviewer = page.locator('[data-testid="zone-fit-reviewer"]');
    assert.equal(await reviewer.evaluate((n) => n.classList.contains("mismatch")), true);
    assert.match(await reviewer.textContent(), /≠ Improver/);
    assert.match(await reviewer.getAttribute("title"), /Declared Innovator, plays as Improver/);
    for (const id of ["coder", "tester", "documenter"]) {
      assert.equal(await page.$eval(`[data-testid="zone-fit-${id}"]`, (n) => n.classList.contains("mismatch")), false, `${id} plays as declared`);
    }
    const mismatches = page.locator('[data-testid="metric-alignment.mismatch"]');
    assert.equal(await mismatches.evaluate((n) => n.classList.contains("flagged")), true);
    assert.match(await mismatches.textContent(), /Reviewer is declared Innovator but plays as Improver/);
    assert.equal(await page.getAttribute("html", "data-theme"), "dark");
    await shot(page, "diagnose-mismatch-dark");

    // Zoomed out to compact players, the mark stays and its words go.
    while ((await page.getAttribute(".canvas", "data-detail")) !== "compact") {
      await page.click(".react-flow__controls-zoomout");
      await page.waitForTimeout(150);
    }
    assert.equal(await reviewer.isVisible(), true, "the mark is still drawn on a compact player");
    assert.equal(await reviewer.locator(".zone-fit-words").isVisible(), false, "its words wait for a closer view");
    const mark = await reviewer.boundingBox();
    assert.ok(mark.height >= 13, `the mark is readable (${mark.height}px tall)`);
    await shot(page, "diagnose-mismatch-compact");

    // The badges belong to the Diagnose view.
    await page.click('[data-testid="tab-score"]');
    assert.equal(await page.locator('[data-testid^="zone-fit-"]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("a score never performed is diagnosed on its alignment only, and says what would add attunement", async () => {
  const { page, errors, close } = await diagnosed(TRIO_PATH, { reports: [json("feature-trio-unperformed.report.json")] });
  try {
    assert.match(await page.textContent('[data-testid="diagnosis-scope"]'), /No performances yet: alignment only\. Perform the score/);
    assert.equal(await page.locator('[data-testid="composition"] [data-zone]').count(), 4, "the composition needs no performance");
    assert.match(await page.textContent('[data-testid="card-trust"]'), /Needs a recorded performance/);
    assert.equal(await page.textContent('[data-testid="metric-trust.first_pass"] [data-testid="metric-value"]'), "n/a");
    assert.equal(await page.textContent('[data-testid="metric-listening.ei_cues"] [data-testid="metric-value"]'), "+0.50", "cues across sections count before any performance");
    assert.match(await page.textContent('[data-testid="card-voice"]'), /Nobody has answered the survey yet/);
    assert.equal(await page.locator('[data-testid="step-forward"]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the survey refuses a scenario that does not add up to 10, and keeps the answers once it does", async () => {
  const { page, errors, close } = await diagnosed();
  try {
    await page.click('[data-testid="fill-survey"]');
    await page.waitForSelector('[data-testid="scenario-6"]');
    await page.fill('[data-testid="survey-person"]', "Ada");
    const fill = async (scenario, points) => {
      const inputs = page.locator(`[data-testid="scenario-${scenario}"] input`);
      for (let i = 0; i < points.length; i++) await inputs.nth(i).fill(String(points[i]));
    };
    await fill(1, [4, 3, 2, 0]);
    for (let s = 2; s <= 6; s++) await fill(s, [1, 2, 3, 4]);
    assert.match(await page.textContent('[data-testid="scenario-1"] [data-testid="scenario-total"]'), /9 of 10/);
    await page.click('[data-testid="survey-keep"]');
    await page.waitForSelector('[data-testid="survey-problems"]');
    assert.deepEqual(await page.$$eval('[data-testid="survey-problems"] li', (n) => n.map((li) => li.textContent)), ["Scenario 1 adds up to 9, not 10."]);
    assert.deepEqual(await calls(page, "keep_survey_answers"), [], "nothing is kept while a scenario is off");
    await shot(page, "survey-refused");

    await fill(1, [4, 3, 2, 1]);
    for (const [i, answer] of [2, 6, 2, 5, 3, 6, 7].entries()) await page.check(`[data-testid="safety-${i + 1}"] input[value="${answer}"]`);
    await page.click('[data-testid="survey-keep"]');
    await page.waitForSelector('[data-testid="survey-dialog"]', { state: "detached" });
    const kept = await calls(page, "keep_survey_answers");
    assert.equal(kept.length, 1);
    assert.equal(kept[0].path, TRIO_PATH);
    assert.deepEqual(kept[0].answers, [
      { person: "Ada", alignment: { points: [[4, 3, 2, 1], ...Array(5).fill([1, 2, 3, 4])] }, safety: { items: [2, 6, 2, 5, 3, 6, 7] } },
    ]);
    // The shown diagnosis is made again, so the answers count at once, and the notice says so.
    await page.waitForFunction(() => window.__studioMock.calls.filter((c) => c.cmd === "diagnose").length === 2);
    await page.waitForSelector('.notice:has-text("Kept Ada\'s answers: the diagnosis is made again with them.")');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("returned answers are imported from a file, and a blank survey is there to send", async () => {
  const answers = [{ person: "Grace", alignment: null, safety: { items: [1, 7, 1, 7, 1, 7, 7] } }];
  const { page, errors, close } = await diagnosed(TRIO_PATH, { surveyFiles: { [SURVEY_PATH]: answers }, dialogs: ["/scores/linus.survey.toml"] });
  try {
    await page.fill('[data-testid="survey-test-path"]', SURVEY_PATH);
    await page.click('[data-testid="import-survey-path"]');
    await page.waitForFunction(() => window.__studioMock.calls.some((c) => c.cmd === "keep_survey_answers"));
    assert.deepEqual(await calls(page, "read_survey_file"), [{ path: SURVEY_PATH }]);
    assert.deepEqual((await calls(page, "keep_survey_answers"))[0].answers, answers);

    await page.fill('[aria-label="Send to (a name, optional)"]', "Linus");
    await page.click('[data-testid="blank-survey"]');
    await page.waitForSelector('[data-testid="blank-survey-dialog"]');
    assert.match(await page.inputValue('[data-testid="take-away"]'), /person = "Linus"/);
    assert.deepEqual(await calls(page, "blank_survey"), [{ person: "Linus" }]);
    // Saved where the save dialog says, the text made by the shell, not sent from the page.
    await page.click('[data-testid="save-text"]');
    await page.waitForFunction(() => window.__studioMock.calls.some((c) => c.cmd === "save_blank_survey"));
    assert.deepEqual(await calls(page, "save_blank_survey"), [{ path: "/scores/linus.survey.toml", person: "Linus" }]);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the people who answered the survey are listed with the day their answers were kept and their primary zones", async () => {
  {
    const { page, errors, close } = await diagnosed();
    try {
      assert.match(await page.textContent('[data-testid="respondents-none"]'), /Nobody has answered the survey/);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
  const { page, errors, close } = await diagnosed(TRIO_PATH, { reports: [SURVEYED] });
  try {
    const rows = await page.$$eval('[data-testid="respondents"] tbody tr', (trs) =>
      trs.map((tr) => [".person", ".answered", ".primary", ".counted"].map((cell) => tr.querySelector(cell).textContent)),
    );
    const [ada, grace] = SURVEYED.respondents.map((r) => r.answered_ms);
    const day = (ms) => page.evaluate((at) => new Date(at).toLocaleDateString(undefined, { dateStyle: "medium" }), ms);
    assert.deepEqual(rows, [
      ["Ada", await day(ada), "Innovator, Integrator", "questionnaire and safety"],
      ["Grace", await day(grace), "—", "safety"],
    ]);
    assert.match(rows[0][1], /2026/, "the day the store kept Ada's answers (recorded in December 2026)");
    await page.locator('[data-testid="respondents"]').scrollIntoViewIfNeeded();
    await shot(page, "diagnose-respondents");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the report opens in a sandboxed frame and saves where the person picks", async () => {
  const { page, errors, close } = await diagnosed(TRIO_PATH, { dialogs: ["/scores/diagnosis.html"] });
  try {
    await page.click('[data-testid="open-report"]');
    const frame = page.locator('[data-testid="report-frame"]');
    await frame.waitFor();
    assert.equal(await frame.getAttribute("sandbox"), "", "the report runs no script");
    assert.match(await frame.getAttribute("srcdoc"), /Feature trio/);
    assert.equal((await calls(page, "diagnosis_html"))[0].report.title, "Feature trio");
    const inside = page.frameLocator('[data-testid="report-frame"]');
    assert.match(await inside.locator("body").textContent(), /Feature trio/);
    await shot(page, "diagnose-report");
    await page.click('[data-testid="save-report"]');
    await page.waitForFunction(() => window.__studioMock.calls.some((c) => c.cmd === "save_diagnosis_html"));
    const saved = await calls(page, "save_diagnosis_html");
    assert.equal(saved[0].path, "/scores/diagnosis.html");
    assert.equal(saved[0].report.title, "Feature trio");
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
