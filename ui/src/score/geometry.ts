/** Sizes the canvas draws with; layout and containment use the same numbers. */
export const PLAYER_WIDTH = 200;
export const PLAYER_HEIGHT = 84;
export const SECTION_PADDING = 32;
export const SECTION_HEADER = 28;
