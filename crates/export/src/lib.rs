//! Exports of a score, for people who do not have the studio: a picture (SVG, PNG), a Mermaid
//! flowchart, Markdown program notes, and a `.score.zip` bundle; plus the check that runs before
//! any of them leaves the machine (no secrets, no paths of this machine). And exports of a
//! recorded performance: a self-contained HTML report and OpenTelemetry traces (OTLP JSON).
//!
//! Everything here is a pure function over a [`Score`](ensemble_score::Score) (and a
//! performance's recorded events), so the studio and the command line export the same thing;
//! only the bundle functions touch the disk, and say so.

mod bundle;
mod error;
mod labels;
mod mermaid;
mod notes;
mod otlp;
mod played;
mod png;
mod report;
mod scan;
mod svg;
mod text;

pub use bundle::{Limits, OpenedBundle, open_bundle, open_bundle_with, write_bundle, write_bundle_with};
pub use error::ExportError;
pub use labels::{cue_label, verdict_words};
pub use mermaid::mermaid;
pub use notes::program_notes;
pub use otlp::{otlp, trace_id};
pub use png::{MAX_PIXELS, MAX_SCALE, MAX_SIDE, png};
pub use report::report;
pub use scan::{Finding, FindingKind, scan, scan_with_home};
pub use svg::svg;
