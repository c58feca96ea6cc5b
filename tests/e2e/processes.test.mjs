// The studio's processes as the system sees them, once its window has painted: what keeps its
// idle memory down (bench/README.md, "The installed studio") must hold in the real program.
// - No process of the studio uses transparent huge pages (src-tauri/src/huge_pages.rs).
// - On a machine without a GPU render node (this virtual display), the studio process maps no
//   Mesa and no LLVM, while its web process, which draws, has its GL driver and paints
//   (src-tauri/src/rendering.rs).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { test } from "node:test";
import { byTestId, env, screenshot, withStudio } from "./app.mjs";

/** The process ids running the studio's program. */
function studioProcesses() {
  const app = realpathSync(env.app);
  const found = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (realpathSync(`/proc/${entry}/exe`) === app) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found.sort((a, b) => a - b);
}

/** A file under /proc, or "" when what it describes ended meanwhile (a thread, a process). */
function proc(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** The direct children of `pid`, by their short names (WebKit's: "WebKitWebProces", "WebKitNetworkPr"). */
function children(pid) {
  const ids = readdirSync(`/proc/${pid}/task`).flatMap((task) => proc(`/proc/${pid}/task/${task}/children`).split(/\s+/).filter(Boolean).map(Number));
  return ids.map((id) => ({ pid: id, name: proc(`/proc/${id}/comm`).trim() })).filter((child) => child.name);
}

/** The file names a process maps (libraries, the binary, shared memory). */
const mapped = (pid) =>
  readFileSync(`/proc/${pid}/maps`, "utf8")
    .split("\n")
    .map((line) => line.split(/\s+/)[5] ?? "")
    .filter((file) => file.startsWith("/"))
    .map((file) => file.split("/").pop());

const hugePages = (pid) => readFileSync(`/proc/${pid}/status`, "utf8").match(/^THP_enabled:\s*(\d)/m)?.[1];

/** Mesa's GL drivers and the LLVM they link, by file name. */
const GL_DRIVER = /^(libLLVM|swrast_dri|libgallium|libEGL_mesa|libGLX_mesa)/;

const hasRenderNode = () => existsSync("/dev/dri") && readdirSync("/dev/dri").some((name) => name.startsWith("renderD"));

test("the studio's processes use no huge pages, and without a GPU only the web process loads GL", async (t) => {
  // Only where the runner itself may use huge pages can the studio's refusal be told apart from
  // a setting everything here inherited.
  const canTell = hugePages(process.pid) === "1";
  if (!canTell) t.diagnostic("this test runner already runs without huge pages: the studio's own refusal is not checked");
  const before = new Set(studioProcesses());
  await withStudio([], async (browser) => {
    await browser.$(byTestId("welcome")).waitForDisplayed();
    const started = studioProcesses().filter((pid) => !before.has(pid));
    assert.equal(started.length, 1, `one studio process was started for this window (found ${started.join(", ") || "none"})`);
    const [studio] = started;
    const webkit = children(studio).filter((child) => child.name.startsWith("WebKit"));
    const web = webkit.find((child) => child.name.startsWith("WebKitWebProc"));
    assert.ok(web, `the studio started WebKit's web process (its children: ${JSON.stringify(children(studio))})`);

    for (const { pid, name } of canTell ? [{ pid: studio, name: "the studio" }, ...webkit] : []) {
      assert.equal(hugePages(pid), "0", `${name} (${pid}) runs without transparent huge pages, as the studio asked before starting it`);
    }

    const shot = await screenshot(browser, "processes-welcome");
    const colours = Number(execFileSync("identify", ["-format", "%k", shot], { encoding: "utf8" }));
    assert.ok(colours > 16, `the window painted its welcome view (${colours} colours in the screenshot)`);

    if (hasRenderNode()) return; // A GPU: WebKit composites with it, in both processes, as it chooses.
    const studioGl = mapped(studio).filter((file) => GL_DRIVER.test(file));
    assert.deepEqual([...new Set(studioGl)], [], "without a GPU the studio process paints with cairo and loads no GL driver");
    assert.ok(
      mapped(web.pid).some((file) => file.startsWith("libEGL_mesa")),
      "the web process still found Mesa's EGL through glvnd: the studio's empty driver list did not reach it",
    );
  });
});
