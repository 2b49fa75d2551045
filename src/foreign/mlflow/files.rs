//! MLflow's file store (`mlflow.set_tracking_uri("file:...")`, the default `./mlruns` of older
//! MLflow): `mlruns/EXPERIMENT_ID/meta.yaml` names the experiment, and each run directory
//! `mlruns/EXPERIMENT_ID/RUN_ID/` holds `meta.yaml` (run id, run name, status, lifecycle
//! stage), `metrics/KEY` (one line per logged value: `TIMESTAMP_MS VALUE STEP`, older MLflow
//! `TIMESTAMP_MS VALUE` at step 0, newer lines may add the dataset's name and digest),
//! `params/KEY` and `tags/KEY` (the value, whole). A key with `/` is a nested file
//! (`metrics/train/loss` is `train/loss`). A deleted experiment is moved to `.trash/`; a
//! deleted run stays where it is, marked `lifecycle_stage: deleted`.

use super::{RUN_NAME_TAG, RunInfo, as_text, full_names, with_tags};
use crate::foreign::{FLUSH_POINTS, Sink, read_optional};
use crate::model::{Location, RunKey};
use crate::{Error, Result};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The file that describes a run (and, one level up, its experiment).
pub const META: &str = "meta.yaml";

/// Where MLflow moves a deleted experiment.
const TRASH: &str = ".trash";

/// A `meta.yaml` as a mapping, when there is one that parses.
fn read_meta(dir: &Path) -> Option<Map<String, Value>> {
    let bytes = std::fs::read(dir.join(META)).ok()?;
    match crate::defs::yaml::to_json(&String::from_utf8_lossy(&bytes)) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// The run id a run's `meta.yaml` gives (`run_id`, older `run_uuid`).
fn run_id(meta: &Map<String, Value>) -> Option<String> {
    ["run_id", "run_uuid"]
        .iter()
        .find_map(|k| meta.get(*k).and_then(as_text))
        .filter(|id| !id.is_empty())
}

/// Whether `dir` is an MLflow run directory: a `meta.yaml` giving a run id beside `metrics/`,
/// `params/` or `tags/` (a run that logged no metric is still a run; a copy kept in git has
/// lost its empty `metrics/`).
pub fn is_run_dir(dir: &Path) -> bool {
    has_run_parts(dir) && read_meta(dir).as_ref().and_then(run_id).is_some()
}

fn has_run_parts(dir: &Path) -> bool {
    ["metrics", "params", "tags"]
        .iter()
        .any(|part| dir.join(part).is_dir())
}

/// Why the run in `dir` (with `meta`) is not imported, when it is deleted.
fn deleted(dir: &Path, meta: &Map<String, Value>) -> Option<&'static str> {
    let stage = |m: &Map<String, Value>| {
        m.get("lifecycle_stage").and_then(Value::as_str) == Some("deleted")
    };
    if stage(meta) {
        return Some("the run is deleted in MLflow (lifecycle_stage: deleted); not imported");
    }
    let exp = dir.parent()?;
    let trashed = exp
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|n| n == TRASH);
    if trashed || read_meta(exp).as_ref().is_some_and(stage) {
        return Some("its experiment is deleted in MLflow; not imported");
    }
    None
}

