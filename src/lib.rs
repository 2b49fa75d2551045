//! `tracker` records machine-learning training metrics in one database (SQLite, or a team's
//! PostgreSQL server) and tells, in plain words, whether each curve is healthy.
//!
//! Module map (data flows down; only `cli` wires subsystems together):
//!
//! - [`model`], [`error`]: the data contract shared by all (what parsers hand the store, what
//!   the store gives back) and the error type.
//! - [`ingest`]: pure parsers: bytes in, a [`model::Batch`] out (no I/O).
//! - [`store`]: the database behind one interface (a SQLite file or a PostgreSQL server):
//!   runs, metrics, points, history; migrations. [`sync`]: runs pushed from one to another.
//! - [`discover`]: which files are which run, run names, sidecar files.
//! - [`foreign`]: other trackers' local stores (Sacred, trackio), read as they left them.
//! - [`import`]: the one import pipeline, files through parsers into the store.
//! - [`defs`]: metric definitions (YAML): names, directions, example curves, hint rules.
//! - [`classify`]: pure statistics: a verdict for one curve, with its evidence.
//! - [`diagnose`]: a run's curves classified against their definitions, and its hints.
//! - [`compare`]: several runs' metrics matched through the registry, side by side.
//! - [`tail`]: following growing logs: offsets, partial lines, truncation and rotation;
//!   file-change notifications. [`relay`]: keeping a job `exec` started alive.
//! - [`tui`]: the terminal UI (`tracker ui`): pure state and views; a loader thread reads the
//!   store.
//! - [`cli`]: the command line: parses arguments and prints.
//! - [`Logger`] logs from a Rust program through the same store interface.

pub mod classify;
pub mod cli;
pub mod compare;
pub mod defs;
pub mod diagnose;
pub mod discover;
pub mod error;
pub mod foreign;
pub mod import;
pub mod ingest;
pub mod live;
pub mod logger;
pub mod model;
pub mod relay;
pub mod store;
pub mod sync;
pub mod tail;
pub mod tui;

pub use error::{Error, Result};
pub use logger::Logger;
