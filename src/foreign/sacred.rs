//! Sacred's `FileStorageObserver`: one directory per run (`RUNS/ID/`), with `metrics.json`
//! (`{name: {"steps": [...], "values": [...], "timestamps": [...]}}`), `config.json` (the
//! run's configuration: its params) and `run.json` (the experiment's name, status, host).
//! `cout.txt` beside them is the run's captured console: the same data, not read.

use super::{Sink, parse_json, read_optional, value_of, wall_time};
use crate::Result;
use crate::model::{Location, RunKey};
use serde_json::Value;
use std::path::Path;

/// The file that holds a Sacred run's metrics.
pub const METRICS: &str = "metrics.json";

/// Whether `dir` is a Sacred run directory: a `run.json` beside its `config.json` or
/// `metrics.json`, and the `run.json` names an experiment.
pub fn is_run_dir(dir: &Path) -> bool {
    let run = dir.join("run.json");
    if !(run.is_file() && (dir.join(METRICS).is_file() || dir.join("config.json").is_file())) {
        return false;
    }
    experiment(dir).is_some()
}

/// The experiment's name from the run's `run.json`.
fn experiment(dir: &Path) -> Option<String> {
    let path = dir.join("run.json");
    let bytes = std::fs::read(&path).ok()?;
    let doc = parse_json(&path, &bytes).ok()?;
    let name = doc.get("experiment")?.get("name")?.as_str()?;
    Some(name.to_string())
}

/// Sacred's name for the run in `dir`: `EXPERIMENT/ID`, its id being the directory's name.
pub fn run_name(dir: &Path) -> Option<String> {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let id = dir.file_name()?.to_string_lossy().into_owned();
    Some(format!("{}/{id}", experiment(&dir)?))
}

/// Read the run in `dir` into the sink's default run: every scalar of `metrics.json` at its
/// step, and `config.json` as params.
pub fn read(dir: &Path, sink: &mut Sink<'_>) -> Result<()> {
    let run = sink.batch.run(RunKey::Default);
    let path = dir.join(METRICS);
    let mut points = 0usize;
    if let Some(bytes) = read_optional(&path)? {
        let doc = parse_json(&path, &bytes)?;
        let Some(metrics) = doc.as_object() else {
            sink.batch.skip(
                Location::Whole,
                "not a mapping of metric names to their values",
            );
            return Ok(());
        };
        for (name, series) in metrics {
            points += read_metric(name, series, run, sink)?;
        }
    }
    let config = dir.join("config.json");
    if points > 0
        && let Some(bytes) = read_optional(&config)?
    {
        match parse_json(&config, &bytes)? {
            Value::Object(params) if !params.is_empty() => sink.batch.params.push((run, params)),
            _ => {}
        }
    }
    Ok(())
}

/// Push one metric's values; returns how many.
fn read_metric(name: &str, series: &Value, run: u32, sink: &mut Sink<'_>) -> Result<usize> {
    let list = |key: &str| series.get(key).and_then(Value::as_array);
    let Some(values) = list("values") else {
        sink.batch.skip(
            Location::Whole,
            format!("metric '{name}': no 'values' list"),
        );
        return Ok(0);
    };
    let steps = list("steps");
    let times = list("timestamps");
    if let Some(steps) = steps
        && steps.len() != values.len()
    {
        sink.batch.skip(
            Location::Whole,
            format!(
                "metric '{name}': {} steps for {} values; the values without a step are left out",
                steps.len(),
                values.len()
            ),
        );
    }
    let metric = sink.batch.metric(name);
    let mut pushed = 0;
    for (i, v) in values.iter().enumerate() {
        // Sacred numbers the steps of a metric logged without one 0, 1, 2, ...
        let step = match steps {
            Some(s) => match s.get(i).and_then(Value::as_i64) {
                Some(step) => step,
                None => continue,
            },
            None => i as i64,
        };
        let Some(value) = value_of(v) else { continue };
        let wall = times
            .and_then(|t| t.get(i))
            .and_then(Value::as_str)
            .and_then(wall_time);
        sink.batch.push(run, metric, step, value, wall);
        pushed += 1;
        sink.flush_at(super::FLUSH_POINTS)?;
    }
    Ok(pushed)
}
