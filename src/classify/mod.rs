//! Curve classifier: tells in plain words whether a metric curve is `healthy`, `stagnant`,
//! `oscillating`, `diverging` or has `insufficient_data`. Pure: no I/O.
//!
//! Public API: [`classify`], [`smooth_ema`], [`overfitting`] and the types they use. The
//! statistics modules ([`trend`], [`slope`], [`robust`], …) are public so other parts of
//! `tracker` (and the oracle tests) can use them.

mod features;
pub mod overfit;
pub mod plateau;
pub mod reduce;
pub mod robust;
pub mod slope;
pub mod smooth;
pub mod spikes;
mod text;
pub mod trend;
mod types;
mod verdict;

pub use overfit::{Overfit, overfitting};
pub use smooth::smooth_ema;
pub use types::{Diagnosis, Direction, Evidence, Flag, Spec, Verdict};

use features::{Features, OrientedDomain};
use reduce::{Cleaned, Reduced};
use text::num;

/// Fewer finite points than this give `insufficient_data` (the seed definitions' example
/// curves have 11 points and must get their labels).
pub const DEFAULT_MIN_POINTS: usize = 8;

/// Classifies one curve. `steps` should be ascending (gaps allowed; unsorted input is
/// sorted, and for a repeated step the last value wins); `values` may hold NaN or ±Inf.
///
/// # Algorithm
///
/// ALGORITHM_DOC
pub fn classify(steps: &[i64], values: &[f64], spec: &Spec) -> Diagnosis {
    let sign = spec.direction.sign();
    let known = spec.direction != Direction::Unknown;
    let cleaned = reduce::clean(steps, values, sign);
    let mut flags = Vec::new();
    if !known {
        flags.push(Flag::DirectionUnknown);
    }
    if let Some(first_step) = cleaned.first_non_finite {
        flags.push(Flag::NonFinite {
            count: cleaned.non_finite,
            first_step,
        });
    }
    let domain = check_domain(spec.domain, &cleaned, sign, &mut flags);
    let m = cleaned.values.len();
    let min_points = spec.min_points.unwrap_or(DEFAULT_MIN_POINTS).max(3);
    let recent_bad = cleaned.ends_non_finite
        || cleaned
            .last_non_finite
            .zip(cleaned.recent_from)
            .is_some_and(|(last, from)| last >= from);

    if m < 3 {
        let mut ev = Evidence::empty(&cleaned);
        ev.points = m;
        let (verdict, reason) = if recent_bad {
            (Verdict::Diverging, non_finite_reason(&cleaned))
        } else {
            let reason = format!("only {m} finite points; need at least {min_points}");
            (Verdict::InsufficientData, reason)
        };
        return Diagnosis {
            verdict,
            reason,
            flags,
            evidence: ev,
        };
    }

    let red = reduce::reduce(&cleaned);
    let f = features::compute(&cleaned, &red, known, domain);
    let min_delta = spec.min_delta.map_or(0.0, f64::abs);
    let plateau = find_plateau(&f, &red, spec, min_delta);
    let plateau_step = plateau.map(|i| red.steps[i]);
    let spikes = spikes::find_spikes(&cleaned.steps, &cleaned.values, !known, f.reference);
    if !spikes.steps.is_empty() {
        flags.push(Flag::Spikes {
            steps: spikes.steps.clone(),
        });
    }
    if let Some(from_step) = plateau_step {
        flags.push(Flag::Plateau { from_step });
    }
    let ctx = verdict::Context {
        f: &f,
        sign,
        steps: &red.steps,
        min_delta,
        oscillation_ratio: spec
            .oscillation_threshold
            .filter(|t| t.is_finite() && *t > 0.0)
            .unwrap_or(verdict::OSCILLATION_RATIO),
        plateau_step,
    };
    let (verdict, reason) = if recent_bad {
        (Verdict::Diverging, non_finite_reason(&cleaned))
    } else if m < min_points {
        let reason = format!("only {m} finite points; need at least {min_points}");
        (Verdict::InsufficientData, reason)
    } else if let Some(reason) = past_threshold(spec, &cleaned, sign) {
        (Verdict::Diverging, reason)
    } else {
        verdict::decide(&ctx)
    };
    let evidence = Evidence::from_features(&f, &red, &cleaned, sign, plateau_step, spikes.count);
    Diagnosis {
        verdict,
        reason,
        flags,
        evidence,
    }
}

fn non_finite_reason(c: &Cleaned) -> String {
    if c.values.is_empty() {
        return format!("all {} values are NaN or infinite", c.non_finite);
    }
    let first = c.first_non_finite.unwrap_or_default();
    if c.ends_non_finite {
        format!(
            "the last value is NaN or infinite ({} non-finite values since step {first})",
            c.non_finite
        )
    } else {
        format!(
            "{} NaN or infinite values, the latest at step {} (first at step {first})",
            c.non_finite,
            c.last_non_finite.unwrap_or_default()
        )
    }
}

