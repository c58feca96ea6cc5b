// @vitest-environment happy-dom
/// <reference types="node" />
/**
 * The Mermaid flowcharts the engine writes are read by Mermaid itself: every example score's
 * chart, as `ensemble export --format mermaid` wrote it into tests/ui/fixtures/, must parse.
 * Regenerate them after a change to the export:
 *   for f in assets/scores/*.score.toml; do
 *     cargo run -q -p ensemble-cli -- export "$f" --format mermaid -o tests/ui/fixtures/$(basename "$f" .score.toml).mmd
 *   done
 */
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import mermaid from "mermaid";
import { describe, expect, test } from "vitest";

// The repository root (the page's URL is not a file URL under a DOM environment).
const root = `${resolve(__dirname, "../../..")}/`;
const fixtures = `${root}tests/ui/fixtures/`;
const examples = readdirSync(`${root}assets/scores/`)
  .filter((name) => name.endsWith(".score.toml"))
  .map((name) => name.replace(/\.score\.toml$/, ""));

describe("the Mermaid export of every example score", () => {
  test("there is one chart per example", () => {
    expect(examples.length).toBeGreaterThan(0);
    const charts = readdirSync(fixtures).filter((name) => name.endsWith(".mmd"));
    expect(charts.sort()).toEqual(examples.map((name) => `${name}.mmd`).sort());
  });

  test.each(examples)("%s parses as a flowchart", async (name) => {
    const chart = readFileSync(`${fixtures}${name}.mmd`, "utf8");
    expect(await mermaid.parse(chart)).toMatchObject({ diagramType: "flowchart-v2" });
  });

  test("a broken chart is refused", async () => {
    const chart = readFileSync(`${fixtures}${examples[0]}.mmd`, "utf8");
    // A subgraph that is never closed, and an edge label that is never closed.
    const broken = [chart.replace(/\n {2}end\n/, "\n"), chart.replace('"| ', '" ')];
    for (const text of broken) {
      expect(text).not.toEqual(chart);
      await expect(mermaid.parse(text)).rejects.toThrow();
    }
  });
});
