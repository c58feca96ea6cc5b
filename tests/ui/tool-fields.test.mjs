// A player's tools in the inspector: add a server, test its connection to see its tools, choose
// which the player may use and which ask first, set a limit, and save exactly that.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mockState, shot, useStudio } from "./harness.mjs";
import { LOOP_PATH, loopScore } from "./fixtures.mjs";

const stage = useStudio({ width: 1280, height: 900 });

/** What the reference filesystem server says of three of its tools, as the shell sends it. */
const FILES = {
  server_info: "secure-filesystem-server 0.2.0",
  tools: [
    { name: "list_directory", description: "List the files and folders at a path.", read_only: true, destructive: null, default_approval: "allow" },
    { name: "read_text_file", description: "Read a file as text.", read_only: true, destructive: null, default_approval: "allow" },
    { name: "write_file", description: "Create or overwrite a file.", read_only: false, destructive: true, default_approval: "ask" },
  ],
};

async function openLoop(extra = {}) {
  const studio = await stage.open({
    startup: { initial_path: LOOP_PATH, test_paths: true },
    files: { [LOOP_PATH]: loopScore() },
    toolServers: { node: FILES },
    ...extra,
  });
  await studio.page.waitForSelector('[data-testid="player-coder"]');
  await studio.page.click('[data-testid="player-coder"]');
  await studio.page.waitForSelector('[data-testid="tool-fields"]');
  return studio;
}

test("a stdio server added, tested and chosen among is saved with exactly those settings", async () => {
  const { page, errors, close } = await openLoop();
  try {
    const fields = page.locator('[data-testid="tool-fields"]');
    assert.match(await fields.textContent(), /MCP servers the player may call/, "a player without tools is told what they are");
    await page.click('[data-testid="tool-add-stdio"]');
    const server = page.locator('[data-testid="tool-server-files"]');
    await server.waitFor();
    await server.locator('[data-testid="tool-server-program"]').fill("node");
    await server.locator('[data-testid="tool-server-args"]').fill("server.js\n.");
    assert.match(await server.locator('[data-testid="tool-summary"]').textContent(), /May use: every tool the server offers/);

    await server.locator('[data-testid="tool-server-test"]').click();
    await server.locator('[data-testid="tool-list"]').waitFor();
    assert.equal(await server.locator('[data-testid="tool-server-result"]').textContent(), "secure-filesystem-server 0.2.0 offers 3 tools.");
    const tested = (await mockState(page)).calls.find((c) => c.cmd === "test_tool_server");
    assert.deepEqual(
      { player: tested.args.player, server: tested.args.server, path: tested.args.path },
      { player: "coder", server: "files", path: LOOP_PATH },
    );
    assert.deepEqual(tested.args.score.players[0].tools.servers[0].args, ["server.js", "."], "the score as edited, not as saved, is tested");
    const rows = server.locator('[data-testid="tool-list"] li');
    assert.equal(await rows.count(), 3);
    assert.match(await rows.nth(2).textContent(), /write_file.*may destroy.*Create or overwrite a file\..*default: asks/);
    assert.match(await rows.nth(0).textContent(), /list_directory.*reads only.*default: runs/);
    assert.match(await server.locator('[data-testid="tool-allow-summary"]').textContent(), /every tool it offers, also any it adds later/);
    const row = (name) => server.locator(`[data-testid="tool-${name}"]`);
    assert.equal(await row("write_file").locator('[data-testid="tool-ask"]').isChecked(), true, "its hints make writing ask");
    assert.equal(await row("list_directory").locator('[data-testid="tool-ask"]').isChecked(), false);

    await row("write_file").locator('[data-testid="tool-use"]').uncheck();
    assert.equal(await row("write_file").locator('[data-testid="tool-ask"]').isDisabled(), true, "a tool not used has no approval to set");
    assert.match(await server.locator('[data-testid="tool-allow-summary"]').textContent(), /May use: 2 of 3, only those ticked/);
    await row("list_directory").locator('[data-testid="tool-ask"]').check();
    await page.fill('[data-testid="tool-max-calls"]', "5");
    assert.equal(await page.getAttribute('[data-testid="tool-timeout"]', "placeholder"), "60", "an unset limit shows its default");
    await shot(page, "tool-fields");

    await page.fill("#test-path", "/out/tools.score.toml");
    await page.click("#test-save");
    await page.waitForFunction(() => window.__studioMock.saved["/out/tools.score.toml"] !== undefined);
    const saved = (await mockState(page)).saved["/out/tools.score.toml"];
    assert.deepEqual(saved.players[0].tools, {
      max_calls: 5,
      servers: [
        { id: "files", program: "node", args: ["server.js", "."], env: [], allow: ["list_directory", "read_text_file"], approval: { list_directory: "ask" } },
      ],
    });
    const { tools: _, ...coder } = saved.players[0];
    assert.deepEqual(coder, loopScore().players[0], "the coder's other settings are kept");
    assert.deepEqual(saved.players.slice(1), loopScore().players.slice(1), "no other player gained tools");

    // Each choice is its own undo step: undo twice takes back the limit and the ask.
    await page.click(".react-flow__pane");
    await page.keyboard.press("Control+z");
    await page.keyboard.press("Control+z");
    await page.click('[data-testid="player-coder"]');
    await page.locator('[data-testid="tool-server-files"]').waitFor();
    assert.equal(await page.inputValue('[data-testid="tool-max-calls"]'), "");
    assert.match(
      await page.locator('[data-testid="tool-server-files"] [data-testid="tool-summary"]').textContent(),
      /May use: list_directory, read_text_file\./,
      "the allow list stays; the ask on list_directory is undone",
    );
    assert.deepEqual(errors, [], "no errors in the page");
  } finally {
    await close();
  }
});

