//! `--fail-if-worse METRIC[:TOL]`: a CI gate on a comparison.

use super::Comparison;
use crate::classify::Direction;

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
