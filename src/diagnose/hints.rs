//! Cross-metric hints over a run: the definitions' declarative rules (class imbalance,
//! precision against recall, …), overfitting over train/validation pairs, and learning-rate
//! drops that explain a plateau. Each hint names the metrics and steps it rests on.

use super::CurveReport;
use crate::classify::{self, Direction, Flag, Verdict};
use crate::defs::{CurveSummary, Registry};
use crate::model::Series;
use crate::model::format_value;
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
                facts.push(format!("{name} {} at step {step}", format_value(v)));
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
    let mut computed = Vec::new();
    for pair in reg.pairs(&names) {
        let (Some(t), Some(v)) = (series(&pair.train), series(&pair.val)) else {
            continue;
        };
        let direction = reports
            .iter()
            .find(|r| r.metric == pair.val)
            .map_or(Direction::Unknown, |r| r.direction);
        if let Some(n) =
            super::val_better::throughout((&t.steps, &t.values), (&v.steps, &v.values), direction)
        {
            computed.push(Hint {
                id: "validation-better-than-training".into(),
                message: format!(
                    "{} is better than {} at all {n} validation points: the training numbers are \
                     measured under something validation does without. Check train-time dropout \
                     or augmentation, a regulariser added to the training loss, noisy training \
                     labels, a validation set easier than the training set, and leakage \
                     (validation samples also in training).",
                    pair.val, pair.train
                ),
                metrics: vec![pair.train.clone(), pair.val.clone()],
                steps: vec![],
            });
        }
        if let Some(o) =
            classify::overfitting((&t.steps, &t.values), (&v.steps, &v.values), direction)
        {
            computed.push(Hint {
                id: "overfitting".into(),
                message: format!("{} vs {}: {}", pair.train, pair.val, o.message),
                metrics: vec![pair.train.clone(), pair.val.clone()],
                steps: vec![o.best_val_step, o.from_step],
            });
        }
    }
    // A definition's rule and the computed test may both find the same pair overfitting: keep
    // the computed hint, which says from which step and by how much.
    out.retain(|h| {
        !computed
            .iter()
            .any(|c| c.id == h.id && c.metrics == h.metrics)
    });
    out.extend(computed);
    out.extend(lr_hints(reports, curves, reg));
    out.extend(super::spike::unrecovered(reports, curves));
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

/// How a learning-rate curve explains plateaus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Explanation {
    /// The rate dropped shortly after the metrics stalled (ReduceLROnPlateau, a step schedule).
    DropAfter(i64),
    /// The metrics stalled shortly after the rate dropped.
    StallAfter(i64),
    /// The rate had decayed to almost nothing when the metrics stalled.
    Decayed,
}

/// Where a curve stopped improving: its plateau, or the start of a stagnant tail.
fn plateau_step(r: &CurveReport) -> Option<i64> {
    r.diagnosis
        .flags
        .iter()
        .find_map(|f| match f {
            Flag::Plateau { from_step } => Some(*from_step),
            _ => None,
        })
        .or(if r.diagnosis.verdict == Verdict::Stagnant {
            r.diagnosis.evidence.plateau_step
        } else {
            None
        })
}

/// "a", "a and b", "a, b and 3 more".
fn names(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}

/// Plateaus (or stagnant curves) that a learning-rate drop or a decayed schedule explains: one
/// hint per learning-rate curve and drop, naming the curves it explains. A drop explains a
/// plateau only when the two are close: within a quarter of the curve's steps.
fn lr_hints(reports: &[CurveReport], curves: &[(String, Series)], reg: &Registry) -> Vec<Hint> {
    let lrs: Vec<&(String, Series)> = curves
        .iter()
        .zip(reports)
        .filter(|(_, r)| r.definition.as_deref() == Some("learning_rate"))
        .map(|(c, _)| c)
        .collect();
    let mut out = Vec::new();
    for (lr_name, lr) in &lrs {
        let peak = lr
            .values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        let drops = lr_drops(lr);
        let mut groups: std::collections::BTreeMap<Explanation, Vec<(String, i64)>> =
            Default::default();
        for (r, (name, s)) in reports.iter().zip(curves) {
            let expected_to_improve = r
                .definition
                .as_deref()
                .and_then(|id| reg.get(id))
                .is_none_or(|d| d.progress);
            if r.direction == Direction::Unknown || !expected_to_improve {
                continue;
            }
            let Some(p) = plateau_step(r) else { continue };
            let span = match (s.steps.first(), s.steps.last()) {
                (Some(a), Some(b)) => (b - a).max(1),
                _ => continue,
            };
            let near = span / 4;
            let explanation =
                if let Some((d, _, _)) = drops.iter().find(|(d, _, _)| *d >= p && d - p <= near) {
                    Some(Explanation::DropAfter(*d))
                } else if let Some((d, _, _)) =
                    drops.iter().rev().find(|(d, _, _)| *d < p && p - d <= near)
                {
                    Some(Explanation::StallAfter(*d))
                } else {
                    value_at(lr, p)
                        .filter(|v| peak > 0.0 && *v < 0.02 * peak)
                        .map(|_| Explanation::Decayed)
                };
            if let Some(e) = explanation {
                groups.entry(e).or_default().push((name.clone(), p));
            }
        }
        for (e, stalled) in groups {
            let metrics: Vec<String> = stalled.iter().map(|(n, _)| n.clone()).collect();
            let first = stalled.iter().map(|(_, p)| *p).min().unwrap_or(0);
            let last = stalled.iter().map(|(_, p)| *p).max().unwrap_or(0);
            let since = if first == last {
                format!("step {first}")
            } else {
                format!("steps {first}–{last}")
            };
            let drop = |d: i64| {
                drops
                    .iter()
                    .find(|x| x.0 == d)
                    .map(|(_, a, b)| {
                        format!(
                            "{lr_name} dropped from {} to {} at step {d}",
                            format_value(*a),
                            format_value(*b)
                        )
                    })
                    .unwrap_or_default()
            };
            let (message, mut steps) = match e {
                Explanation::DropAfter(d) => (
                    format!(
                        "{} stopped improving (from {since}) and {}, as ReduceLROnPlateau or a step schedule does: if the lower rate brings no further gain, training has converged",
                        names(&metrics),
                        drop(d)
                    ),
                    vec![first, d],
                ),
                Explanation::StallAfter(d) => (
                    format!(
                        "{} stopped improving (from {since}) soon after {}: the smaller learning rate may be too small to make progress",
                        names(&metrics),
                        drop(d)
                    ),
                    vec![d, first],
                ),
                Explanation::Decayed => (
                    format!(
                        "{} stopped improving (from {since}) when {lr_name} had decayed below 2% of its peak {}: the plateau is the schedule running out",
                        names(&metrics),
                        format_value(peak)
                    ),
                    vec![first],
                ),
            };
            steps.dedup();
            let mut all = metrics;
            all.push(lr_name.clone());
            out.push(Hint {
                id: "lr-drop-plateau".into(),
                message,
                metrics: all,
                steps,
            });
        }
    }
    out
}
