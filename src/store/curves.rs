//! The `curves` table: one row per run and metric (points, first and last step, last value,
//! smallest and largest finite value, how many are not finite, the sum of the finite values,
//! when it was last written), kept up to date inside every writer's transaction, so that
//! listings cost what the number of curves costs, not the number of points.

use super::db::{Conn, Engine, P};
use crate::Result;
use std::collections::HashMap;

/// A finite value's share of a checksum (NaN and infinities add nothing).
fn part(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// What one transaction changes in each curve it writes.
#[derive(Debug, Default)]
pub(super) struct Deltas {
    by_curve: HashMap<(i64, i64), Delta>,
}

#[derive(Debug, Clone, Copy)]
struct Delta {
    points: i64,
    first: i64,
    last: i64,
    /// The value at `last`.
    last_value: f64,
    min: Option<f64>,
    max: Option<f64>,
    non_finite: i64,
    checksum: f64,
    /// A stored value was replaced: the extremes and the last value are counted again.
    replaced: bool,
}

impl Deltas {
    fn entry(&mut self, run: i64, metric: i64, step: i64, value: f64) -> &mut Delta {
        let d = self.by_curve.entry((run, metric)).or_insert(Delta {
            points: 0,
            first: step,
            last: step,
            last_value: value,
            min: None,
            max: None,
            non_finite: 0,
            checksum: 0.0,
            replaced: false,
        });
        d.first = d.first.min(step);
        if step >= d.last {
            d.last = step;
            d.last_value = value;
        }
        d
    }

    /// A point new at `step`.
    pub fn inserted(&mut self, run: i64, metric: i64, step: i64, value: f64) {
        let d = self.entry(run, metric, step, value);
        d.points += 1;
        d.checksum += part(value);
        if value.is_finite() {
            d.min = Some(d.min.map_or(value, |m| m.min(value)));
            d.max = Some(d.max.map_or(value, |m| m.max(value)));
        } else {
            d.non_finite += 1;
        }
    }

    /// The value at `step` replaced.
    pub fn replaced(&mut self, run: i64, metric: i64, step: i64, old: f64, new: f64) {
        let d = self.entry(run, metric, step, new);
        d.checksum += part(new) - part(old);
        d.replaced = true;
    }

    /// Add the changes to the curves' rows, in the writer's transaction.
    pub fn save(&self, tx: &dyn Conn, time: f64) -> Result<()> {
        let (lo, hi) = match tx.engine() {
            Engine::Sqlite => ("min", "max"),
            Engine::Postgres => ("LEAST", "GREATEST"),
        };
        let sql = format!(
            "INSERT INTO curves(run_id, metric_id, points, first_step, last_step, last_value,
                                min_value, max_value, non_finite, checksum, updated)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT(run_id, metric_id) DO UPDATE SET
                 points = curves.points + excluded.points,
                 first_step = {lo}(curves.first_step, excluded.first_step),
                 last_step = {hi}(curves.last_step, excluded.last_step),
                 last_value = CASE WHEN excluded.last_step >= curves.last_step
                     THEN excluded.last_value ELSE curves.last_value END,
                 min_value = CASE WHEN curves.min_value IS NULL THEN excluded.min_value
                     WHEN excluded.min_value IS NULL THEN curves.min_value
                     ELSE {lo}(curves.min_value, excluded.min_value) END,
                 max_value = CASE WHEN curves.max_value IS NULL THEN excluded.max_value
                     WHEN excluded.max_value IS NULL THEN curves.max_value
                     ELSE {hi}(curves.max_value, excluded.max_value) END,
                 non_finite = curves.non_finite + excluded.non_finite,
                 checksum = curves.checksum + excluded.checksum,
                 updated = excluded.updated"
        );
        let mut keys: Vec<_> = self.by_curve.keys().copied().collect();
        keys.sort_unstable();
        let mut again = Vec::new();
        for (run, metric) in keys {
            let d = self.by_curve[&(run, metric)];
            tx.execute(
                &sql,
                &[
                    P::Int(run),
                    P::Int(metric),
                    P::Int(d.points),
                    P::Int(d.first),
                    P::Int(d.last),
                    P::Metric(d.last_value),
                    d.min.into(),
                    d.max.into(),
                    P::Int(d.non_finite),
                    P::Real(d.checksum),
                    P::Real(time),
                ],
            )?;
            if d.replaced {
                again.push((run, metric));
            }
        }
        // A replaced value may have been the smallest, the largest or the last: count those
        // curves again from their points (rare: restarts and rewritten steps).
        for (run, metric) in again {
            recount(tx, run, Some(metric))?;
        }
        Ok(())
    }
}

/// Count run `run_id`'s curves (or one of them) again from their points, keeping when they
/// were last written.
pub(super) fn recount(tx: &dyn Conn, run_id: i64, metric: Option<i64>) -> Result<()> {
    let finite = match tx.engine() {
        Engine::Sqlite => {
            "CASE WHEN typeof(value) IN ('real', 'integer')
                 AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308
                 THEN value END"
        }
        Engine::Postgres => {
            "CASE WHEN value IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE value END"
        }
    };
    let only = match metric {
        Some(_) => "AND metric_id = ?2",
        None => "",
    };
    let mut params = vec![P::Int(run_id)];
    params.extend(metric.map(P::Int));
    // Rows whose points are all gone go; the others are counted again (keeping `updated`).
    tx.execute(
        &format!(
            "DELETE FROM curves WHERE run_id = ?1 {only} AND NOT EXISTS (
                 SELECT 1 FROM points p
                 WHERE p.run_id = curves.run_id AND p.metric_id = curves.metric_id)"
        ),
        &params,
    )?;
    tx.execute(
        &format!(
            "INSERT INTO curves(run_id, metric_id, points, first_step, last_step, last_value,
                                min_value, max_value, non_finite, checksum)
             SELECT run_id, metric_id, count(*), min(step), max(step),
                    (SELECT q.value FROM points q
                     WHERE q.run_id = p.run_id AND q.metric_id = p.metric_id
                     ORDER BY q.step DESC LIMIT 1),
                    min({finite}), max({finite}), count(*) - count({finite}),
                    CAST(coalesce(sum({finite}), 0) AS DOUBLE PRECISION)
             FROM points p WHERE run_id = ?1 {only} GROUP BY run_id, metric_id
             ON CONFLICT(run_id, metric_id) DO UPDATE SET
                 points = excluded.points, first_step = excluded.first_step,
                 last_step = excluded.last_step, last_value = excluded.last_value,
                 min_value = excluded.min_value, max_value = excluded.max_value,
                 non_finite = excluded.non_finite, checksum = excluded.checksum"
        ),
        &params,
    )?;
    Ok(())
}
