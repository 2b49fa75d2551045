//! Comparing runs: matching their metrics through the registry, and per metric the final and
//! best values, the difference to the first run (the baseline), each curve's verdict and a
//! sparkline. Pure: the caller loads the runs.
//!
//! Curves match by the same logged name first, then by the same (definition, split, average,
//! granularity), so `val_f1` in one run meets `eval_f1` in another. A matched metric is named
//! by its logged name in the first run that has it.

use crate::classify::{Direction, Verdict};
use crate::defs::{Registry, Resolution};
use crate::diagnose::{self, CurveReport};
use crate::model::Series;
use serde::Serialize;
use std::collections::BTreeMap;

/// How curves of different runs line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// The logged step.
    #[default]
    Step,
    /// Steps counted from each run's first step (fine-tunes from different checkpoints).
    Relative,
    /// Seconds since each run's first point.
    Time,
}

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

type Key = (
    String,
    Option<crate::defs::Split>,
    Option<String>,
    Option<u8>,
);

fn key(r: &Resolution) -> Option<Key> {
    let g = r.granularity.map(|g| g as u8);
    r.definition
        .clone()
        .map(|d| (d, r.split, r.average.clone(), g))
}

/// Groups of curve indices, one entry per run (`None` where the run lacks the metric).
fn match_metrics(runs: &[RunData], registry: &Registry) -> Vec<Vec<Option<usize>>> {
    let names: Vec<Vec<&str>> = runs
        .iter()
        .map(|r| r.curves.iter().map(|(n, _)| n.as_str()).collect())
        .collect();
    match_names(&names, registry)
}

/// Match logged names across runs (`names[run][curve]`): the same logged name first, then the
/// same (definition, split, average, granularity). Returns groups of curve indices, one entry
/// per run (`None` where the run lacks the metric), in the order the first run that has each
/// metric lists it.
pub fn match_names(names: &[Vec<&str>], registry: &Registry) -> Vec<Vec<Option<usize>>> {
    let resolved: Vec<Vec<Resolution>> = names
        .iter()
        .map(|r| r.iter().map(|n| registry.resolve(n)).collect())
        .collect();
    let mut used: Vec<Vec<bool>> = names.iter().map(|r| vec![false; r.len()]).collect();
    let mut groups = Vec::new();
    for k in 0..names.len() {
        for i in 0..names[k].len() {
            if used[k][i] {
                continue;
            }
            used[k][i] = true;
            let mut group = vec![None; names.len()];
            group[k] = Some(i);
            let name = names[k][i];
            let want = key(&resolved[k][i]);
            for j in k + 1..names.len() {
                let by_name = names[j]
                    .iter()
                    .enumerate()
                    .position(|(c, n)| !used[j][c] && *n == name);
                let by_key = || {
                    want.as_ref().and_then(|w| {
                        (0..names[j].len())
                            .find(|&c| !used[j][c] && key(&resolved[j][c]).as_ref() == Some(w))
                    })
                };
                if let Some(c) = by_name.or_else(by_key) {
                    used[j][c] = true;
                    group[j] = Some(c);
                }
            }
            groups.push(group);
        }
    }
    groups
}