test("the limits show the engine's defaults and keep a value within the most it accepts", async () => {
  const { page, errors, close } = await openLoop();
  try {
    await page.click('[data-testid="tool-add-stdio"]');
    await page.locator('[data-testid="tool-server-program"]').fill("node");
    // The engine's defaults and maxima (crates/score limits.rs): 16 calls, a minute, 64 KiB; 1000 calls, a day, 16 MiB.
    const limits = [
      { testId: "tool-max-calls", placeholder: "16", max: "1000", typed: "5000" },
      { testId: "tool-timeout", placeholder: "60", max: "86400", typed: "100000" },
      { testId: "tool-output-cap", placeholder: "65536", max: "16777216", typed: "20000000" },
    ];
    for (const { testId, placeholder, max, typed } of limits) {
      const field = page.locator(`[data-testid="${testId}"]`);
      assert.equal(await field.getAttribute("placeholder"), placeholder, `${testId}: an unset limit shows the engine's default`);
      assert.equal(await field.getAttribute("max"), max, `${testId}: the field offers no more than the engine accepts`);
      await field.fill(typed);
      assert.equal(await field.inputValue(), max, `${testId}: ${typed} is over the most accepted, so the most is kept`);
    }
    await page.fill("#test-path", "/out/limits.score.toml");
    await page.click("#test-save");
    await page.waitForFunction(() => window.__studioMock.saved["/out/limits.score.toml"] !== undefined);
    const { servers: _, ...kept } = (await mockState(page)).saved["/out/limits.score.toml"].players[0].tools;
    assert.deepEqual(kept, { max_calls: 1000, timeout_secs: 86400, max_output_bytes: 16777216 }, "the score is saved with the most accepted");

    // The highest temperature is the model instrument's own: 1 for Anthropic, 2 for an OpenAI-compatible endpoint.
    const temperature = page.locator('[data-testid="instrument-temperature"]');
    for (const [kind, max] of [["anthropic", "1"], ["openai", "2"]]) {
      await page.selectOption('[data-testid="instrument-kind"]', kind);
      assert.equal(await temperature.getAttribute("max"), max, `a ${kind} instrument's temperature goes up to ${max}`);
    }
    assert.deepEqual(errors, [], "no errors in the page");
  } finally {
    await close();
  }
});

test("a server that cannot be started says why, and removing it leaves the player without tools", async () => {
  const { page, errors, close } = await openLoop();
  try {
    await page.click('[data-testid="tool-add-stdio"]');
    const server = page.locator('[data-testid="tool-server-files"]');
    await server.locator('[data-testid="tool-server-program"]').fill("no-such-server");
    await server.locator('[data-testid="tool-server-test"]').click();
    await server.locator('[data-testid="tool-server-error"]').waitFor();
    assert.match(await server.locator('[data-testid="tool-server-error"]').textContent(), /could not start no-such-server: no such program/);
    await server.locator('[data-testid="tool-server-remove"]').click();
    await page.fill("#test-path", "/out/none.score.toml");
    await page.click("#test-save");
    await page.waitForFunction(() => window.__studioMock.saved["/out/none.score.toml"] !== undefined);
    const saved = (await mockState(page)).saved["/out/none.score.toml"];
    assert.equal("tools" in saved.players[0], false, "no servers and no limits: `tools` is left out, as the format writes it");
    assert.deepEqual(errors, [], "no errors in the page");
  } finally {
    await close();
  }
});

test("a server switched to a URL keeps only a URL's settings, with its key named, never written", async () => {
  const url = "http://127.0.0.1:8931/mcp";
  const { page, errors, close } = await openLoop({ toolServers: { [url]: { server_info: "search 1.2", tools: [FILES.tools[0]] } } });
  try {
    await page.click('[data-testid="tool-add-stdio"]');
    const server = page.locator('[data-testid="tool-server-files"]');
    await server.locator('[data-testid="tool-server-program"]').fill("node");
    await server.locator('[data-testid="tool-server-cwd"]').fill("docs");
    await server.locator('[data-testid="tool-server-id"]').fill("search");
    const search = page.locator('[data-testid="tool-server-search"]');
    await search.locator('[data-testid="tool-server-kind"]').selectOption("http");
    await search.locator('[data-testid="tool-server-url"]').fill(url);
    await search.locator("select").nth(1).selectOption("env");
    await search.locator('[data-testid="tool-server-test"]').click();
    await search.locator('[data-testid="tool-list"]').waitFor();
    assert.equal(await search.locator('[data-testid="tool-server-result"]').textContent(), "search 1.2 offers 1 tool.");
    await page.fill("#test-path", "/out/url.score.toml");
    await page.click("#test-save");
    await page.waitForFunction(() => window.__studioMock.saved["/out/url.score.toml"] !== undefined);
    const saved = (await mockState(page)).saved["/out/url.score.toml"];
    assert.deepEqual(saved.players[0].tools.servers, [
      { id: "search", args: [], env: [], allow: [], approval: {}, url, key: { env: "MCP_SERVER_KEY" } },
    ], "no program or working directory is left behind, and the key is a name");
    assert.deepEqual(errors, [], "no errors in the page");
  } finally {
    await close();
  }
});
