import { describe, expect, it } from "vitest";
import { FLOOR_ZOOM } from "./detail";
import { READABLE_ZOOM } from "./detail";
import { firstView, MAX_ZOOM } from "./viewport";

describe("the first view of a score", () => {
  it("fits a small score in the middle, never zoomed in beyond the limit", () => {
    const view = firstView({ x: 0, y: 0, width: 200, height: 100 }, 800, 600);
    expect(view.zoom).toBe(MAX_ZOOM);
    expect(view.x).toBeCloseTo((800 - 200 * MAX_ZOOM) / 2);
    expect(view.y).toBeCloseTo((600 - 100 * MAX_ZOOM) / 2);
  });

  it("fits a score that can be read when fitted", () => {
    const view = firstView({ x: 100, y: 50, width: 900, height: 400 }, 800, 600);
    // (800 - 2 × 32) / 900, narrower than (600 - 64) / 400.
    expect(view.zoom).toBeCloseTo(736 / 900);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // Both ends of the score are on screen.
    expect(100 * view.zoom + view.x).toBeGreaterThanOrEqual(0);
    expect(1000 * view.zoom + view.x).toBeLessThanOrEqual(800);
  });

  it("shows the feature trio whole in a 1280 × 800 window, below the readable zoom", () => {
    // Its sections span 1320 × 300; the canvas between palette and sidebar is 760 × 733.
    const view = firstView({ x: 0, y: 0, width: 1320, height: 300 }, 760, 733);
    expect(view.zoom).toBeCloseTo(696 / 1320); // 0.527
    expect(view.zoom).toBeLessThan(READABLE_ZOOM);
    expect(view.x).toBeCloseTo(32);
    expect(view.y).toBeCloseTo((733 - 300 * (696 / 1320)) / 2); // 287.4
  });

  it("shows a score whole down to the floor zoom, and not below it", () => {
    // 736 / 2264 = 0.32509, just above the floor of 0.325.
    const atFloor = firstView({ x: 0, y: 0, width: 2264, height: 300 }, 800, 600);
    expect(atFloor.zoom).toBeCloseTo(736 / 2264);
    expect(atFloor.zoom).toBeGreaterThanOrEqual(FLOOR_ZOOM);
    expect(atFloor.x).toBeCloseTo(32);
    // 736 / 2266 = 0.32480: below the floor, so a readable zoom from the left edge.
    const below = firstView({ x: 0, y: 0, width: 2266, height: 300 }, 800, 600);
    expect(below.zoom).toBe(READABLE_ZOOM);
  });

  it("keeps a score too wide for the floor readable and starts at its left edge", () => {
    // The research band (1620 wide from x = -300) in a 1024 × 700 window's 504 × 633 canvas:
    // 440 / 1620 = 0.27 is below the floor.
    const view = firstView({ x: -300, y: 0, width: 1620, height: 420 }, 504, 633);
    expect(view.zoom).toBe(READABLE_ZOOM);
    expect(view.x).toBeCloseTo(32 + 300 * 0.7); // its left edge 32 px in: 242
    expect(view.y).toBeCloseTo((633 - 420 * 0.7) / 2); // 169.5
  });

  it("keeps a tall score too large for the floor readable from its top edge", () => {
    const view = firstView({ x: 0, y: -100, width: 400, height: 3000 }, 800, 600);
    expect(view.zoom).toBe(READABLE_ZOOM);
    expect(view.x).toBeCloseTo((800 - 400 * 0.7) / 2); // 260
    expect(view.y).toBeCloseTo(32 + 100 * 0.7); // 102
  });
});
