//! Metric definitions: loading, errors, resolution, hints.

// Test helpers outside #[test] functions are not covered by clippy.toml's allow-*-in-tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod hints;
mod invalid;
mod load;
mod resolve;

use std::path::{Path, PathBuf};

/// `tests/fixtures/NAME` of this crate.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
