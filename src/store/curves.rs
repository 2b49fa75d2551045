//! The `curves` table: one row per run and metric (points, first and last step, the sum of the
//! finite values), kept up to date inside every writer's transaction, so that listings and
//! live views cost what the number of curves costs, not the number of points.

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
    checksum: f64,
}

impl Deltas {
    fn entry(&mut self, run: i64, metric: i64, step: i64) -> &mut Delta {
        let d = self.by_curve.entry((run, metric)).or_insert(Delta {
            points: 0,
            first: step,
            last: step,
            checksum: 0.0,
        });
        d.first = d.first.min(step);
        d.last = d.last.max(step);
        d
    }

    /// A point new at `step`.
    pub fn inserted(&mut self, run: i64, metric: i64, step: i64, value: f64) {
        let d = self.entry(run, metric, step);
        d.points += 1;
        d.checksum += part(value);
    }

    /// The value at `step` replaced.
    pub fn replaced(&mut self, run: i64, metric: i64, step: i64, old: f64, new: f64) {
        self.entry(run, metric, step).checksum += part(new) - part(old);
    }

    /// Add the changes to the curves' rows, in the writer's transaction.
    pub fn save(&self, tx: &dyn Conn) -> Result<()> {
        let (lo, hi) = match tx.engine() {
            Engine::Sqlite => ("min", "max"),
            Engine::Postgres => ("LEAST", "GREATEST"),
        };
        let sql = format!(
            "INSERT INTO curves(run_id, metric_id, points, first_step, last_step, checksum)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(run_id, metric_id) DO UPDATE SET
                 points = curves.points + excluded.points,
                 first_step = {lo}(curves.first_step, excluded.first_step),
                 last_step = {hi}(curves.last_step, excluded.last_step),
                 checksum = curves.checksum + excluded.checksum"
        );
        let mut keys: Vec<_> = self.by_curve.keys().copied().collect();
        keys.sort_unstable();
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
                    P::Real(d.checksum),
                ],
            )?;
        }
        Ok(())
    }
}

/// Count run `run_id`'s curves again from its points (after points were taken out).
pub(super) fn recount(tx: &dyn Conn, run_id: i64) -> Result<()> {
    let finite = match tx.engine() {
        Engine::Sqlite => {
            "total(CASE WHEN typeof(value) IN ('real', 'integer')
                 AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308
                 THEN value END)"
        }
        Engine::Postgres => {
            "coalesce(sum(CASE WHEN value IN ('NaN', 'Infinity', '-Infinity')
                 THEN NULL ELSE value END), 0)"
        }
    };
    tx.execute("DELETE FROM curves WHERE run_id = ?1", &[P::Int(run_id)])?;
    tx.execute(
        &format!(
            "INSERT INTO curves(run_id, metric_id, points, first_step, last_step, checksum)
             SELECT run_id, metric_id, count(*), min(step), max(step), {finite}
             FROM points WHERE run_id = ?1 GROUP BY run_id, metric_id"
        ),
        &[P::Int(run_id)],
    )?;
    Ok(())
}
