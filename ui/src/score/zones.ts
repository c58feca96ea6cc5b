/**
 * The four capability zones and how the studio shows them. Colours are CSS variables (themes
 * set them) picked to stay distinct for common colour-vision deficiencies; every zone also
 * carries its name and instrument, so colour is never the only cue.
 */
import type { Zone } from "../bindings/Zone";

/** The zones in the engine's order (`Zone::ALL`), as palettes and pickers list them. */
export { ZONES } from "../bindings/engineValues";

export const ZONE_INFO: Record<Zone, { title: string; role: string; colour: string }> = {
  innovator: { title: "Innovator", role: "soloist · vision, discovery", colour: "var(--zone-innovator)" },
  integrator: { title: "Integrator", role: "keys · bridges analysis and build", colour: "var(--zone-integrator)" },
  improver: { title: "Improver", role: "bass · quality, reliability", colour: "var(--zone-improver)" },
  stabilizer: { title: "Stabilizer", role: "drums · grounded, efficient", colour: "var(--zone-stabilizer)" },
};
