//! The plain files W&B run directories hold beside (or, before SDK 0.10, instead of) the binary
//! transaction log: `wandb-history.jsonl` (one JSON object per step, with `_step`,
//! `_timestamp` and `_runtime`) and `config.yaml` (`KEY: {desc, value}`), directly in the run
//! directory or under its `files/`. `wandb-summary.json` holds final values: never points.
//! `output.log` is the run's console, read only when the history holds no numbers.

use super::{Sink, flatten};
use crate::ingest::{Options, detect, parser};
use crate::model::{Location, RunKey};
use crate::{Error, Result};
use serde_json::{Map, Value};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

pub const HISTORY: &str = "wandb-history.jsonl";
const CONFIG: &str = "config.yaml";
const CONSOLE: &str = "output.log";
/// Bytes of the console read at a time.
const CHUNK: u64 = 1 << 20;

/// `name` in the run directory `dir` or in its `files/`, where it exists.
fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    [dir.join("files").join(name), dir.join(name)]
        .into_iter()
        .find(|p| p.is_file())
}

/// The run's history file, when it has one.
pub fn history_file(dir: &Path) -> Option<PathBuf> {
    find(dir, HISTORY)
}

/// Read `wandb-history.jsonl` into the sink's default run: every number of a line at its
/// `_step` (else its line number) with its `_timestamp`.
pub fn read_history(path: &Path, sink: &mut Sink<'_>) -> Result<usize> {
    let run = sink.batch.run(RunKey::Default);
    let mut pushed = 0;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut values = Vec::new();
    for (index, line) in std::io::BufReader::new(file).split(b'\n').enumerate() {
        let line = line.map_err(|e| Error::io(path, e))?;
        let at = Location::Line(index as u64 + 1);
        let text = String::from_utf8_lossy(crate::ingest::strip_bom(&line));
        if text.trim().is_empty() {
            continue;
        }
        let row = match super::super::parse_json(path, text.as_bytes()) {
            Ok(Value::Object(o)) => o,
            _ => {
                sink.batch.skip(at, "not a JSON object");
                continue;
            }
        };
        let step = row
            .get("_step")
            .and_then(Value::as_i64)
            .unwrap_or(index as i64);
        let wall = row.get("_timestamp").and_then(Value::as_f64);
        values.clear();
        for (key, v) in &row {
            if !matches!(key.as_str(), "_step" | "_timestamp" | "_runtime") {
                flatten(key, v, &mut values);
            }
        }
        pushed += values.len();
        for (name, value) in values.drain(..) {
            let metric = sink.batch.metric(&name);
            sink.batch.push_at(run, metric, step, value, wall, at);
        }
        sink.flush_at(super::super::FLUSH_POINTS)?;
    }
    Ok(pushed)
}

/// Whether the run directory holds its console file.
pub fn has_console(dir: &Path) -> bool {
    find(dir, CONSOLE).is_some()
}

/// Read the run's console file (`files/output.log`), when it has one.
pub fn read_output_log(dir: &Path, sink: &mut Sink<'_>) -> Result<()> {
    let Some(path) = find(dir, CONSOLE) else {
        return Ok(());
    };
    let mut file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    read_console(&mut file, &path, sink)
}

/// Read a run's console (from `origin`), in the format its content shows, into the sink's
/// default run.
pub fn read_console(from: &mut dyn Read, origin: &Path, sink: &mut Sink<'_>) -> Result<()> {
    let io = |e| Error::io(origin, e);
    let mut head = Vec::new();
    from.take(crate::ingest::detect::HEAD_MAX as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    let mut p = parser(detect(CONSOLE, &head), &Options::default());
    let mut pending = head;
    loop {
        let got = from.take(CHUNK).read_to_end(&mut pending).map_err(io)?;
        let used = p.feed(&pending, got == 0, sink.batch);
        pending.drain(..used);
        sink.flush_at(super::super::FLUSH_POINTS)?;
        if got == 0 {
            return Ok(());
        }
    }
}

/// The run's `config.yaml` as params (`_wandb` and `wandb_version` left out), when it has one.
pub fn config(dir: &Path) -> Map<String, Value> {
    let mut params = Map::new();
    let Some(path) = find(dir, CONFIG) else {
        return params;
    };
    let text = std::fs::read(&path).unwrap_or_default();
    let Ok(Value::Object(doc)) = crate::defs::yaml::to_json(&String::from_utf8_lossy(&text)) else {
        return params;
    };
    for (key, mut v) in doc {
        if key == "_wandb" || key == "wandb_version" {
            continue;
        }
        if let Some(inner) = v.as_object_mut().and_then(|o| o.remove("value")) {
            v = inner;
        }
        params.insert(key, v);
    }
    params
}
