//! Other trackers' local stores, read as they left them, for users who move to `tracker` or
//! use it beside another tracker. Each run of theirs becomes one run here, named as they name
//! it, with its params (and tags, under `tags`).
//!
//! | store | what it is | one source is |
//! |---|---|---|
//! | [`Kind::Sacred`] | Sacred's `FileStorageObserver`: `RUNS/ID/{metrics,config,run}.json` | a run directory |
//! | [`Kind::CatBoost`] | CatBoost's training directory `catboost_info/` (`learn_error.tsv`, `test_error.tsv`) | the directory |
//! | [`Kind::Trackio`] | trackio's project database (`~/.cache/huggingface/trackio/PROJECT.db`) | the database, every run in it |
//! | [`Kind::Wandb`] | a W&B run directory (`wandb/run-DATE-ID/`, `wandb/offline-run-DATE-ID/`) | a run directory |
//! | [`Kind::MlflowFiles`] | MLflow's file store: `mlruns/EXPERIMENT_ID/RUN_ID/{meta.yaml,metrics/,params/,tags/}` | a run directory |
//! | [`Kind::MlflowDb`] | MLflow's SQLite tracking database (`mlflow.db`) | the database, every run in it |
//!
//! Unlike [`crate::ingest`], readers here open files: a store is a directory or a database,
//! not a stream. Databases are opened read-only; the SQL in this module reads other programs'
//! schemas and nothing else (our own store's SQL stays in [`crate::store`]).

pub mod catboost;
pub mod mlflow;
pub mod sacred;
pub mod trackio;
pub mod wandb;

use crate::model::Batch;
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The stores of other trackers that `tracker` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    CatBoost,
    Sacred,
    Trackio,
    Wandb,
    MlflowFiles,
    MlflowDb,
}

impl Kind {
    /// What one source of this kind is, as shown in messages.
    pub fn what(self) -> &'static str {
        match self {
            Kind::CatBoost => "CatBoost training directory",
            Kind::Sacred => "Sacred run",
            Kind::Trackio => "trackio database",
            Kind::Wandb => "W&B run",
            Kind::MlflowFiles => "MLflow run",
            Kind::MlflowDb => "MLflow database",
        }
    }

    /// Whether one source of this kind holds several runs, each read under its own name
    /// (a database); otherwise it is one run, named by discovery (and `--run`).
    pub fn holds_runs(self) -> bool {
        matches!(self, Kind::Trackio | Kind::MlflowDb)
    }

    /// Whether the store's directory has a name of its own kind rather than of its run
    /// (`catboost_info`): its run is then named after the directory that holds it.
    pub fn named_by_parent(self) -> bool {
        matches!(self, Kind::CatBoost)
    }
}

/// The store a directory is, when it is one run of a tracker that keeps a directory per run.
pub fn of_dir(dir: &Path) -> Option<Kind> {
    if catboost::is_train_dir(dir) {
        return Some(Kind::CatBoost);
    }
    if sacred::is_run_dir(dir) {
        return Some(Kind::Sacred);
    }
    if mlflow::files::is_run_dir(dir) {
        return Some(Kind::MlflowFiles);
    }
    wandb::is_run_dir(dir).then_some(Kind::Wandb)
}

/// The store a file is, when it is a tracker's database.
pub fn of_file(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    if !matches!(ext.as_str(), "db" | "sqlite" | "sqlite3") {
        return None;
    }
    if trackio::is_database(path) {
        return Some(Kind::Trackio);
    }
    mlflow::database::is_database(path).then_some(Kind::MlflowDb)
}

/// The store a file named alone belongs to, and where that store is: a database itself, or
/// the run directory whose main file it is (Sacred's `metrics.json`, MLflow's `meta.yaml`).
/// `None` for other files.
pub fn owner(path: &Path) -> Option<(Kind, PathBuf)> {
    if let Some(kind) = of_file(path) {
        return Some((kind, path.to_path_buf()));
    }
    // A bare file name (`meta.yaml`) lies in the current directory.
    let dir = match path.parent()? {
        d if d.as_os_str().is_empty() => Path::new("."),
        d => d,
    };
    // W&B keeps a run's plain files under `RUN_DIR/files/`.
    let (kind, dir) = match of_dir(dir) {
        Some(kind) => (kind, dir),
        None if dir.file_name().is_some_and(|n| n == "files") => {
            let run = dir.parent()?;
            (of_dir(run).filter(|k| *k == Kind::Wandb)?, run)
        }
        None => return None,
    };
    let name = path.file_name()?.to_string_lossy().into_owned();
    let main = match kind {
        Kind::Sacred => name == sacred::METRICS,
        Kind::MlflowFiles => name == mlflow::files::META,
        Kind::CatBoost => name.ends_with("_error.tsv"),
        Kind::Wandb => wandb::log_file(dir)
            .or_else(|| wandb::legacy::history_file(dir))
            .is_some_and(|main| main.file_name() == path.file_name()),
        Kind::Trackio | Kind::MlflowDb => false,
    };
    main.then(|| (kind, dir.to_path_buf()))
}