/// The x positions of a series under an alignment; `None` when time alignment lacks wall times.
pub fn aligned_x(s: &Series, align: Align) -> Option<Vec<f64>> {
    match align {
        Align::Step => Some(s.steps.iter().map(|&x| x as f64).collect()),
        Align::Relative => {
            let first = *s.steps.first()? as f64;
            Some(s.steps.iter().map(|&x| x as f64 - first).collect())
        }
        Align::Time => {
            let first = s.wall_times.iter().flatten().next().copied()?;
            s.wall_times.iter().map(|t| t.map(|t| t - first)).collect()
        }
    }
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

/// Block characters from low to high.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of `width` characters over the x range `xr` and y range `yr` (shared by the runs
/// of one metric, so their lines compare): the mean of each column, `!` where a column holds
/// only non-finite values, a space where it holds none.
pub fn sparkline(xs: &[f64], ys: &[f64], xr: (f64, f64), yr: (f64, f64), width: usize) -> String {
    let mut sum = vec![0.0; width];
    let mut n = vec![0u32; width];
    let mut bad = vec![false; width];
    let span = (xr.1 - xr.0).max(f64::MIN_POSITIVE);
    for (&x, &y) in xs.iter().zip(ys) {
        let c = (((x - xr.0) / span) * (width as f64 - 1.0)).round();
        let c = (c.max(0.0) as usize).min(width - 1);
        if y.is_finite() {
            sum[c] += y;
            n[c] += 1;
        } else {
            bad[c] = true;
        }
    }
    let height = (yr.1 - yr.0).max(f64::MIN_POSITIVE);
    (0..width)
        .map(|c| {
            if n[c] > 0 {
                let level = ((sum[c] / n[c] as f64 - yr.0) / height * 7.0).round();
                BARS[(level.max(0.0) as usize).min(7)]
            } else if bad[c] {
                '!'
            } else {
                ' '
            }
        })
        .collect()
}

/// The value at `at`: at that step (steps are exact), or for wall time the last value logged
/// at or before it (never past the run's end).
fn value_at(xs: &[f64], ys: &[f64], at: f64, align: Align) -> Option<f64> {
    match align {
        Align::Step | Align::Relative => xs.iter().position(|&x| x == at).map(|i| ys[i]),
        Align::Time => {
            let last = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if at > last || xs.is_empty() {
                return None;
            }
            let i = xs
                .iter()
                .enumerate()
                .filter(|(_, x)| **x <= at)
                .max_by(|a, b| a.1.total_cmp(b.1))?
                .0;
            Some(ys[i])
        }
    }
}

/// Where `--at` is, in words of the alignment.
fn at_words(at: f64, align: Align) -> String {
    match align {
        Align::Step => format!("at step {at}"),
        Align::Relative => format!("at relative step {at} (steps from each run's first)"),
        Align::Time => format!("at or before {at} s from each run's start"),
    }
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

/// A `--fail-if-worse METRIC[:TOL]` gate; TOL is absolute, or `N%` of the baseline's best.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub metric: String,
    pub tolerance: f64,
    pub percent: bool,
}

impl std::str::FromStr for Gate {
    type Err = String;
    fn from_str(s: &str) -> Result<Gate, String> {
        let (metric, tol) = match s.rsplit_once(':') {
            Some((m, t)) => (m, Some(t)),
            None => (s, None),
        };
        if metric.is_empty() {
            return Err(format!("'{s}': expected METRIC or METRIC:TOLERANCE"));
        }
        let (tolerance, percent) = match tol {
            None => (0.0, false),
            Some(t) => {
                let (num, percent) = match t.strip_suffix('%') {
                    Some(n) => (n, true),
                    None => (t, false),
                };
                let v: f64 = num.trim().parse().map_err(|_| {
                    format!(
                        "'{s}': the tolerance '{t}' is not a number (e.g. val_f1:0.01 or val_f1:2%)"
                    )
                })?;
                if v.is_nan() || v < 0.0 {
                    return Err(format!("'{s}': the tolerance must be 0 or more"));
                }
                (v, percent)
            }
        };
        Ok(Gate {
            metric: metric.to_owned(),
            tolerance,
            percent,
        })
    }
}

impl Gate {
    /// Why the gate fails: each later run whose best is worse than the baseline's by more than
    /// the tolerance, and each run that lacks the metric or a finite value of it (a gate that
    /// cannot be evaluated fails). An error when the metric's better direction is unknown.
    pub fn check(&self, c: &Comparison) -> Result<Vec<String>, String> {
        let metric = &self.metric;
        let row = c
            .metrics
            .iter()
            .find(|r| r.metric == *metric || r.runs.iter().any(|m| m.metric == *metric));
        let Some(row) = row else {
            let names: Vec<&str> = c.metrics.iter().map(|r| r.metric.as_str()).collect();
            let missing = c.runs.iter().map(|run| {
                format!(
                    "cannot check {metric}: run '{run}' never logged it (metrics: {})",
                    names.join(", ")
                )
            });
            return Ok(missing.collect());
        };
        let sign = match row.direction {
            Direction::Maximize => 1.0,
            Direction::Minimize => -1.0,
            Direction::Unknown => {
                return Err(format!(
                    "--fail-if-worse: which way is better for '{}' is unknown; give it a definition with a direction",
                    row.metric
                ));
            }
        };
        let best = |run: &str| -> Result<f64, String> {
            match row.runs.iter().find(|m| m.run == run) {
                None => Err(format!(
                    "cannot check {}: run '{run}' never logged it",
                    row.metric
                )),
                Some(m) => m.best.ok_or_else(|| {
                    format!(
                        "cannot check {}: run '{run}' has no finite value of it",
                        row.metric
                    )
                }),
            }
        };
        let base = match best(&c.runs[0]) {
            Ok(b) => b,
            Err(e) => return Ok(vec![format!("{e} (the baseline)")]),
        };
        let tol = if self.percent {
            self.tolerance / 100.0 * base.abs()
        } else {
            self.tolerance
        };
        let mut failures = Vec::new();
        for run in c.runs.iter().skip(1) {
            let b = match best(run) {
                Ok(b) => b,
                Err(e) => {
                    failures.push(e);
                    continue;
                }
            };
            let worse_by = sign * (base - b);
            if worse_by > tol {
                failures.push(format!(
                    "worse: {}: run '{run}' is worse than '{}': best {} vs {} (by {}, tolerance {})",
                    row.metric,
                    c.runs[0],
                    crate::model::format_value(b),
                    crate::model::format_value(base),
                    crate::model::format_value(worse_by),
                    crate::model::format_value(tol)
                ));
            }
        }
        Ok(failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_share_scales() {
        let xs = [0.0, 1.0, 2.0, 3.0];
        assert_eq!(
            sparkline(&xs, &[0.0, 1.0, 2.0, 3.0], (0.0, 3.0), (0.0, 3.0), 4),
            "▁▃▆█"
        );
        assert_eq!(
            sparkline(&xs, &[0.0, 0.0, 0.0, f64::NAN], (0.0, 3.0), (0.0, 3.0), 4),
            "▁▁▁!"
        );
        assert_eq!(sparkline(&[0.0], &[1.0], (0.0, 3.0), (0.0, 2.0), 4), "▅   ");
    }

    #[test]
    fn gates_parse() {
        assert_eq!(
            "val_f1:0.01".parse::<Gate>(),
            Ok(Gate {
                metric: "val_f1".into(),
                tolerance: 0.01,
                percent: false
            })
        );
        assert!(
            "val_f1:2%"
                .parse::<Gate>()
                .is_ok_and(|g| g.percent && g.tolerance == 2.0)
        );
        assert!("val_f1".parse::<Gate>().is_ok_and(|g| g.tolerance == 0.0));
        assert!("val_f1:x".parse::<Gate>().is_err());
        assert!(":1".parse::<Gate>().is_err());
    }
}
