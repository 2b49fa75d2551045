//! Comparing runs: matching their metrics through the registry, and per metric the final and
//! best values, the difference to the first run (the baseline), each curve's verdict and a
//! sparkline. Pure: the caller loads the runs.
//!
//! Curves match by the same logged name first, then by the same (definition, split, average,
//! granularity), so `val_f1` in one run meets `eval_f1` in another. A matched metric is named
//! by its logged name in the first run that has it.

mod align;
mod gate;
mod matching;
mod sparkline;

pub use align::{Align, aligned_x};
pub use gate::Gate;
pub use matching::match_names;
pub use sparkline::sparkline;

use crate::classify::{Direction, Verdict};
use crate::defs::Registry;
use crate::diagnose::{self, CurveReport};
use crate::model::Series;
use align::{at_words, value_at};
use matching::match_metrics;
use serde::Serialize;
use std::collections::BTreeMap;

/// One run's data.
pub struct RunData {
    pub name: String,
    pub params: serde_json::Value,
    pub curves: Vec<(String, Series)>,
}

/// One run's side of a metric.
#[derive(Debug, Clone, Serialize)]
pub struct RunMetric {
    pub run: String,
    /// The logged name in this run.
    pub metric: String,
    /// The last value (NaN or infinite when the run ended that way).
    #[serde(serialize_with = "crate::model::ser_f64")]
    pub last: f64,
    /// The last finite value.
    #[serde(rename = "final")]
    pub final_value: Option<f64>,
    /// The best value in the metric's direction (none when the direction is unknown).
    pub best: Option<f64>,
    pub best_step: Option<i64>,
    pub verdict: Verdict,
    /// Best minus the baseline's best (none for the baseline).
    pub delta: Option<f64>,
    /// Whether this run's best is better than the baseline's.
    pub better: Option<bool>,
    /// The value at `--at` (aligned).
    pub at: Option<f64>,
    #[serde(skip)]
    pub sparkline: String,
}

/// A metric across runs.
#[derive(Debug, Clone, Serialize)]
pub struct MetricRow {
    pub metric: String,
    pub definition: Option<String>,
    pub direction: Direction,
    /// Only the runs that have it, in run order.
    pub runs: Vec<RunMetric>,
    /// Whether every run has it.
    pub shared: bool,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub runs: Vec<String>,
    pub align: Align,
    /// `--at`: a step, a relative step or seconds, as aligned.
    pub at: Option<f64>,
    /// Shared metrics first, then those only some runs have.
    pub metrics: Vec<MetricRow>,
    /// Parameter → value per run (null where a run lacks it).
    pub params: BTreeMap<String, Vec<serde_json::Value>>,
}

fn best(s: &Series, direction: Direction) -> Option<(f64, i64)> {
    let sign = match direction {
        Direction::Maximize => 1.0,
        Direction::Minimize => -1.0,
        Direction::Unknown => return None,
    };
    s.steps
        .iter()
        .zip(&s.values)
        .filter(|(_, v)| v.is_finite())
        .max_by(|a, b| (sign * a.1).total_cmp(&(sign * b.1)))
        .map(|(st, v)| (*v, *st))
}

