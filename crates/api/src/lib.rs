//! The operations layer: what a person does with scores and the performance store, written once.
//!
//! The studio's shell and the `ensemble` CLI are thin adapters over these functions: they map
//! arguments, hold the [`Store`](ensemble_store::Store) they opened once, forward events to a
//! window or a terminal, and show errors. Everything else (which folder a score reads from,
//! which text a performance records, when trust is needed, how a performance is begun or resumed)
//! is decided here, so the two front ends cannot drift apart.
//!
//! Nothing here knows about Tauri or terminals; functions take the store explicitly and never
//! read the environment to find it.

pub mod bounds;
pub mod compare;
pub mod connection;
pub mod diagnose;
pub mod document;
pub mod export;
mod error;
pub mod folder;
pub mod fork;
pub mod frames;
pub mod import;
pub mod launch;
pub mod perform;
pub mod players;
pub mod performances;
pub mod report;
pub mod resume;
pub mod survey;
pub mod tools;
pub mod trust;

pub use error::ApiError;
pub use perform::{PerformRequest, Staged};