/// What MLflow knows of the run in `dir`: its experiment's name (from the experiment's
/// `meta.yaml`, else its id), its run name (`run_name`, else tag `mlflow.runName`) and id.
fn info(dir: &Path, meta: &Map<String, Value>) -> RunInfo {
    let exp_dir = dir.parent();
    let experiment = exp_dir
        .and_then(read_meta)
        .and_then(|m| m.get("name").and_then(as_text))
        .or_else(|| meta.get("experiment_id").and_then(as_text))
        .or_else(|| {
            exp_dir
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_default();
    let name = meta
        .get("run_name")
        .and_then(as_text)
        .filter(|n| !n.is_empty())
        .or_else(|| {
            let tag = std::fs::read(dir.join("tags").join(RUN_NAME_TAG)).ok()?;
            Some(String::from_utf8_lossy(&tag).into_owned())
        })
        .unwrap_or_default();
    let id = run_id(meta).unwrap_or_else(|| {
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    RunInfo {
        experiment,
        name,
        id,
    }
}

/// MLflow's name for the run in `dir`: `EXPERIMENT/RUN_NAME`, with the start of its run id
/// where live runs of its experiment share that name.
pub fn run_name(dir: &Path) -> Option<String> {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let own = read_meta(&dir)?;
    let me = info(&dir, &own);
    let live = match (deleted(&dir, &own), dir.parent()) {
        (None, Some(exp)) => live_runs(exp),
        _ => Arc::new(vec![]),
    };
    match live.iter().position(|r| r.id == me.id) {
        Some(i) => full_names(&live).into_iter().nth(i),
        None => full_names(&[me]).into_iter().next(),
    }
}

/// The live runs of each experiment directory, read once per process: discovery names every
/// run of an experiment, and each name depends on all of them.
static LIVE: Mutex<Option<HashMap<PathBuf, Arc<Vec<RunInfo>>>>> = Mutex::new(None);

/// The live runs of experiment directory `exp`, in a stable order.
fn live_runs(exp: &Path) -> Arc<Vec<RunInfo>> {
    let mut cache = LIVE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some(runs) = cache.get(exp) {
        return runs.clone();
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(exp)
        .map(|e| {
            e.filter_map(std::result::Result::ok)
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    let runs: Vec<RunInfo> = dirs
        .iter()
        .filter(|d| has_run_parts(d))
        .filter_map(|d| {
            let m = read_meta(d)?;
            (run_id(&m).is_some() && deleted(d, &m).is_none()).then(|| info(d, &m))
        })
        .collect();
    let runs = Arc::new(runs);
    cache.insert(exp.to_path_buf(), runs.clone());
    runs
}

/// The files under `dir` (none when it is missing), each with its key: its path below `dir`
/// joined with `/`, in a stable order.
fn keyed_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), dir.to_path_buf())];
    while let Some((prefix, d)) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(&d, e)),
        };
        for e in entries {
            let e = e.map_err(|e| Error::io(&d, e))?;
            let key = format!("{prefix}{}", e.file_name().to_string_lossy());
            match e
                .file_type()
                .map_err(|err| Error::io(e.path(), err))?
                .is_dir()
            {
                true => stack.push((format!("{key}/"), e.path())),
                false => out.push((key, e.path())),
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Each file under `dir` as a string value under its key.
fn values(dir: &Path) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for (key, path) in keyed_files(dir)? {
        if let Some(bytes) = read_optional(&path)? {
            out.insert(
                key,
                Value::String(String::from_utf8_lossy(&bytes).into_owned()),
            );
        }
    }
    Ok(out)
}

/// Read the run in `dir` into the sink's default run: every metric file line by line, in the
/// order MLflow appended them, then params and tags. A deleted run is reported, not read.
pub fn read(dir: &Path, sink: &mut Sink<'_>) -> Result<()> {
    let Some(own) = read_meta(dir) else {
        sink.batch.skip(
            Location::Whole,
            format!("no readable {META}; not an MLflow run"),
        );
        return Ok(());
    };
    if let Some(why) = deleted(dir, &own) {
        sink.batch.skip(Location::Whole, why);
        return Ok(());
    }
    let run = sink.batch.run(RunKey::Default);
    for (key, path) in keyed_files(&dir.join("metrics"))? {
        let Some(bytes) = read_optional(&path)? else {
            continue;
        };
        read_metric(&key, &String::from_utf8_lossy(&bytes), run, sink)?;
    }
    let params = values(&dir.join("params"))?;
    let tags = values(&dir.join("tags"))?;
    if let Some(params) = with_tags(params, tags) {
        sink.batch.params.push((run, params));
    }
    Ok(())
}

/// One line of a metric file: its step, value and wall time in seconds.
fn parse_line(line: &str) -> Option<(i64, f64, Option<f64>)> {
    // `TIMESTAMP VALUE`, `TIMESTAMP VALUE STEP`, or that and the dataset's name and digest.
    let mut fields = line.split_whitespace();
    let (time, value) = (fields.next()?, fields.next()?);
    let step = match fields.next() {
        None => 0,
        Some(s) => s.parse().ok()?,
    };
    if !matches!(fields.count(), 0 | 2) {
        return None;
    }
    let wall = time.parse::<i64>().ok()? as f64 / 1000.0;
    Some((step, crate::ingest::number::parse(value)?, Some(wall)))
}

/// Push the values of metric `key` from its file's `text`; a line that is not a value is
/// reported.
fn read_metric(key: &str, text: &str, run: u32, sink: &mut Sink<'_>) -> Result<()> {
    let metric = sink.batch.metric(key);
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line) {
            Some((step, value, wall)) => sink.batch.push(run, metric, step, value, wall),
            None => sink.batch.skip(
                Location::Whole,
                format!(
                    "metrics/{key} line {}: not TIMESTAMP VALUE [STEP]: {line:?}",
                    i + 1
                ),
            ),
        }
        sink.flush_at(FLUSH_POINTS)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_line;

    #[test]
    fn metric_lines_old_and_new() {
        assert_eq!(
            parse_line("1700000000000 0.5 3"),
            Some((3, 0.5, Some(1.7e9)))
        );
        assert_eq!(parse_line("1700000000000 0.5"), Some((0, 0.5, Some(1.7e9))));
        assert_eq!(
            parse_line("1000 1.5 7 train abc123"),
            Some((7, 1.5, Some(1.0)))
        );
        assert!(parse_line("1000 nan 1").unwrap().1.is_nan());
        assert_eq!(parse_line("1000 -inf 1").unwrap().1, f64::NEG_INFINITY);
        assert_eq!(parse_line("1000 inf 1").unwrap().1, f64::INFINITY);
        assert_eq!(parse_line("1000 x 1"), None);
        assert_eq!(parse_line("1000 1 2 3"), None);
    }
}
