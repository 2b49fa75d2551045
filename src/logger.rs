//! Logging from a Rust program, through the same path as the importers:
//!
//! ```no_run
//! let mut log = tracker::Logger::open(std::path::Path::new("tracker.db"), "my-run")?;
//! log.log(100, &[("loss", 0.42), ("val_f1", 0.81)])?;
//! # Ok::<(), tracker::Error>(())
//! ```

use crate::Result;
use crate::ingest::Batch;
use crate::store::{Store, WriteStats, now};
use std::path::Path;

/// Writes values of one run into a database.
pub struct Logger {
    store: Store,
    run: String,
    source: String,
    batch: Batch,
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
        }
    }

    /// Record `values` at `step`, committed before this returns. The wall time is now.
    pub fn log(&mut self, step: i64, values: &[(&str, f64)]) -> Result<WriteStats> {
        let wall = Some(now());
        for (name, v) in values {
            let m = self.batch.metric(name);
            self.batch.push(0, m, step, *v, wall);
        }
        let mut w = self.store.writer(&self.source, &self.run);
        let stats = w.write(&self.batch)?;
        w.finish()?;
        self.batch.clear();
        Ok(stats)
    }

    /// The store, for reading back.
    pub fn store(&self) -> &Store {
        &self.store
    }
}
