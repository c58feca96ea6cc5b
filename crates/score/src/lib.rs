//! The score: the one document every player plays from.
//!
//! This crate owns the score model ([`model`]), the `.score.toml` file format (loading with
//! precise, complete error reports, and canonical saving), the validation rules, the JSON Schema
//! and the shared context every player receives first. It does no I/O beyond reading a score and
//! the files it attaches, and knows nothing of performances or of the studio.

pub mod model;
pub mod geometry;
pub mod layout;
pub mod limits;
mod problem;
mod load;
mod validate;
mod save;
mod schema;
mod trust;
mod attached;
mod context;
mod text;
mod workspace;

pub use geometry::{GEOMETRY, Geometry, Rect};
pub use layout::place_unplaced;
pub use limits::{ANTHROPIC_MAX_TEMPERATURE, OPENAI_MAX_TEMPERATURE, TOOL_INSTRUMENTS, TOOL_LIMITS, ToolLimit};
pub use context::{RenderedContext, render_context};
pub use load::{LoadError, Loaded, load, parse};
pub use model::*;
pub use problem::{Problem, Rule, Target};
pub use save::{SaveError, save, to_toml};
pub use schema::json_schema;
pub use trust::{ANTHROPIC_DEFAULT_HOST, KeySend, OutsideRead, ProgramRun, Reach, key_pairs, key_ref, key_send, program_in, quoted, reach, tool_key_send};
pub use validate::validate;
