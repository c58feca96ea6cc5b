import { describe, expect, it } from "vitest";
import { firstView, MAX_ZOOM, READABLE_ZOOM } from "./viewport";

describe("the first view of a score", () => {
  it("fits a small score in the middle, never zoomed in beyond the limit", () => {
    const view = firstView({ x: 0, y: 0, width: 200, height: 100 }, 800, 600);
    expect(view.zoom).toBe(MAX_ZOOM);
    expect(view.x).toBeCloseTo((800 - 200 * MAX_ZOOM) / 2);
    expect(view.y).toBeCloseTo((600 - 100 * MAX_ZOOM) / 2);
  });

  it("fits a score that can be read when fitted", () => {
    const view = firstView({ x: 100, y: 50, width: 900, height: 400 }, 800, 600);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(view.zoom).toBeLessThan(1);
    // Both ends of the score are on screen.
    expect(100 * view.zoom + view.x).toBeGreaterThanOrEqual(0);
    expect(1000 * view.zoom + view.x).toBeLessThanOrEqual(800);
  });

  it("keeps a wide score readable and starts at its left edge instead of shrinking it", () => {
    const view = firstView({ x: -40, y: 0, width: 3000, height: 300 }, 800, 600);
    expect(view.zoom).toBe(READABLE_ZOOM);
    expect(-40 * view.zoom + view.x).toBeCloseTo(32);
    expect(view.y).toBeCloseTo((600 - 300 * READABLE_ZOOM) / 2);
  });
});
