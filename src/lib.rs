//! `tracker` records machine-learning training metrics in one SQLite database and tells, in
//! plain words, whether each curve is healthy.
//!
//! Module map (data flows down; only `cli` wires subsystems together):
//!
//! - [`ingest`]: pure parsers: bytes in, points out (no I/O).
//! - [`store`]: the SQLite database: runs, metrics, points, history; migrations.
//! - [`defs`]: metric definitions (YAML): names, directions, example curves, hint rules.
//! - [`classify`]: pure statistics: a verdict for one curve, with its evidence.
//! - [`diagnose`]: a run's curves classified against their definitions, and its hints.
//! - [`compare`]: several runs' metrics matched through the registry, side by side.
//! - [`tail`]: following growing logs: offsets, partial lines, truncation and rotation;
//!   file-system notifications.
//! - [`tui`]: the terminal UI (`tracker ui`): pure state and views; a loader thread reads the
//!   store.
//! - [`cli`]: the command line, the composition root.
//! - [`model`], [`error`]: plain data and the error type shared by all; [`Logger`] logs from a
//!   Rust program through the same path as the importers.

pub mod classify;
pub mod cli;
pub mod compare;
pub mod defs;
pub mod diagnose;
pub mod discover;
pub mod error;
pub mod import;
pub mod ingest;
pub mod logger;
pub mod model;
pub mod relay;
pub mod store;
pub mod tail;
pub mod tui;

pub use error::{Error, Result};
pub use logger::Logger;
