import { describe, expect, it } from "vitest";
import { detailLevel, detailOf, FLOOR_ZOOM, LEVEL_STEP, levelRules, NAME_PX, OWN_SIZE_LEVEL, READABLE_ZOOM } from "./detail";

/** The name's size on screen at `zoom`, drawn in the flow at 15 px or for its level's zoom. */
function namePx(zoom: number): number {
  const detail = detailOf(detailLevel(zoom));
  return (detail.zoom === undefined ? 15 : NAME_PX / detail.zoom) * zoom;
}

describe("what the canvas draws at a zoom", () => {
  it("draws everything, names at their own size, from 0.7 × 1.1³ = 0.93 up", () => {
    expect(OWN_SIZE_LEVEL).toBe(3);
    expect(detailLevel(0.932)).toBe(3);
    expect(detailLevel(1.2)).toBe(3);
    expect(detailOf(3)).toEqual({ compact: false });
  });

  it("draws everything, names larger, between the readable zoom and 0.93", () => {
    // 0.7 × 1.1² = 0.847: at 0.86 the name's own 15 px would be 12.9 px on screen.
    expect(detailLevel(0.86)).toBe(2);
    expect(detailOf(2).compact).toBe(false);
    expect(detailOf(2).zoom).toBeCloseTo(0.847);
    expect(detailLevel(READABLE_ZOOM)).toBe(0);
    expect(detailOf(0)).toEqual({ compact: false, zoom: READABLE_ZOOM });
  });

  it("draws players compactly below the readable zoom, names sized for the level at or below the zoom", () => {
    // 0.7 / 1.1 = 0.636, / 1.1² = 0.579, / 1.1³ = 0.526: 0.527 is on the third level down.
    expect(detailLevel(0.69)).toBe(-1);
    expect(detailLevel(0.6)).toBe(-2);
    expect(detailLevel(0.527)).toBe(-3);
    const third = detailOf(-3);
    expect(third.compact).toBe(true);
    expect(third.zoom).toBeCloseTo(0.7 / 1.331);
    // 102 flow pixels of room × 0.526 = 53.6 px on screen: three lines of 15.6 px.
    expect(third.lines).toBe(3);
    // 102 × 0.636 = 64.9 px: four lines.
    expect(detailOf(-1).lines).toBe(4);
  });

  it("stops growing names at the floor, with room for two lines there", () => {
    // 0.7 / 1.1⁸ = 0.327 is above the floor, 0.7 / 1.1⁹ = 0.297 below: the ninth level down is the floor's.
    expect(detailLevel(0.33)).toBe(-8);
    expect(detailLevel(0.3)).toBe(-9);
    expect(detailLevel(0.05)).toBe(-9);
    expect(detailOf(-9)).toEqual({ compact: true, zoom: FLOOR_ZOOM, lines: 2 });
  });

  it("draws a name between 13 px and 10 % more on screen at every zoom from the floor up to 0.93", () => {
    for (let zoom = FLOOR_ZOOM; zoom < 0.93; zoom += 0.001) {
      expect(namePx(zoom)).toBeGreaterThanOrEqual(NAME_PX - 1e-9);
      expect(namePx(zoom)).toBeLessThan(NAME_PX * LEVEL_STEP + 1e-9);
      expect(detailOf(detailLevel(zoom)).compact).toBe(zoom < READABLE_ZOOM);
    }
    // Below the floor names shrink with the rest: 13 × 0.2 / 0.325 = 8 px.
    expect(namePx(0.2)).toBeCloseTo(8);
  });
});

describe("the rules of each level", () => {
  const rules = levelRules().split("\n");

  it("size a compact level's players, sections and cue marks for its zoom, rounded up", () => {
    // 13 / (0.7 / 1.1³) = 24.719 px.
    expect(rules).toContain(
      '.canvas[data-level="-3"] .player-node, .canvas[data-level="-3"] .section-node, .canvas[data-level="-3"] .cue-label { font-size: 24.72px; }',
    );
    expect(rules).toContain('.canvas[data-level="-3"] .player-name { -webkit-line-clamp: 3; line-clamp: 3; }');
    expect(rules).toContain('.canvas[data-level="-3"] .off-score .player-name { -webkit-line-clamp: 2; line-clamp: 2; }');
  });

  it("size the floor's names 40 px in the flow, 13 px on screen at 0.325, a line kept for a name off the score", () => {
    expect(rules).toContain(
      '.canvas[data-level="-9"] .player-node, .canvas[data-level="-9"] .section-node, .canvas[data-level="-9"] .cue-label { font-size: 40px; }',
    );
    expect(rules).toContain('.canvas[data-level="-9"] .off-score .player-name { -webkit-line-clamp: 1; line-clamp: 1; }');
  });

  it("size only names in full detail, and nothing from the level where they are at their own size", () => {
    // 13 / 0.7 = 18.571 px.
    expect(rules).toContain('.canvas[data-level="0"] .player-name, .canvas[data-level="0"] .section-head { font-size: 18.58px; }');
    expect(rules.filter((r) => r.includes('data-level="3"'))).toEqual([]);
    // Levels -9 to -1 have four rules each, 0 to 2 one.
    expect(rules.length).toBe(9 * 4 + 3);
  });

  it("leave out, at each compact level, the labels that cover a player from there or from a closer level", () => {
    const at = (level: number) => rules.find((r) => r.startsWith(`.canvas[data-level="${level}"] .cue-label[data-crowd=`));
    expect(at(-1)).toBe('.canvas[data-level="-1"] .cue-label[data-crowd="-1"]:not(.marked) { display: none; }');
    expect(at(-3)).toBe(
      '.canvas[data-level="-3"] .cue-label[data-crowd="-1"]:not(.marked), .canvas[data-level="-3"] .cue-label[data-crowd="-2"]:not(.marked), ' +
        '.canvas[data-level="-3"] .cue-label[data-crowd="-3"]:not(.marked) { display: none; }',
    );
    expect(at(0)).toBeUndefined();
  });
});
