//! Cross-metric hints over a run: the definitions' declarative rules (class imbalance,
//! precision against recall, …), overfitting over train/validation pairs, and learning-rate
//! drops that explain a plateau. Each hint names the metrics and steps it rests on.

use super::{CurveReport, num};
use crate::classify::{self, Direction, Flag, Verdict};
use crate::defs::{CurveSummary, Registry};
use crate::model::Series;
use serde::Serialize;

/// A finding about several curves together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hint {
    /// The rule: a definition's hint id, `overfitting`, or `lr-drop-plateau`.
    pub id: String,
    pub message: String,
    /// The logged names it rests on.
    pub metrics: Vec<String>,
    /// The steps it rests on.
    pub steps: Vec<i64>,
}

fn last_finite(s: &Series) -> Option<(i64, f64)> {
    s.steps
        .iter()
        .zip(&s.values)
        .rev()
        .find(|(_, v)| v.is_finite())
        .map(|(st, v)| (*st, *v))
}

fn summary(report: &CurveReport, s: &Series) -> CurveSummary {
    let finite: Vec<f64> = s.values.iter().copied().filter(|v| v.is_finite()).collect();
    let min = finite.iter().copied().reduce(f64::min);
    let max = finite.iter().copied().reduce(f64::max);
    let best = match report.direction {
        Direction::Maximize => max,
        Direction::Minimize => min,
        Direction::Unknown => None,
    };
    // Change over the last quarter: mean of the last quarter minus mean of the one before.
    let q = finite.len() / 4;
    let final_trend = (q >= 2).then(|| {
        let n = finite.len();
        let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
        mean(&finite[n - q..]) - mean(&finite[n - 2 * q..n - q])
    });
    CurveSummary {
        name: report.metric.clone(),
        definition: report.definition.clone(),
        split: report.split,
        average: report.average.clone(),
        first: finite.first().copied(),
        last: finite.last().copied(),
        best,
        min,
        max,
        final_trend,
        verdict: Some(report.diagnosis.verdict),
    }
}

/// All hints of a run.
pub fn run_hints(
    reports: &[CurveReport],
    curves: &[(String, Series)],
    reg: &Registry,
) -> Vec<Hint> {
    let mut out = Vec::new();
    let summaries: Vec<CurveSummary> = reports
        .iter()
        .zip(curves)
        .map(|(r, (_, s))| summary(r, s))
        .collect();
    let series = |name: &str| curves.iter().find(|(n, _)| n == name).map(|(_, s)| s);
    for m in reg.hints(&summaries) {
        let mut facts = Vec::new();
        let mut steps = Vec::new();
        for name in &m.curves {
            if let Some((step, v)) = series(name).and_then(last_finite) {
                facts.push(format!("{name} {} at step {step}", num(v)));
                steps.push(step);
            }
        }
        let message = if facts.is_empty() {
            m.message.clone()
        } else {
            format!("{} ({})", m.message, facts.join(", "))
        };
        out.push(Hint {
            id: m.hint.clone(),
            message,
            metrics: m.curves.clone(),
            steps,
        });
    }
    let names: Vec<&str> = curves.iter().map(|(n, _)| n.as_str()).collect();
    for pair in reg.pairs(&names) {
        let (Some(t), Some(v)) = (series(&pair.train), series(&pair.val)) else {
            continue;
        };
        let direction = reports
            .iter()
            .find(|r| r.metric == pair.val)
            .map_or(Direction::Unknown, |r| r.direction);
        if let Some(o) =
            classify::overfitting((&t.steps, &t.values), (&v.steps, &v.values), direction)
        {
            out.push(Hint {
                id: "overfitting".into(),
                message: format!("{} vs {}: {}", pair.train, pair.val, o.message),
                metrics: vec![pair.train.clone(), pair.val.clone()],
                steps: vec![o.best_val_step, o.from_step],
            });
        }
    }
    out.extend(lr_hints(reports, curves, reg));
    out
}

/// Steps where the learning rate fell to half or less of a value it had held (a step
/// schedule or ReduceLROnPlateau), not the steady shrinking of a decaying schedule.
fn lr_drops(s: &Series) -> Vec<(i64, f64, f64)> {
    let finite: Vec<(i64, f64)> = s
        .steps
        .iter()
        .zip(&s.values)
        .filter(|(_, v)| v.is_finite())
        .map(|(st, v)| (*st, *v))
        .collect();
    finite
        .windows(3)
        .filter(|w| {
            let (a, b, c) = (w[0].1, w[1].1, w[2].1);
            b > 0.0 && c <= 0.5 * b && (a - b).abs() <= 0.01 * b
        })
        .map(|w| (w[2].0, w[1].1, w[2].1))
        .collect()
}

fn value_at(s: &Series, step: i64) -> Option<f64> {
    let i = s.steps.partition_point(|&x| x <= step);
    (i > 0).then(|| s.values[i - 1]).filter(|v| v.is_finite())
}

/// A plateau (or a stagnant curve) that a learning-rate drop or a decayed schedule explains.
fn lr_hints(reports: &[CurveReport], curves: &[(String, Series)], reg: &Registry) -> Vec<Hint> {
    let lrs: Vec<&(String, Series)> = curves
        .iter()
        .zip(reports)
        .filter(|(_, r)| r.definition.as_deref() == Some("learning_rate"))
        .map(|(c, _)| c)
        .collect();
    let mut out = Vec::new();
    for (r, (name, _)) in reports.iter().zip(curves) {
        let expected_to_improve = r
            .definition
            .as_deref()
            .and_then(|id| reg.get(id))
            .is_none_or(|d| d.progress);
        if r.direction == Direction::Unknown || !expected_to_improve {
            continue;
        }
        let plateau = r.diagnosis.flags.iter().find_map(|f| match f {
            Flag::Plateau { from_step } => Some(*from_step),
            _ => None,
        });
        let Some(p) = plateau.or(if r.diagnosis.verdict == Verdict::Stagnant {
            r.diagnosis.evidence.plateau_step
        } else {
            None
        }) else {
            continue;
        };
        for (lr_name, lr) in &lrs {
            let peak = lr
                .values
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(f64::NEG_INFINITY, f64::max);
            let drops = lr_drops(lr);
            let message = if let Some((d, a, b)) = drops.iter().find(|(d, _, _)| *d >= p) {
                Some((
                    format!(
                        "{name} has not improved since step {p}; {lr_name} dropped from {} to {} at step {d}, as ReduceLROnPlateau does when a metric stalls: if later drops bring no gain, training has converged",
                        num(*a),
                        num(*b)
                    ),
                    vec![p, *d],
                ))
            } else if let Some((d, a, b)) = drops.iter().rev().find(|(d, _, _)| *d < p) {
                Some((
                    format!(
                        "{name} has not improved since step {p}, after {lr_name} dropped from {} to {} at step {d}: the smaller learning rate may be too small to make progress",
                        num(*a),
                        num(*b)
                    ),
                    vec![*d, p],
                ))
            } else {
                value_at(lr, p)
                    .filter(|v| peak > 0.0 && *v < 0.02 * peak)
                    .map(|v| {
                        (
                            format!(
                                "{name} has not improved since step {p}, where {lr_name} had decayed to {} ({:.1}% of its peak {}): the plateau is the schedule running out",
                                num(v),
                                100.0 * v / peak,
                                num(peak)
                            ),
                            vec![p],
                        )
                    })
            };
            if let Some((message, steps)) = message {
                out.push(Hint {
                    id: "lr-drop-plateau".into(),
                    message,
                    metrics: vec![name.clone(), lr_name.clone()],
                    steps,
                });
            }
        }
    }
    out
}
