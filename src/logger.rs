//! Logging from a Rust program, through the same path as the importers:
//!
//! ```no_run
//! let mut log = tracker::Logger::open(std::path::Path::new("tracker.db"), "my-run")?;
//! for step in 0..1000 {
//!     log.log(step, &[("loss", 0.42), ("val_f1", 0.81)])?;
//! }
//! log.flush()?; // also done when `log` is dropped
//! # Ok::<(), tracker::Error>(())
//! ```
//!
//! Values are committed in small batches: once [`BATCH_POINTS`] are waiting, or when a value
//! comes [`BATCH_TIME`] after the last commit (so a slow loop commits at every call), and at
//! [`Logger::flush`] and on drop. Consecutive logging into a run is one entry of its history.

use crate::Result;
use crate::ingest::Batch;
use crate::store::{Store, WriteState, WriteStats, now};
use std::path::Path;
use std::time::{Duration, Instant};

/// Values waiting before a commit.
pub const BATCH_POINTS: usize = 1024;
/// The longest a value waits for a commit when more values follow.
pub const BATCH_TIME: Duration = Duration::from_secs(1);

/// Writes values of one run into a database.
pub struct Logger {
    store: Store,
    run: String,
    source: String,
    batch: Batch,
    last_commit: Instant,
}

impl Logger {
    /// Open the database at `path` (created if needed) to log into run `run`.
    pub fn open(path: &Path, run: &str) -> Result<Logger> {
        Ok(Logger::with_store(Store::open(path)?, run))
    }

    /// Log into run `run` of an open store.
    pub fn with_store(store: Store, run: &str) -> Logger {
        Logger {
            store,
            run: run.to_owned(),
            source: "log".into(),
            batch: Batch::new(),
            last_commit: Instant::now(),
        }
    }

    /// Record `values` at `step` (the wall time is now). They are committed with the next
    /// batch: see the module's documentation.
    pub fn log(&mut self, step: i64, values: &[(&str, f64)]) -> Result<()> {
        let wall = Some(now());
        for (name, v) in values {
            let m = self.batch.metric(name);
            self.batch.push(0, m, step, *v, wall);
        }
        if self.batch.points.len() >= BATCH_POINTS || self.last_commit.elapsed() >= BATCH_TIME {
            self.flush()?;
        }
        Ok(())
    }

    /// Commit the values logged so far; returns what the commit changed.
    pub fn flush(&mut self) -> Result<WriteStats> {
        self.last_commit = Instant::now();
        if self.batch.points.is_empty() {
            return Ok(WriteStats::default());
        }
        let state = WriteState::new(&self.source, &self.run)
            .with_event_kind("log")
            .coalescing();
        let mut w = self.store.resume_writer(state);
        w.write(&self.batch)?;
        let stats = w.finish()?;
        self.batch.clear();
        Ok(stats)
    }

    /// The store, for reading back (values not yet flushed are not in it).
    pub fn store(&self) -> &Store {
        &self.store
    }
}

impl Drop for Logger {
    fn drop(&mut self) {
        if let Err(e) = self.flush() {
            eprintln!(
                "tracker: values of run '{}' could not be saved: {e}",
                self.run
            );
        }
    }
}
