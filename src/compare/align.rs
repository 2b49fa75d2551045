//! How curves of different runs line up: by step, by relative step or by wall time.

use crate::model::Series;
use serde::Serialize;

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

/// The value at `at`: at that step (steps are exact), or for wall time the last value logged
/// at or before it (never past the run's end).
pub(super) fn value_at(xs: &[f64], ys: &[f64], at: f64, align: Align) -> Option<f64> {
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
pub(super) fn at_words(at: f64, align: Align) -> String {
    match align {
        Align::Step => format!("at step {at}"),
        Align::Relative => format!("at relative step {at} (steps from each run's first)"),
        Align::Time => format!("at or before {at} s from each run's start"),
    }
}
