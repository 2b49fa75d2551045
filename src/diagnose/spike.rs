//! A loss spike the run never recovered from: one jump in the worse direction, far beyond the
//! curve's step-to-step noise, after which the curve never comes back to half-way between its
//! level just before the jump and the jump's top. A spike the run climbs back from (a bad batch) is
//! not one; a slow drift upward is `diverging`, not a spike.

use super::{CurveReport, Hint};
use crate::classify::Direction;
use crate::model::Series;

/// A jump must pass this many robust standard deviations of the step-to-step differences.
const JUMP_SIGMAS: f64 = 12.0;
/// Points after the jump needed before "never recovered" can be said.
const MIN_AFTER: usize = 5;

/// The hints of every curve with a direction that spiked and stayed worse.
pub fn unrecovered(reports: &[CurveReport], curves: &[(String, Series)]) -> Vec<Hint> {
    let mut out = Vec::new();
    for (r, (name, s)) in reports.iter().zip(curves) {
        let sign = match r.direction {
            Direction::Minimize => -1.0,
            Direction::Maximize => 1.0,
            Direction::Unknown => continue,
        };
        if r.definition.as_deref() != Some("loss") {
            continue;
        }
        if let Some((step, before, top, after)) = find(&s.steps, &s.values, sign) {
            out.push(Hint {
                id: "unrecovered-spike".into(),
                message: format!(
                    "{name} jumped from {} to {} at step {step} and never came back (best after \
                     it {}): the run did not recover. Look at that step's batch and learning \
                     rate; clip gradients, lower the learning rate, or restart from the \
                     checkpoint before it.",
                    crate::model::format_value(before),
                    crate::model::format_value(top),
                    crate::model::format_value(after)
                ),
                metrics: vec![name.clone()],
                steps: vec![step],
            });
        }
    }
    out
}

/// The largest jump of an oriented curve (better is up) that it never recovered from: its
/// step, the value before it, its worst value and the best value after it.
pub fn find(steps: &[i64], values: &[f64], sign: f64) -> Option<(i64, f64, f64, f64)> {
    let pts: Vec<(i64, f64)> = steps
        .iter()
        .zip(values)
        .filter(|(_, v)| v.is_finite())
        .map(|(s, v)| (*s, sign * v))
        .collect();
    if pts.len() < 2 * MIN_AFTER {
        return None;
    }
    let mut diffs: Vec<f64> = pts.windows(2).map(|w| (w[1].1 - w[0].1).abs()).collect();
    diffs.sort_by(f64::total_cmp);
    // Robust noise of the differences; a curve of mostly equal values falls back to their mean.
    let mut noise = 1.4826 * diffs[diffs.len() / 2];
    if noise == 0.0 {
        noise = diffs.iter().sum::<f64>() / diffs.len() as f64;
    }
    // Best value after each index, from the end.
    let mut best_after = vec![f64::NEG_INFINITY; pts.len() + 1];
    for i in (0..pts.len()).rev() {
        best_after[i] = best_after[i + 1].max(pts[i].1);
    }
    let mut found: Option<(f64, usize, f64)> = None;
    for i in MIN_AFTER..pts.len() - MIN_AFTER {
        // The level before the jump: the median of the points just before it.
        let mut window: Vec<f64> = pts[i - MIN_AFTER..i].iter().map(|p| p.1).collect();
        window.sort_by(f64::total_cmp);
        let level = window[MIN_AFTER / 2];
        let jump = level - pts[i].1;
        if jump <= JUMP_SIGMAS * noise || pts[i - 1].1 - pts[i].1 <= JUMP_SIGMAS * noise {
            continue;
        }
        // Never back to half-way between the level before the jump and the jump's worst.
        let unrecovered = best_after[i + 1] < pts[i].1 + 0.5 * jump;
        if unrecovered && found.is_none_or(|(j, ..)| jump > j) {
            found = Some((jump, i, level));
        }
    }
    let (_, i, level) = found?;
    Some((
        pts[i].0,
        sign * level,
        sign * pts[i].1,
        sign * best_after[i + 1],
    ))
}

#[cfg(test)]
mod tests {
    use super::find;

    fn curve(f: impl Fn(usize) -> f64) -> (Vec<i64>, Vec<f64>) {
        let n = 60;
        ((0..n as i64).collect(), (0..n).map(f).collect())
    }

    fn noise(i: usize) -> f64 {
        0.01 * ((i * 7919 % 13) as f64 / 13.0 - 0.5)
    }

    #[test]
    fn a_loss_that_jumps_and_stays_up_is_found_at_its_step() {
        let (s, v) = curve(|i| {
            let base = 2.0 / (1.0 + i as f64 * 0.1);
            base + noise(i) + if i >= 30 { 3.0 } else { 0.0 }
        });
        let (step, before, top, _) = find(&s, &v, -1.0).unwrap();
        assert_eq!(step, 30);
        assert!(before < 0.6 && top > 3.0, "{before} {top}");
    }

    #[test]
    fn a_spike_the_run_recovers_from_or_a_smooth_curve_is_none() {
        let (s, v) =
            curve(|i| 2.0 / (1.0 + i as f64 * 0.1) + noise(i) + if i == 30 { 3.0 } else { 0.0 });
        assert_eq!(find(&s, &v, -1.0), None);
        let (s, v) = curve(|i| 2.0 / (1.0 + i as f64 * 0.1) + noise(i));
        assert_eq!(find(&s, &v, -1.0), None);
        // A steady climb is divergence, not a spike.
        let (s, v) = curve(|i| 1.0 + 0.05 * i as f64 + noise(i));
        assert_eq!(find(&s, &v, -1.0), None);
    }
}
