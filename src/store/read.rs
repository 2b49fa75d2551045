//! Queries: run lists, per-metric summaries, history and series.

use super::{Sqlite, liveness, value};
use crate::model::{HistoryEntry, MetricSummary, RunDetail, RunSummary, Series};
use crate::{Error, Result};
use rusqlite::OptionalExtension;
use rusqlite::types::ValueRef;

impl Sqlite {
    /// All runs, oldest first.
    pub fn runs(&self) -> Result<Vec<RunSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.name, r.created, r.source, r.status,
                    (SELECT count(*) FROM points p WHERE p.run_id = r.id),
                    (SELECT count(DISTINCT metric_id) FROM points p WHERE p.run_id = r.id),
                    (SELECT max(step) FROM points p WHERE p.run_id = r.id),
                    r.writer_pid, r.writer_host, r.writer_start, r.heartbeat
             FROM runs r ORDER BY r.created, r.id",
        )?;
        let at = super::now();
        let runs = stmt
            .query_map([], |r| {
                let writer = liveness::writer_from(r.get(7)?, r.get(8)?, r.get(9)?);
                Ok(RunSummary {
                    name: r.get(0)?,
                    created: r.get(1)?,
                    source: r.get(2)?,
                    status: liveness::effective(r.get(3)?, writer, r.get(10)?, at),
                    points: r.get::<_, i64>(4)? as u64,
                    metrics: r.get::<_, i64>(5)? as u64,
                    last_step: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(runs)
    }

    /// A number that changes whenever another connection commits to the database (SQLite's
    /// `PRAGMA data_version`): cheap to poll, so a reader can tell when to look again.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    fn run_id(&self, name: &str) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT id FROM runs WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NoSuchRun(name.to_owned()))
    }

    /// Everything `tracker show` prints about a run.
    pub fn run_detail(&self, name: &str) -> Result<RunDetail> {
        let id = self.run_id(name)?;
        let summary = self
            .runs()?
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| Error::NoSuchRun(name.to_owned()))?;
        let params: String =
            self.conn
                .query_row("SELECT params FROM runs WHERE id = ?1", [id], |r| r.get(0))?;
        let params = serde_json::from_str(&params).unwrap_or(serde_json::Value::Null);
        Ok(RunDetail {
            summary,
            params,
            metrics: self.metric_summaries(id)?,
            history: self.history(id)?,
        })
    }

    /// The metrics of a run with their summaries, by name. One pass over the run's points.
    fn metric_summaries(&self, run_id: i64) -> Result<Vec<MetricSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.name, p.step, p.value FROM points p JOIN metrics m ON m.id = p.metric_id
             WHERE p.run_id = ?1 ORDER BY m.name, p.step",
        )?;
        let mut rows = stmt.query([run_id])?;
        let mut out: Vec<MetricSummary> = Vec::new();
        while let Some(r) = rows.next()? {
            let name: String = r.get(0)?;
            let name = name.as_str();
            let step: i64 = r.get(1)?;
            let v = value::from_sql(r.get_ref(2)?);
            let new = out.last().is_none_or(|m| m.metric != name);
            if new {
                out.push(MetricSummary {
                    metric: name.to_owned(),
                    points: 0,
                    first_step: step,
                    last_step: step,
                    last: v,
                    min: None,
                    max: None,
                    non_finite: 0,
                });
            }
            let Some(m) = out.last_mut() else { continue };
            m.points += 1;
            m.last_step = step;
            m.last = v;
            if v.is_finite() {
                m.min = Some(m.min.map_or(v, |x| x.min(v)));
                m.max = Some(m.max.map_or(v, |x| x.max(v)));
            } else {
                m.non_finite += 1;
            }
        }
        Ok(out)
    }

    fn history(&self, run_id: i64) -> Result<Vec<HistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT time, kind, source, step, detail, last_step, points FROM events
             WHERE run_id = ?1
             ORDER BY time, id",
        )?;
        let h = stmt
            .query_map([run_id], |r| {
                Ok(HistoryEntry {
                    time: r.get(0)?,
                    kind: r.get(1)?,
                    source: r.get(2)?,
                    step: r.get(3)?,
                    detail: r.get(4)?,
                    last_step: r.get(5)?,
                    points: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(h)
    }

    /// A run's params (a JSON object).
    pub fn run_params(&self, name: &str) -> Result<serde_json::Value> {
        let text: String = self
            .conn
            .prepare_cached("SELECT params FROM runs WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NoSuchRun(name.to_owned()))?;
        Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// Names of the metrics a run has points for, sorted.
    pub fn metric_names(&self, run: &str) -> Result<Vec<String>> {
        let id = self.run_id(run)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.name FROM metrics m
             WHERE EXISTS (SELECT 1 FROM points p WHERE p.run_id = ?1 AND p.metric_id = m.id)
             ORDER BY m.name",
        )?;
        let names = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    /// One metric's curve in a run, by step. Empty if the run has no such metric.
    pub fn series(&self, run: &str, metric: &str) -> Result<Series> {
        let id = self.run_id(run)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.step, p.value, p.wall_time FROM points p
             WHERE p.run_id = ?1 AND p.metric_id = (SELECT id FROM metrics WHERE name = ?2)
             ORDER BY p.step",
        )?;
        let mut rows = stmt.query(rusqlite::params![id, metric])?;
        let mut s = Series::default();
        while let Some(r) = rows.next()? {
            let ValueRef::Integer(step) = r.get_ref(0)? else {
                continue;
            };
            s.steps.push(step);
            s.values.push(value::from_sql(r.get_ref(1)?));
            s.wall_times.push(match r.get_ref(2)? {
                ValueRef::Real(t) => Some(t),
                ValueRef::Integer(t) => Some(t as f64),
                _ => None,
            });
        }
        Ok(s)
    }
}