/// The name a one-run store gives its run (Sacred: `EXPERIMENT/ID`, MLflow:
/// `EXPERIMENT/RUN_NAME`), if it names it.
pub fn run_name(kind: Kind, path: &Path) -> Option<String> {
    match kind {
        Kind::Sacred => sacred::run_name(path),
        Kind::Wandb => wandb::run_name(path),
        Kind::MlflowFiles => mlflow::files::run_name(path),
        Kind::CatBoost | Kind::Trackio | Kind::MlflowDb => None,
    }
}

/// Where a reader hands what it read: the batch it fills, and a flush that writes it out
/// (called whenever the batch holds enough points, and once at the end).
pub struct Sink<'a> {
    pub batch: &'a mut Batch,
    flush: &'a mut dyn FnMut(&mut Batch) -> Result<()>,
}

impl<'a> Sink<'a> {
    /// A sink over `batch` that hands it to `flush` (which clears it).
    pub fn new(batch: &'a mut Batch, flush: &'a mut dyn FnMut(&mut Batch) -> Result<()>) -> Self {
        Sink { batch, flush }
    }

    /// Write out the batch when it holds at least `points` points.
    pub fn flush_at(&mut self, points: usize) -> Result<()> {
        if self.batch.points.len() >= points {
            (self.flush)(self.batch)?;
        }
        Ok(())
    }

    /// Write out what the batch holds.
    pub fn flush(&mut self) -> Result<()> {
        (self.flush)(self.batch)
    }
}

/// Points a reader gathers before it writes them out.
pub const FLUSH_POINTS: usize = 50_000;

/// Read the store of `kind` at `path` into `sink`: a one-run store into the default run, a
/// database's runs each under its own name. Ends with a flush.
pub fn read(kind: Kind, path: &Path, sink: &mut Sink<'_>) -> Result<()> {
    match kind {
        Kind::CatBoost => catboost::read(path, sink)?,
        Kind::Sacred => sacred::read(path, sink)?,
        Kind::Trackio => trackio::read(path, sink)?,
        Kind::Wandb => wandb::read(path, sink)?,
        Kind::MlflowFiles => mlflow::files::read(path, sink)?,
        Kind::MlflowDb => mlflow::database::read(path, sink)?,
    }
    sink.flush()
}

/// The columns of `table` in another program's SQLite database, empty when there is no
/// such table.
fn columns(conn: &rusqlite::Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
    let names = stmt.query_map([table], |r| r.get(0))?;
    names.collect()
}

/// Read a small file of a store whole; a missing file is `None`.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// A JSON document as Python writes it (`NaN`, `Infinity` accepted), without a byte-order mark.
fn parse_json(path: &Path, bytes: &[u8]) -> Result<serde_json::Value> {
    let text = String::from_utf8_lossy(crate::ingest::strip_bom(bytes));
    serde_json::from_str(&text)
        .or_else(|e| match crate::ingest::json::repair(&text) {
            Some(fixed) => serde_json::from_str(&fixed).map_err(|_| e),
            None => Err(e),
        })
        .map_err(|e| Error::Invalid(format!("{}: not valid JSON ({e})", path.display())))
}

/// A number as a store writes it: a JSON number, or a string such as `"NaN"` or `"0.5"`.
fn value_of(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => crate::ingest::number::parse(s),
        _ => None,
    }
}

/// Seconds since the Unix epoch of a timestamp written as ISO 8601, with or without an offset
/// (a time without one is taken as UTC, as Python's `utcnow()` writes it).
fn wall_time(text: &str) -> Option<f64> {
    let seconds = |t: chrono::DateTime<chrono::Utc>| t.timestamp_micros() as f64 / 1e6;
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(seconds(t.to_utc()));
    }
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()?;
    Some(seconds(naive.and_utc()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_with_and_without_an_offset() {
        assert_eq!(super::wall_time("1970-01-01T00:00:01.5"), Some(1.5));
        assert_eq!(super::wall_time("1970-01-01T01:00:02+01:00"), Some(2.0));
        assert_eq!(super::wall_time("1970-01-01 00:00:03.25"), Some(3.25));
        assert_eq!(super::wall_time("yesterday"), None);
    }
}
