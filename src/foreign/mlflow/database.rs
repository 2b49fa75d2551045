//! MLflow's SQLite tracking database (`mlflow.set_tracking_uri("sqlite:///mlflow.db")`, the
//! default of recent MLflow): tables `experiments` (id, name, lifecycle stage), `runs` (id,
//! name, experiment, lifecycle stage), `metrics` (one row per logged value: `key`, `value`,
//! `timestamp` in ms, `step`, `is_nan`), `params` and `tags`. `latest_metrics` is a summary
//! of `metrics`, not read. MLflow writes a NaN as `is_nan` with value 0, and an infinity as
//! ±1.7976931348623157e308 (the largest double): both are read back as what was logged.

use super::{RUN_NAME_TAG, RunInfo, full_names, with_tags};
use crate::foreign::{FLUSH_POINTS, Sink, columns};
use crate::model::Location;
use crate::store::connect_untouched;
use crate::{Error, Result};
use rusqlite::Connection;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The tables and columns read, all of which an MLflow database has.
const NEEDED: &[(&str, &[&str])] = &[
    ("experiments", &["experiment_id", "name", "lifecycle_stage"]),
    ("runs", &["run_uuid", "experiment_id", "lifecycle_stage"]),
    (
        "metrics",
        &["key", "value", "timestamp", "run_uuid", "step", "is_nan"],
    ),
    ("params", &["key", "value", "run_uuid"]),
    ("tags", &["key", "value", "run_uuid"]),
];

/// Whether the SQLite file at `path` is an MLflow tracking database.
pub fn is_database(path: &Path) -> bool {
    let Ok(conn) = connect_untouched(path) else {
        return false;
    };
    NEEDED.iter().all(|(table, want)| {
        columns(&conn, table).is_ok_and(|have| want.iter().all(|w| have.iter().any(|h| h == w)))
    })
}

/// Read every live run of the database at `path`, each under its own name.
pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<()> {
    let fail = |e: rusqlite::Error| Error::Database {
        path: path.display().to_string(),
        message: format!("cannot be read as an MLflow database ({e})"),
    };
    let conn = connect_untouched(path).map_err(fail)?;
    let runs = live_runs(&conn, sink).map_err(fail)?;
    let mut stmt = conn
        .prepare(
            "SELECT run_uuid, key, value, timestamp, step, is_nan FROM metrics \
             ORDER BY key, timestamp, rowid",
        )
        .map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    let mut unknown = BTreeSet::new();
    let text = |row: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<String> {
        Ok(String::from_utf8_lossy(row.get_ref(i)?.as_bytes()?).into_owned())
    };
    while let Some(row) = rows.next().map_err(fail)? {
        // Ids and keys are read in place: no copy per row.
        let id = row.get_ref(0).and_then(|v| Ok(v.as_str()?)).map_err(fail)?;
        let Some(&(run, live)) = runs.get(id) else {
            unknown.insert(text(row, 0).map_err(fail)?);
            continue;
        };
        if !live {
            continue;
        }
        let key = row.get_ref(1).and_then(|v| Ok(v.as_str()?)).map_err(fail)?;
        let metric = sink.batch.metric(key);
        let value: f64 = row.get(2).map_err(fail)?;
        let time: i64 = row.get(3).map_err(fail)?;
        let step: i64 = row.get(4).map_err(fail)?;
        let is_nan: bool = row.get(5).map_err(fail)?;
        let value = match (is_nan, value) {
            (true, _) => f64::NAN,
            (false, f64::MAX) => f64::INFINITY,
            (false, v) if v == -f64::MAX => f64::NEG_INFINITY,
            (false, v) => v,
        };
        sink.batch
            .push(run, metric, step, value, Some(time as f64 / 1000.0));
        sink.flush_at(FLUSH_POINTS)?;
    }
    drop(rows);
    if !unknown.is_empty() {
        sink.batch.skip(
            Location::Whole,
            format!(
                "metrics of {} run id(s) absent from table runs, such as {}; not imported",
                unknown.len(),
                unknown.first().map_or("", String::as_str)
            ),
        );
    }
    read_params(&conn, &runs, sink).map_err(fail)
}

/// Each run by its id: its index in the batch and whether it is live. Live runs are named
/// (`EXPERIMENT/RUN_NAME`); each deleted one (or one of a deleted experiment) is reported.
fn live_runs(
    conn: &Connection,
    sink: &mut Sink<'_>,
) -> rusqlite::Result<HashMap<String, (u32, bool)>> {
    let has_name = columns(conn, "runs")?.iter().any(|c| c == "name");
    let name = if has_name { "r.name" } else { "NULL" };
    let sql = format!(
        "SELECT r.run_uuid, coalesce(e.name, r.experiment_id), {name}, \
         (SELECT value FROM tags t WHERE t.run_uuid = r.run_uuid AND t.key = ?1), \
         r.lifecycle_stage = 'deleted', coalesce(e.lifecycle_stage = 'deleted', 0) \
         FROM runs r LEFT JOIN experiments e ON e.experiment_id = r.experiment_id \
         ORDER BY r.experiment_id, r.start_time, r.run_uuid"
    );
    let mut stmt = conn.prepare(&sql)?;
    type Row = (String, String, Option<String>, Option<String>, bool, bool);
    let rows: Vec<Row> = stmt
        .query_map([RUN_NAME_TAG], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let infos: Vec<RunInfo> = rows
        .iter()
        .filter(|r| !r.4 && !r.5)
        .map(|(id, experiment, name, tag, ..)| RunInfo {
            experiment: experiment.clone(),
            name: name
                .clone()
                .filter(|n| !n.is_empty())
                .or_else(|| tag.clone())
                .unwrap_or_default(),
            id: id.clone(),
        })
        .collect();
    let mut names = full_names(&infos).into_iter();
    let mut out = HashMap::new();
    for (id, experiment, name, _, run_deleted, exp_deleted) in rows {
        if run_deleted || exp_deleted {
            let whose = match run_deleted {
                true => "the run",
                false => "its experiment",
            };
            let name = name.unwrap_or_default();
            sink.batch.skip(
                Location::Whole,
                format!(
                    "run {id} ({experiment}/{name}): {whose} is deleted in MLflow; not imported"
                ),
            );
            out.insert(id, (0, false));
            continue;
        }
        let full = names.next().unwrap_or_default();
        out.insert(id, (sink.batch.named_run(&full), true));
    }
    Ok(out)
}

/// The params and tags of the live runs, as each run's params.
fn read_params(
    conn: &Connection,
    runs: &HashMap<String, (u32, bool)>,
    sink: &mut Sink<'_>,
) -> rusqlite::Result<()> {
    let mut of_run: HashMap<&str, [Map<String, Value>; 2]> = HashMap::new();
    for (i, table) in ["params", "tags"].iter().enumerate() {
        let mut stmt = conn.prepare(&format!(
            "SELECT run_uuid, key, value FROM {table} ORDER BY run_uuid, key"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let Some((id, _)) = runs.get_key_value(&id).filter(|(_, r)| r.1) else {
                continue;
            };
            let key: String = row.get(1)?;
            let value: Option<String> = row.get(2)?;
            let entry = of_run.entry(id.as_str()).or_default();
            entry[i].insert(key, value.map_or(Value::Null, Value::String));
        }
    }
    let mut ids: Vec<&str> = of_run.keys().copied().collect();
    ids.sort_unstable();
    for id in ids {
        let Some([params, tags]) = of_run.remove(id) else {
            continue;
        };
        if let Some(params) = with_tags(params, tags) {
            sink.batch.params.push((runs[id].0, params));
        }
    }
    Ok(())
}
