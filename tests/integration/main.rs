//! One integration test binary (one link step): the modules below share `util`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod commands;
mod compare;
mod defs;
mod diagnose;
mod import_fixtures;
mod import_real;
mod tail;
mod util;
mod wild;
