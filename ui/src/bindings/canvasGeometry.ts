// Generated from ensemble_score::GEOMETRY by `cargo test -p ensemble-studio`; do not edit.
import type { Geometry } from "./Geometry";

/** The sizes the canvas draws with and the layout places with: one definition, in Rust. */
export const GEOMETRY: Geometry = {
  "player_width": 220.0,
  "player_height": 112.0,
  "section_padding": 20.0,
  "section_header": 28.0,
  "default_section_width": 360.0,
  "default_section_height": 240.0,
  "rank_gap": 100.0,
  "node_gap": 16.0,
  "section_gap": 40.0,
  "margin": 40.0
};
