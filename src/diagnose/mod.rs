//! A run's diagnosis: every curve classified against its metric definition, plus the run's
//! cross-metric hints. Pure: it is handed the curves and the registry, and touches neither the
//! database nor the screen, so `diagnose`, `compare`, `watch` and the terminal UI share it.

mod hints;

mod read;
mod spike;
mod val_better;
mod watch;

pub use read::{chosen_metrics, read_run};
pub use watch::{Change, Watch};

use crate::classify::{self, Diagnosis, Direction, Spec, Verdict};
use crate::defs::{self, Definition, Registry, Split};
use crate::model::Series;
use serde::Serialize;

pub use hints::Hint;

/// One curve's verdict with what its definition says about it.
#[derive(Debug, Clone, Serialize)]
pub struct CurveReport {
    /// The logged name.
    pub metric: String,
    /// The definition it resolved to.
    pub definition: Option<String>,
    pub split: Option<Split>,
    pub average: Option<String>,
    pub direction: Direction,
    #[serde(flatten)]
    pub diagnosis: Diagnosis,
    /// The definition's words for this verdict (what to look for).
    pub look_for: Option<String>,
    /// The definition's band for the last value (`0.91: excellent`).
    pub band: Option<String>,
}

/// Every curve of a run, and its hints.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub run: String,
    pub metrics: Vec<CurveReport>,
    pub hints: Vec<Hint>,
}

impl RunReport {
    /// The run's badge: its worst curve's verdict (`insufficient_data` when it has none).
    pub fn badge(&self) -> Verdict {
        self.metrics
            .iter()
            .map(|m| m.diagnosis.verdict)
            .max_by_key(|v| v.severity())
            .unwrap_or(Verdict::InsufficientData)
    }
}

/// Names that count things rather than measure training (`epoch`, runtimes, throughput):
/// left out of a diagnosis unless asked for.
pub fn is_bookkeeping(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let last = n.rsplit(['/', '.']).next().unwrap_or(&n);
    matches!(
        last,
        "epoch" | "step" | "global_step" | "total_flos" | "num_input_tokens_seen" | "time"
    ) || last.ends_with("_runtime")
        || last.ends_with("per_second")
        || last.ends_with("_time")
        || last == "runtime"
        || last.starts_with("eta")
}

/// What the classifier needs to know of a metric: its definition's direction, domain and
/// thresholds; without a definition, the direction its name implies (`…loss` minimizes).
pub fn spec(def: Option<&Definition>, name: &str) -> Spec {
    // A definition that declares `direction: unknown` has none: the logged name does not give
    // one either (an RL `entropy_loss` or a GAN's `d_loss` is not minimised).
    let declared_unknown = def.is_some_and(|d| d.direction == Some(Direction::Unknown));
    let direction = def
        .and_then(Definition::direction)
        .or_else(|| match declared_unknown {
            true => None,
            false => defs::direction_from_name(&defs::strip(name).core),
        })
        .unwrap_or_default();
    let mut spec = Spec {
        direction,
        ..Spec::default()
    };
    if let Some(d) = def {
        spec.domain = d.domain();
        spec.floor = d.floor();
        let t = &d.thresholds;
        spec.min_points = t.min_points.map(|v| v as usize);
        spec.patience = t.patience.map(|v| v as usize);
        spec.min_delta = t.min_delta;
        spec.divergence_threshold = t.divergence_threshold;
        spec.oscillation_threshold = t.oscillation_threshold;
        spec.steady = !d.progress;
    }
    spec
}

/// The definition's words for a verdict: for `healthy` its first what-to-look-for line, for
/// another verdict the analysis of its first pattern showing that verdict.
pub fn look_for(def: &Definition, verdict: Verdict) -> Option<String> {
    if verdict == Verdict::Healthy {
        return def.what_to_look_for.first().cloned();
    }
    def.visualizations
        .unhealthy
        .iter()
        .find(|(_, p)| p.verdict == verdict)
        .map(|(_, p)| p.analysis.clone())
        .filter(|a| !a.is_empty())
}

/// Classify one curve.
pub fn curve(name: &str, series: &Series, registry: &Registry) -> CurveReport {
    let resolution = registry.resolve(name);
    let def = registry.definition_for(name);
    let spec = spec(def, name);
    let diagnosis = classify::classify(&series.steps, &series.values, &spec);
    let last = series.values.iter().rev().find(|v| v.is_finite()).copied();
    let band = def.zip(last).and_then(|(d, v)| {
        d.band_for(v)
            .map(|b| format!("{}: {}", crate::model::format_value(v), b.label))
    });
    CurveReport {
        metric: name.to_owned(),
        definition: resolution.definition,
        split: resolution.split,
        average: resolution.average,
        direction: spec.direction,
        look_for: def.and_then(|d| look_for(d, diagnosis.verdict)),
        band,
        diagnosis,
    }
}

/// Diagnose a run from its curves (logged name and series).
pub fn run(run: &str, curves: &[(String, Series)], registry: &Registry) -> RunReport {
    let metrics: Vec<CurveReport> = curves
        .iter()
        .map(|(name, s)| curve(name, s, registry))
        .collect();
    with_hints(run, metrics, curves, registry)
}

/// Complete a report from curves already classified (one [`curve`] per entry of `curves`, in
/// the same order): add the run's hints.
pub fn with_hints(
    run: &str,
    metrics: Vec<CurveReport>,
    curves: &[(String, Series)],
    registry: &Registry,
) -> RunReport {
    let hints = hints::run_hints(&metrics, curves, registry);
    RunReport {
        run: run.to_owned(),
        metrics,
        hints,
    }
}
