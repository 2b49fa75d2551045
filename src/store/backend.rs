//! The one interface every reader and writer of the database goes through: [`Backend`], and
//! [`Store`], an open database behind it: a SQLite file or a team's PostgreSQL server, with
//! the same statements on both (nothing outside `store` knows which).

use super::Db;
use super::liveness::WriterId;
use super::server::is_server_url;
use super::sources::Withdrawn;
use super::status::{CurveSignature, RunEnd};
use super::write::{WriteState, WriteStats, Writer};
use crate::Result;
use crate::model::{Batch, RunDetail, RunSummary, Series, SourcePosition};
use std::path::Path;

/// Params of a run, as stored.
pub type Params = serde_json::Map<String, serde_json::Value>;

/// What a database does for tracker. Every operation is one transaction: it happens whole
/// or not at all.
pub trait Backend: Send {
    /// Where the database lives (`:memory:` for an in-memory one).
    fn path(&self) -> &str;

    // Runs.
    /// Resolve a run reference: the full name, a unique prefix, or `@latest` / `@latest~N`.
    fn resolve_run(&self, reference: &str) -> Result<String>;
    /// Names of all runs, sorted.
    fn run_names(&self) -> Result<Vec<String>>;
    /// Delete a run and all its points; returns the number of points deleted.
    fn delete_run(&mut self, name: &str) -> Result<u64>;
    /// Rename a run, recording it in its history.
    fn rename_run(&mut self, old: &str, new: &str) -> Result<()>;

    // Reading.
    /// Every run with its summary, oldest first.
    fn runs(&self) -> Result<Vec<RunSummary>>;
    /// A number that changes whenever another connection commits (a live view polls it).
    fn data_version(&self) -> Result<i64>;
    /// A run with its metrics, params and history.
    fn run_detail(&self, name: &str) -> Result<RunDetail>;
    /// A run's params (a JSON object).
    fn run_params(&self, name: &str) -> Result<serde_json::Value>;
    /// A run's metric names, in the order they were first logged.
    fn metric_names(&self, run: &str) -> Result<Vec<String>>;
    /// One metric of a run, by step.
    fn series(&self, run: &str, metric: &str) -> Result<Series>;
    /// Every curve of a run with its [`CurveSignature`], by name.
    fn curve_signatures(&self, run: &str) -> Result<Vec<(String, CurveSignature)>>;
    /// A run's status (`running`, `finished`, `stalled`, …), or `None` without such a run.
    fn run_status(&self, name: &str) -> Result<Option<String>>;

    // Writing (see [`Writer`]).
    /// Write a batch's points, restarts and params in one transaction, with the position of
    /// the followed file they were read up to.
    fn write_batch(
        &mut self,
        state: &mut WriteState,
        batch: &Batch,
        position: Option<&SourcePosition>,
    ) -> Result<WriteStats>;
    /// Record in each run's history what a writer changed.
    fn finish_writing(&mut self, state: &WriteState) -> Result<WriteStats>;

    // Live runs.
    /// Mark run `name` as running (creating it), add `params`, and record the start.
    fn begin_run(&mut self, name: &str, source: &str, params: &Params, detail: &str) -> Result<()>;
    /// Record how a running run ended.
    fn end_run(&mut self, name: &str, source: &str, end: &RunEnd) -> Result<()>;
    /// Record that `writer` writes run `name`.
    fn claim_run(&mut self, name: &str, writer: &WriterId) -> Result<()>;
    /// The writer of run `name` is alive.
    fn heartbeat(&mut self, name: &str) -> Result<()>;

    // Followed files.
    /// Where a followed file was read up to.
    fn source_position(&self, path: &str) -> Result<Option<SourcePosition>>;
    /// Forget where a followed file was read up to.
    fn forget_source(&mut self, path: &str) -> Result<()>;
    /// Take out what a followed file still owns, and forget its position.
    fn withdraw_source(&mut self, path: &str, reason: &str) -> Result<Vec<Withdrawn>>;
}

/// An open database.
pub struct Store {
    backend: Box<dyn Backend>,
}

impl Store {
    /// Open (creating if needed) the SQLite database at `path`, creating its directory; or,
    /// when `path` is a `postgres://` URL, connect to that server, bringing its schema up to
    /// date.
    pub fn open(path: &Path) -> Result<Store> {
        match path.to_str().filter(|p| is_server_url(p)) {
            Some(url) => Ok(Store::from(Db::connect(url, false)?)),
            None => Ok(Store::from(Db::open(path)?)),
        }
    }

