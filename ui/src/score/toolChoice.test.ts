import { describe, expect, it } from "vitest";
import type { ToolServer } from "../bindings/ToolServer";
import { usedTools, withToolAsk, withToolUsed } from "./toolChoice";

const OFFERED = ["read", "list", "write"];

function server(allow: string[], approval: ToolServer["approval"] = {}): ToolServer {
  return { id: "files", program: "node", args: ["server.js"], env: [], allow, approval };
}

describe("choosing a server's tools", () => {
  it("unticking one of every tool lists the others, in the server's order", () => {
    const next = withToolUsed(server([]), OFFERED, "list", false);
    expect(next.allow).toEqual(["read", "write"]);
    expect(usedTools(next, OFFERED)).toEqual(new Set(["read", "write"]));
  });

  it("ticking the last unticked tool writes the empty list: every tool", () => {
    const next = withToolUsed(server(["write", "read"]), OFFERED, "list", true);
    expect(next.allow).toEqual([]);
  });

  it("the last used tool cannot be unticked, since an empty list would allow every tool", () => {
    const only = server(["read"]);
    expect(withToolUsed(only, OFFERED, "read", false)).toBe(only);
  });

  it("narrowing drops approvals of tools left out, which the format refuses", () => {
    const next = withToolUsed(server([], { write: "ask", list: "allow" }), OFFERED, "write", false);
    expect(next.allow).toEqual(["read", "list"]);
    expect(next.approval).toEqual({ list: "allow" });
  });

  it("a name the server does not offer stays until it is unticked", () => {
    const stale = server(["read", "gone"]);
    expect(withToolUsed(stale, OFFERED, "list", true).allow).toEqual(["read", "list", "gone"]);
    expect(withToolUsed(stale, OFFERED, "gone", false).allow).toEqual(["read"]);
  });

  it("ask writes the approval, also when it equals the server's default", () => {
    const asked = withToolAsk(server([], { read: "allow" }), "write", true);
    expect(asked.approval).toEqual({ read: "allow", write: "ask" });
    expect(withToolAsk(asked, "read", true).approval).toEqual({ read: "ask", write: "ask" });
    expect(withToolAsk(asked, "write", false).approval).toEqual({ read: "allow", write: "allow" });
  });

  it("other settings of the server are kept", () => {
    const full = { ...server([]), cwd: "docs", env: ["HOME"] };
    expect(withToolUsed(full, OFFERED, "read", false)).toMatchObject({ id: "files", program: "node", args: ["server.js"], cwd: "docs", env: ["HOME"] });
  });
});
