//! The plain files W&B run directories hold beside (or, before SDK 0.10, instead of) the binary
//! transaction log: `wandb-history.jsonl` (one JSON object per step, with `_step`,
//! `_timestamp` and `_runtime`) and `config.yaml` (`KEY: {desc, value}`), directly in the run
//! directory or under its `files/`. `wandb-summary.json` holds final values: never points.

use super::{Sink, flatten};
use crate::model::{Location, RunKey};
use crate::{Error, Result};
use serde_json::{Map, Value};
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub const HISTORY: &str = "wandb-history.jsonl";
const CONFIG: &str = "config.yaml";

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
pub fn read_history(path: &Path, sink: &mut Sink<'_>) -> Result<()> {
    let run = sink.batch.run(RunKey::Default);
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
        for (name, value) in values.drain(..) {
            let metric = sink.batch.metric(&name);
            sink.batch.push_at(run, metric, step, value, wall, at);
        }
        sink.flush_at(super::super::FLUSH_POINTS)?;
    }
    Ok(())
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
