//! Queries: run lists, per-metric summaries, history and series.

use super::db::{Engine, P, Val};
use super::{Db, liveness};
use crate::model::{HistoryEntry, MetricSummary, RunDetail, RunSummary, Series};
use crate::{Error, Result};

impl Db {
    /// All runs, oldest first.
    pub fn runs(&self) -> Result<Vec<RunSummary>> {
        let at = super::now();
        let mut runs = Vec::new();
        self.conn.each(
            "SELECT r.name, r.created, r.source, r.status,
                    (SELECT CAST(coalesce(sum(c.points), 0) AS BIGINT) FROM curves c
                     WHERE c.run_id = r.id),
                    (SELECT count(*) FROM curves c WHERE c.run_id = r.id),
                    (SELECT max(c.last_step) FROM curves c WHERE c.run_id = r.id),
                    r.writer_pid, r.writer_host, r.writer_start, r.heartbeat
             FROM runs r ORDER BY r.created, r.id",
            &[],
            &mut |r| {
                let writer = liveness::writer_from(r[7].opt_int(), r[8].opt_text(), r[9].opt_int());
                runs.push(RunSummary {
                    name: r[0].text()?,
                    created: r[1].real()?,
                    source: r[2].text()?,
                    status: liveness::effective(r[3].text()?, writer, r[10].opt_real(), at),
                    points: r[4].int()? as u64,
                    metrics: r[5].int()? as u64,
                    last_step: r[6].opt_int(),
                });
                Ok(())
            },
        )?;
        Ok(runs)
    }

    /// A number that changes whenever another connection commits to the database: cheap to
    /// poll, so a reader can tell when to look again. SQLite's `PRAGMA data_version`; on
    /// PostgreSQL the next transaction id, which only a transaction that writes takes.
    pub fn data_version(&self) -> Result<i64> {
        match self.conn.engine() {
            Engine::Sqlite => self.conn.value("PRAGMA data_version", &[])?.int(),
            Engine::Postgres => self
                .conn
                .value(
                    "SELECT CAST(CAST(pg_snapshot_xmax(pg_current_snapshot()) AS TEXT) AS BIGINT)",
                    &[],
                )?
                .int(),
        }
    }

    /// Everything `tracker show` prints about a run.
    pub fn run_detail(&self, name: &str) -> Result<RunDetail> {
        let id = self.run_id(name)?;
        let summary = self
            .runs()?
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| Error::NoSuchRun(name.to_owned()))?;
        let params = self
            .conn
            .value("SELECT params FROM runs WHERE id = ?1", &[P::Int(id)])?
            .text()?;
        let params = serde_json::from_str(&params).unwrap_or(serde_json::Value::Null);
        Ok(RunDetail {
            summary,
            params,
            metrics: self.metric_summaries(id)?,
            history: self.history(id)?,
        })
    }

    /// The metrics of a run with their summaries, by name: one row per curve.
    fn metric_summaries(&self, run_id: i64) -> Result<Vec<MetricSummary>> {
        let mut out = Vec::new();
        self.conn.each(
            "SELECT m.name, c.points, c.first_step, c.last_step, c.last_value, c.min_value,
                    c.max_value, c.non_finite
             FROM curves c JOIN metrics m ON m.id = c.metric_id
             WHERE c.run_id = ?1 ORDER BY m.name",
            &[P::Int(run_id)],
            &mut |r| {
                out.push(MetricSummary {
                    metric: r[0].text()?,
                    points: r[1].int()? as u64,
                    first_step: r[2].int()?,
                    last_step: r[3].int()?,
                    last: r[4].metric(),
                    min: r[5].opt_real(),
                    max: r[6].opt_real(),
                    non_finite: r[7].int()? as u64,
                });
                Ok(())
            },
        )?;
        Ok(out)
    }

    fn history(&self, run_id: i64) -> Result<Vec<HistoryEntry>> {
        let mut h = Vec::new();
        self.conn.each(
            "SELECT time, kind, source, step, detail, last_step, points FROM events
             WHERE run_id = ?1
             ORDER BY time, id",
            &[P::Int(run_id)],
            &mut |r| {
                h.push(HistoryEntry {
                    time: r[0].real()?,
                    kind: r[1].text()?,
                    source: r[2].opt_text(),
                    step: r[3].opt_int(),
                    detail: r[4].opt_text(),
                    last_step: r[5].opt_int(),
                    points: r[6].opt_int(),
                });
                Ok(())
            },
        )?;
        Ok(h)
    }

    /// A run's params (a JSON object).
    pub fn run_params(&self, name: &str) -> Result<serde_json::Value> {
        let text = self
            .conn
            .value("SELECT params FROM runs WHERE name = ?1", &[name.into()])?
            .opt_text()
            .ok_or_else(|| Error::NoSuchRun(name.to_owned()))?;
        Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// Names of the metrics a run has points for, sorted.
    pub fn metric_names(&self, run: &str) -> Result<Vec<String>> {
        let id = self.run_id(run)?;
        self.conn
            .rows(
                "SELECT m.name FROM curves c JOIN metrics m ON m.id = c.metric_id
                 WHERE c.run_id = ?1 ORDER BY m.name",
                &[P::Int(id)],
            )?
            .iter()
            .map(|r| r[0].text())
            .collect()
    }

    /// One metric's curve in a run, by step. Empty if the run has no such metric.
    pub fn series(&self, run: &str, metric: &str) -> Result<Series> {
        let id = self.run_id(run)?;
        let mut s = Series::default();
        self.conn.each(
            "SELECT p.step, p.value, p.wall_time FROM points p
             WHERE p.run_id = ?1 AND p.metric_id = (SELECT id FROM metrics WHERE name = ?2)
             ORDER BY p.step",
            &[P::Int(id), metric.into()],
            &mut |r| {
                let Val::Int(step) = r[0] else {
                    return Ok(());
                };
                s.steps.push(step);
                s.values.push(r[1].metric());
                s.wall_times.push(r[2].opt_real());
                Ok(())
            },
        )?;
        Ok(s)
    }
}