/// Lightning's `divergence_threshold`: the median of the last three finite values is worse
/// than it.
fn past_threshold(spec: &Spec, c: &Cleaned, sign: f64) -> Option<String> {
    let t = spec.divergence_threshold.filter(|t| t.is_finite())?;
    let k = c.values.len().min(3);
    let last = robust::median(&c.values[c.values.len() - k..]);
    (last < sign * t).then(|| {
        format!(
            "past its divergence threshold {}: now {}",
            num(t),
            num(sign * last)
        )
    })
}

/// Checks raw values against the domain; returns the effective domain in oriented units.
/// Values in 1–100 for a 0–1 domain are taken as percentages (domain 0–100); other
/// violations widen the domain to the data so level judgements stay in range.
fn check_domain(
    domain: Option<(f64, f64)>,
    c: &Cleaned,
    sign: f64,
    flags: &mut Vec<Flag>,
) -> Option<OrientedDomain> {
    let (a, b) = domain.filter(|(a, b)| a.is_finite() && b.is_finite() && a != b)?;
    let (mut lo, mut hi) = (a.min(b), a.max(b));
    let raw = c.values.iter().map(|v| sign * v);
    let (min, max) = raw.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let eps = 1e-9 * (hi - lo);
    if min.is_finite() && (min < lo - eps || max > hi + eps) {
        let percent = lo == 0.0 && hi == 1.0 && min >= 0.0 && max <= 100.0;
        let message = if percent {
            hi = 100.0;
            format!(
                "values up to {} in a 0–1 domain look like percentages",
                num(max)
            )
        } else {
            let msg = format!(
                "values from {} to {} fall outside the domain {}–{}",
                num(min),
                num(max),
                num(lo),
                num(hi)
            );
            (lo, hi) = (lo.min(min), hi.max(max));
            msg
        };
        flags.push(Flag::OutOfDomain { min, max, message });
    }
    let (x, y) = (sign * lo, sign * hi);
    Some(OrientedDomain {
        lo: x.min(y),
        hi: x.max(y),
    })
}

/// Replays the plateau rule on the analysis series. `patience` and `min_delta` come from
/// the spec (patience in raw points, converted to buckets) or default to
/// `max(4, ⌈n/10⌉)` points and `max(1e-4·R, σ/2)`.
fn find_plateau(f: &Features, red: &Reduced, spec: &Spec, min_delta: f64) -> Option<usize> {
    if !f.known {
        return None;
    }
    let n = red.values.len();
    let per_point = red
        .ranges
        .last()
        .map_or(1, |r| r.1)
        .div_ceil(n.max(1))
        .max(1);
    let patience = spec
        .patience
        .map_or((n.div_ceil(10)).max(4), |p| p.div_ceil(per_point));
    let delta = if spec.min_delta.is_some() {
        min_delta
    } else {
        (1e-4 * f.reference).max(f.sigma / 2.0)
    };
    plateau::find_plateau(&red.values, delta, patience).map(|p| p.from_index)
}

impl Evidence {
    fn empty(c: &Cleaned) -> Evidence {
        let span = c.span.unwrap_or_default();
        Evidence {
            window: span,
            points: c.values.len(),
            analysis_points: 0,
            bucketed: false,
            trend_z: f64::NAN,
            trend_p: f64::NAN,
            slope: f64::NAN,
            tail_change: f64::NAN,
            noise: f64::NAN,
            swing_ratio: f64::NAN,
            start: f64::NAN,
            current: f64::NAN,
            progress: f64::NAN,
            best: f64::NAN,
            best_step: span.0,
            plateau_step: None,
            non_finite: c.non_finite,
            first_non_finite_step: c.first_non_finite,
            spikes: 0,
            domain_position: None,
            turning_rate: f64::NAN,
            lag1_autocorr: f64::NAN,
        }
    }

    fn from_features(
        f: &Features,
        red: &Reduced,
        c: &Cleaned,
        sign: f64,
        plateau_step: Option<i64>,
        spikes: usize,
    ) -> Evidence {
        let n = red.values.len();
        let raw_from = red.ranges[f.tail_start].0;
        let (best, best_step) = if f.known {
            (sign * f.smooth[f.best_index], red.steps[f.best_index])
        } else {
            (f64::NAN, red.steps[f.best_index])
        };
        Evidence {
            window: (red.steps[f.tail_start], red.steps[n - 1]),
            points: c.values.len() - raw_from,
            analysis_points: n,
            bucketed: red.bucketed(),
            trend_z: sign * f.tail_mk.z,
            trend_p: f.tail_mk.p,
            slope: sign * f.tail_slope,
            tail_change: sign * f.tail_change,
            noise: f.sigma,
            swing_ratio: f.swing_ratio,
            start: sign * f.start,
            current: sign * f.current,
            progress: f.progress,
            best,
            best_step,
            plateau_step,
            non_finite: c.non_finite,
            first_non_finite_step: c.first_non_finite,
            spikes,
            domain_position: if f.known { f.position() } else { None },
            turning_rate: f.turning,
            lag1_autocorr: f.rho1,
        }
    }
}