    /// Open the database at `path` only to read it: nothing is created, migrated or written
    /// (see [`Db::open_read_only`]; on a server, a session that cannot write).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        match path.to_str().filter(|p| is_server_url(p)) {
            Some(url) => Ok(Store::from(Db::connect(url, true)?)),
            None => Ok(Store::from(Db::open_read_only(path)?)),
        }
    }

    /// A private database in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        Ok(Store::from(Db::open_in_memory()?))
    }

    /// Start writing points from `source` (a path or a label) into runs named after
    /// `default_run` (see [`Writer`]).
    pub fn writer(&mut self, source: &str, default_run: &str) -> Writer<'_> {
        Writer::new(self, WriteState::new(source, default_run))
    }

    /// Go on writing with a state kept from an earlier [`Writer`] (see [`WriteState`]).
    pub fn resume_writer(&mut self, state: WriteState) -> Writer<'_> {
        Writer::new(self, state)
    }
}

impl<B: Backend + 'static> From<B> for Store {
    fn from(backend: B) -> Self {
        Store {
            backend: Box::new(backend),
        }
    }
}

impl std::ops::Deref for Store {
    type Target = dyn Backend;
    fn deref(&self) -> &(dyn Backend + 'static) {
        self.backend.as_ref()
    }
}

impl std::ops::DerefMut for Store {
    fn deref_mut(&mut self) -> &mut (dyn Backend + 'static) {
        self.backend.as_mut()
    }
}

impl Backend for Db {
    fn path(&self) -> &str {
        &self.path
    }
    fn resolve_run(&self, reference: &str) -> Result<String> {
        Db::resolve_run(self, reference)
    }
    fn run_names(&self) -> Result<Vec<String>> {
        Db::run_names(self)
    }
    fn delete_run(&mut self, name: &str) -> Result<u64> {
        Db::delete_run(self, name)
    }
    fn rename_run(&mut self, old: &str, new: &str) -> Result<()> {
        Db::rename_run(self, old, new)
    }
    fn runs(&self) -> Result<Vec<RunSummary>> {
        Db::runs(self)
    }
    fn data_version(&self) -> Result<i64> {
        Db::data_version(self)
    }
    fn run_detail(&self, name: &str) -> Result<RunDetail> {
        Db::run_detail(self, name)
    }
    fn run_params(&self, name: &str) -> Result<serde_json::Value> {
        Db::run_params(self, name)
    }
    fn metric_names(&self, run: &str) -> Result<Vec<String>> {
        Db::metric_names(self, run)
    }
    fn series(&self, run: &str, metric: &str) -> Result<Series> {
        Db::series(self, run, metric)
    }
    fn curve_signatures(&self, run: &str) -> Result<Vec<(String, CurveSignature)>> {
        Db::curve_signatures(self, run)
    }
    fn run_status(&self, name: &str) -> Result<Option<String>> {
        Db::run_status(self, name)
    }
    fn write_batch(
        &mut self,
        state: &mut WriteState,
        batch: &Batch,
        position: Option<&SourcePosition>,
    ) -> Result<WriteStats> {
        state.write(self, batch, position)
    }
    fn finish_writing(&mut self, state: &WriteState) -> Result<WriteStats> {
        state.finish(self)
    }
    fn begin_run(&mut self, name: &str, source: &str, params: &Params, detail: &str) -> Result<()> {
        Db::begin_run(self, name, source, params, detail)
    }
    fn end_run(&mut self, name: &str, source: &str, end: &RunEnd) -> Result<()> {
        Db::end_run(self, name, source, end)
    }
    fn claim_run(&mut self, name: &str, writer: &WriterId) -> Result<()> {
        Db::claim_run(self, name, writer)
    }
    fn heartbeat(&mut self, name: &str) -> Result<()> {
        Db::heartbeat(self, name)
    }
    fn source_position(&self, path: &str) -> Result<Option<SourcePosition>> {
        Db::source_position(self, path)
    }
    fn forget_source(&mut self, path: &str) -> Result<()> {
        Db::forget_source(self, path)
    }
    fn withdraw_source(&mut self, path: &str, reason: &str) -> Result<Vec<Withdrawn>> {
        Db::withdraw_source(self, path, reason)
    }
}
