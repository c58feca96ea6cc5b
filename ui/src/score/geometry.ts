/**
 * Sizes the canvas draws with; layout and containment use the same numbers. A player node has
 * a fixed size (its live output preview is clipped to fit), so what tidy lays out and what the
 * canvas draws stay the same shape during a performance.
 */
export const PLAYER_WIDTH = 220;
export const PLAYER_HEIGHT = 112;
export const SECTION_PADDING = 20;
export const SECTION_HEADER = 28;