/// Compare runs (the first is the baseline). Errors name what is missing.
pub fn compare(
    runs: &[RunData],
    registry: &Registry,
    align: Align,
    at: Option<f64>,
    all_params: bool,
) -> Result<Comparison, String> {
    for r in runs {
        if align == Align::Time
            && r.curves
                .iter()
                .any(|(_, s)| !s.is_empty() && aligned_x(s, Align::Time).is_none())
        {
            return Err(format!(
                "run '{}' has no wall-clock times for some points; align by step or relative step",
                r.name
            ));
        }
    }
    let groups = match_metrics(runs, registry);
    let mut rows = Vec::new();
    for group in groups {
        let (first_run, first_curve) = group
            .iter()
            .enumerate()
            .find_map(|(r, c)| c.map(|c| (r, c)))
            .ok_or("empty metric group")?;
        let name = &runs[first_run].curves[first_curve].0;
        let reports: Vec<(usize, CurveReport, &Series)> = group
            .iter()
            .enumerate()
            .filter_map(|(r, c)| c.map(|c| (r, c)))
            .map(|(r, c)| {
                let (n, s) = &runs[r].curves[c];
                (r, diagnose::curve(n, s, registry), s)
            })
            .collect();
        let direction = reports[0].1.direction;
        let xs: Vec<Vec<f64>> = reports
            .iter()
            .map(|(_, _, s)| aligned_x(s, align).unwrap_or_default())
            .collect();
        let finite = |i: usize| {
            reports[i]
                .2
                .values
                .iter()
                .copied()
                .filter(|v| v.is_finite())
        };
        let x_range = xs
            .iter()
            .flatten()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |a, &x| {
                (a.0.min(x), a.1.max(x))
            });
        let y_range = (0..reports.len())
            .flat_map(finite)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |a, y| {
                (a.0.min(y), a.1.max(y))
            });
        let baseline_best = if group[0].is_some() {
            best(reports[0].2, direction)
        } else {
            None
        };
        let mut out_runs = Vec::new();
        for (i, (r, report, s)) in reports.iter().enumerate() {
            let b = best(s, direction);
            let delta = if *r > 0 {
                b.zip(baseline_best).map(|(b, b0)| b.0 - b0.0)
            } else {
                None
            };
            let better = delta.filter(|d| *d != 0.0).map(|d| match direction {
                Direction::Minimize => d < 0.0,
                _ => d > 0.0,
            });
            out_runs.push(RunMetric {
                run: runs[*r].name.clone(),
                metric: report.metric.clone(),
                last: s.values.last().copied().unwrap_or(f64::NAN),
                final_value: finite(i).next_back(),
                best: b.map(|b| b.0),
                // Under relative alignment, relative to the run's first step.
                best_step: b.map(|b| match align {
                    Align::Relative => b.1 - s.steps.first().copied().unwrap_or(0),
                    _ => b.1,
                }),
                verdict: report.diagnosis.verdict,
                delta,
                better,
                at: at.and_then(|a| value_at(&xs[i], &s.values, a, align)),
                sparkline: if x_range.0.is_finite() && y_range.0.is_finite() {
                    sparkline(&xs[i], &s.values, x_range, y_range, 16)
                } else {
                    " ".repeat(16)
                },
            });
        }
        rows.push(MetricRow {
            metric: name.clone(),
            definition: reports[0].1.definition.clone(),
            direction,
            shared: out_runs.len() == runs.len(),
            runs: out_runs,
        });
    }
    if let Some(a) = at
        && !rows
            .iter()
            .any(|r| r.shared && r.runs.iter().all(|m| m.at.is_some()))
    {
        let pick = match align {
            Align::Time => "pick a time within every run",
            _ => "pick a step they all logged",
        };
        return Err(format!(
            "no metric has a value {} in every run; {pick}",
            at_words(a, align)
        ));
    }
    // Shared metrics first, keeping the baseline's order within each part.
    rows.sort_by_key(|r| !r.shared);
    Ok(Comparison {
        runs: runs.iter().map(|r| r.name.clone()).collect(),
        align,
        at,
        metrics: rows,
        params: params(runs, all_params),
    })
}

/// Parameters per run: only those that differ unless `all`.
fn params(runs: &[RunData], all: bool) -> BTreeMap<String, Vec<serde_json::Value>> {
    let mut keys: Vec<&String> = runs
        .iter()
        .filter_map(|r| r.params.as_object())
        .flat_map(|o| o.keys())
        .collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| {
            let vals: Vec<serde_json::Value> = runs
                .iter()
                .map(|r| r.params.get(k).cloned().unwrap_or(serde_json::Value::Null))
                .collect();
            (k.clone(), vals)
        })
        .filter(|(_, v)| all || v.iter().any(|x| x != &v[0]))
        .collect()
}
