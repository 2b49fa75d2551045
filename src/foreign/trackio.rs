//! trackio's project database: one SQLite file per project (`PROJECT.db`, under
//! `~/.cache/huggingface/trackio/` or `TRACKIO_DIR`). Table `metrics` holds one row per
//! `trackio.log` call: `run_name`, `step`, `timestamp` and the logged values as a JSON object
//! (`"NaN"` for a NaN); newer versions add `run_id`. Table `configs` holds each run's config.
//! Runs are named `PROJECT/RUN`; a run name that trackio gave to several runs (run ids) is
//! told apart by the start of each id.

use super::{Sink, columns, value_of, wall_time};
use crate::store::connect_untouched;
use crate::{Error, Result};
use rusqlite::Connection;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Whether the SQLite file at `path` is a trackio project database.
pub fn is_database(path: &Path) -> bool {
    let Ok(conn) = connect_untouched(path) else {
        return false;
    };
    columns(&conn, "metrics").is_ok_and(|c| {
        ["run_name", "step", "metrics", "timestamp"]
            .iter()
            .all(|want| c.iter().any(|have| have == want))
    })
}

/// Read every run of the database at `path`, each under its own name.
pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<()> {
    let fail = |e: rusqlite::Error| Error::Database {
        path: path.display().to_string(),
        message: format!("cannot be read as a trackio database ({e})"),
    };
    let conn = connect_untouched(path).map_err(fail)?;
    let project = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let has_id = columns(&conn, "metrics")
        .map_err(fail)?
        .iter()
        .any(|c| c == "run_id");
    let id = if has_id { "run_id" } else { "run_name" };
    let names = run_names(&conn, &project, id).map_err(fail)?;
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {id}, run_name, step, timestamp, metrics FROM metrics ORDER BY id"
        ))
        .map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    let mut runs: HashMap<String, u32> = HashMap::new();
    while let Some(row) = rows.next().map_err(fail)? {
        let key: String = row.get(0).map_err(fail)?;
        let name: String = row.get(1).map_err(fail)?;
        let step: Option<i64> = row.get(2).map_err(fail)?;
        let time: Option<String> = row.get(3).map_err(fail)?;
        let values = text(row.get_ref(4).map_err(fail)?);
        let run = *runs.entry(key.clone()).or_insert_with(|| {
            let full = names.get(&key).cloned();
            sink.batch
                .named_run(&full.unwrap_or_else(|| format!("{project}/{name}")))
        });
        let Some(Value::Object(values)) = values.and_then(|v| serde_json::from_str(&v).ok()) else {
            continue;
        };
        let step = step.unwrap_or_default();
        let wall = time.as_deref().and_then(wall_time);
        push_values(sink, run, "", &values, step, wall);
        sink.flush_at(super::FLUSH_POINTS)?;
    }
    drop(rows);
    read_configs(&conn, id, &runs, sink).map_err(fail)
}

/// A JSON column's text: trackio writes it as text, newer versions as bytes.
fn text(v: rusqlite::types::ValueRef<'_>) -> Option<String> {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

/// Nested values are flattened with `/`, as trackio shows them.
fn push_values(
    sink: &mut Sink<'_>,
    run: u32,
    prefix: &str,
    values: &Map<String, Value>,
    step: i64,
    wall: Option<f64>,
) {
    for (k, v) in values {
        match v {
            Value::Object(inner) => {
                push_values(sink, run, &format!("{prefix}{k}/"), inner, step, wall)
            }
            _ => {
                if let Some(x) = value_of(v) {
                    // Top-level names (the common case) are interned without a copy.
                    let m = match prefix {
                        "" => sink.batch.metric(k),
                        _ => sink.batch.metric(&format!("{prefix}{k}")),
                    };
                    sink.batch.push(run, m, step, x, wall);
                }
            }
        }
    }
}

/// Each run's full name by its key (its id, or its name in databases without ids).
fn run_names(
    conn: &Connection,
    project: &str,
    id: &str,
) -> rusqlite::Result<HashMap<String, String>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT DISTINCT {id}, run_name FROM metrics ORDER BY {id}"
    ))?;
    let pairs: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut ids_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, name) in &pairs {
        *ids_of.entry(name).or_default() += 1;
    }
    Ok(pairs
        .iter()
        .map(|(key, name)| {
            let full = match ids_of[name.as_str()] {
                1 => format!("{project}/{name}"),
                _ => format!("{project}/{name}-{}", &key[..key.len().min(8)]),
            };
            (key.clone(), full)
        })
        .collect())
}

/// The `configs` table's config of each run that has values (keyed as the metrics are), as its params: trackio's own
/// entries (`_Created`, `_Username`) left out, its `_Group` kept as `group`.
fn read_configs(
    conn: &Connection,
    id: &str,
    runs: &HashMap<String, u32>,
    sink: &mut Sink<'_>,
) -> rusqlite::Result<()> {
    let cols = columns(conn, "configs")?;
    if !["config", id]
        .iter()
        .all(|want| cols.iter().any(|c| c == want))
    {
        return Ok(());
    }
    let mut stmt = conn.prepare(&format!("SELECT {id}, config FROM configs ORDER BY id"))?;
    let rows: Vec<(String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, text(r.get_ref(1)?))))?
        .collect::<rusqlite::Result<_>>()?;
    for (key, config) in rows {
        let Some(&run) = runs.get(&key) else { continue };
        let Some(Value::Object(config)) = config.and_then(|c| serde_json::from_str(&c).ok()) else {
            continue;
        };
        let mut params = Map::new();
        for (k, v) in config {
            match k.as_str() {
                "_Group" if !v.is_null() => {
                    params.insert("group".into(), v);
                }
                _ if k.starts_with('_') => {}
                _ => {
                    params.insert(k, v);
                }
            }
        }
        if !params.is_empty() {
            sink.batch.params.push((run, params));
        }
    }
    Ok(())
}
