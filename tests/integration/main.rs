//! One integration test binary (one link step): the modules below share `util`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod classify;
mod commands;
mod compare;
mod console_styles;
mod corpus;
mod defs;
mod diagnose;
mod discovery;
mod foreign;
mod hardening;
mod hostile;
mod import_fixtures;
mod import_real;
mod json_docs;
mod mlflow;
mod postgres;
mod reliability;
mod sync;
mod tables;
mod tail;
mod tfevents;
mod tui;
mod util;
mod wandb;
mod wild;
