// A player's tools in the inspector of the real window: testing the workspace tour's filesystem
// server starts nothing before the tour is trusted (the trust banner says what would run); once
// trusted, "Test connection" starts the reference filesystem server from tools/mcp and lists
// every tool it offers, ticked as the score chooses.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { byTestId, env, screenshot, withStudio } from "./app.mjs";

const tour = path.join(env.root, "assets/scores/workspace-tour.score.toml");

/** Processes running the reference filesystem server in the tour's folder (its workspace), by their command lines. */
function filesystemServers() {
  const found = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const line = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      if (line.includes("server-filesystem") && readlinkSync(`/proc/${pid}/cwd`) === path.dirname(tour)) found.push(`${pid}: ${line}`);
    } catch {
      // Gone between listing and reading.
    }
  }
  return found;
}

test("the tour's filesystem server is tested from the inspector only after trust, and lists its tools", async () => {
  await withStudio([tour], async (browser) => {
    const banner = await browser.$(byTestId("trust-banner"));
    await banner.waitForDisplayed({ timeoutMsg: "the tour runs a program, so opening it asks for trust" });
    assert.match(await banner.getText(), /runs surveyor: node \S*server-filesystem/, "the banner shows the server's program");
    await browser.$(byTestId("trust-not-now")).click();

    await browser.$(byTestId("player-surveyor")).click();
    const server = await browser.$(byTestId("tool-server-files"));
    await server.waitForDisplayed({ timeoutMsg: "the surveyor's tool server is in the inspector" });
    assert.match(await server.$(byTestId("tool-summary")).getText(), /May use: list_directory, read_text_file, write_file\./);

    await server.$(byTestId("tool-server-test")).click();
    const refused = await server.$(byTestId("tool-server-error"));
    await refused.waitForDisplayed({ timeout: 20000, timeoutMsg: "testing an untrusted server said nothing" });
    assert.match(await refused.getText(), /Nothing was started: this score is not trusted yet/);
    assert.deepEqual(filesystemServers(), [], "no filesystem server runs before trust");
    await banner.waitForDisplayed({ timeoutMsg: "the refusal shows the trust banner again" });
    await refused.scrollIntoView({ block: "center" });
    await screenshot(browser, "tool-server-untrusted");

    await browser.$(byTestId("trust-allow")).click();
    await banner.waitForDisplayed({ reverse: true });
    await server.$(byTestId("tool-server-test")).click();
    const list = await server.$(byTestId("tool-list"));
    await list.waitForDisplayed({ timeout: 40000, timeoutMsg: "the filesystem server's tools were not listed" });
    assert.equal(await server.$(byTestId("tool-server-result")).getText(), "secure-filesystem-server 0.2.0 offers 14 tools.");
    const rows = await list.$$("li");
    assert.equal(rows.length, 14, "every tool the server offers, not only the three the score allows");
    const row = (name) => server.$(byTestId(`tool-${name}`));
    assert.match(await (await row("read_text_file")).getText(), /read_text_file\s+reads only/);
    // The description is clamped to two lines, which WebDriver's visible text leaves out; its text is whole.
    const description = await (await row("read_text_file")).$(".tool-description").getProperty("textContent");
    assert.match(description, /^Read the complete contents of a file from the file system as text\./, "the server's own description");
    assert.match(await (await row("list_directory")).getText(), /list_directory\s+reads only/);
    assert.match(await (await row("move_file")).getText(), /move_file\s+may destroy/);
    const ticked = async (name, box) => (await row(name)).$(byTestId(box)).isSelected();
    assert.equal(await ticked("list_directory", "tool-use"), true, "the score allows listing");
    assert.equal(await ticked("write_file", "tool-use"), true, "and writing");
    assert.equal(await ticked("move_file", "tool-use"), false, "but not moving");
    assert.equal(await ticked("write_file", "tool-ask"), true, "writing asks, as the score says");
    assert.equal(await ticked("list_directory", "tool-ask"), false, "listing runs without asking");
    assert.match(await server.$(byTestId("tool-allow-summary")).getText(), /May use: 3 of 14, only those ticked/);
    await (await row("read_text_file")).scrollIntoView();
    await screenshot(browser, "tool-server-tools");
  });
});
