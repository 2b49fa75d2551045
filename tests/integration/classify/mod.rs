//! Tests of `tracker::classify`.

// Test helpers (readers, fixtures) may panic on malformed input: that is a test failure.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod api;
mod examples;
mod noisy;
mod oracles;
mod practical;
mod props;
mod real;
mod synthetic;
pub mod util;
