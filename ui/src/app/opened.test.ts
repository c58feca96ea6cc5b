import { beforeEach, describe, expect, it, vi } from "vitest";

/** What was opened, in order, and the answers still to come (each open waits for its own). */
const opened: string[] = [];
const notices: string[] = [];
const answers: (() => void)[] = [];
const waitForAnswer = (what: string) =>
  new Promise<boolean>((resolve) =>
    answers.push(() => {
      opened.push(what);
      resolve(true);
    }),
  );

vi.mock("./files", () => ({
  fileName: (path: string) => path.split("/").pop() ?? path,
  openPath: (path: string, options: { ask?: boolean } = {}) => waitForAnswer(`score ${path}${options.ask === false ? " (no question)" : ""}`),
}));
vi.mock("../share/actions", () => ({ openBundleFile: (path: string) => waitForAnswer(`bundle ${path}`) }));
vi.mock("./notices", () => ({ notify: (text: string) => notices.push(text) }));
vi.mock("../ipc", () => ({ ipc: {}, errorMessage: (e: unknown) => String(e) }));

const { openFiles } = await import("./opened");

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  opened.length = 0;
  notices.length = 0;
  answers.length = 0;
});

describe("files opened from outside the studio", () => {
  it("opens a score like File > Open and a bundle through the bundle flow", async () => {
    const first = openFiles([{ path: "/s/band.score.toml", kind: "score" }], { ask: false });
    await settle();
    answers.shift()?.();
    await first;
    const second = openFiles([{ path: "/mail/trio.score.zip", kind: "bundle" }]);
    await settle();
    answers.shift()?.();
    await second;
    expect(opened).toEqual(["score /s/band.score.toml (no question)", "bundle /mail/trio.score.zip"]);
  });

  it("a file arriving while another still asks its question waits for the answer", async () => {
    const first = openFiles([{ path: "/s/a.score.toml", kind: "score" }]);
    const second = openFiles([{ path: "/s/b.score.toml", kind: "score" }]);
    await settle();
    expect(answers.length, "only the first open has started").toBe(1);
    answers.shift()?.();
    await first;
    await settle();
    expect(answers.length, "the second starts once the first is answered").toBe(1);
    answers.shift()?.();
    await second;
    expect(opened).toEqual(["score /s/a.score.toml", "score /s/b.score.toml"]);
  });

  it("several files handed over together open one after another, each once the one before is answered", async () => {
    const done = openFiles([
      { path: "/s/a.score.toml", kind: "score" },
      { path: "/s/b.score.zip", kind: "bundle" },
      { path: "/s/c.score.toml", kind: "score" },
    ]);
    await settle();
    expect(answers.length, "only the first open has started").toBe(1);
    answers.shift()?.();
    await settle();
    expect(opened).toEqual(["score /s/a.score.toml"]);
    answers.shift()?.();
    await settle();
    answers.shift()?.();
    await done;
    expect(opened).toEqual(["score /s/a.score.toml", "bundle /s/b.score.zip", "score /s/c.score.toml"]);
    expect(notices, "no file is left out any more").toEqual([]);
  });
});
