//! One integration test binary (one link step): the modules below share `util`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod commands;
mod import_fixtures;
mod import_real;
mod tfevents;
mod util;
