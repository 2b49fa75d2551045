//! Overfitting hint over a train/validation pair (docs/classifier.md §1 step 6; Prechelt 1998).
//!
//! Signal: after the validation curve's best point, (1) validation trends significantly
//! worse, (2) training trends significantly better over the same steps, and (3) the
//! oriented gap `train − val` (training interpolated at the validation steps) trends
//! significantly upward. All three use the floored Hamed–Rao Mann–Kendall test at 5%.
//! Long curves are reduced to ≤ 1,024 bucket medians first, so the cost is O(n).

use serde::Serialize;

use super::Direction;
use super::reduce::{clean, reduce};
use super::robust::{diff_noise, median, rolling_median};
use super::text::{num, p_text};
use super::trend::hamed_rao_conservative;

/// Validation points needed (docs/classifier.md §1, step 6).
pub const MIN_VAL_POINTS: usize = 10;
/// Points needed after the best validation point, in each curve.
pub const MIN_AFTER_BEST: usize = 5;
use super::verdict::ALPHA;

/// A detected train/validation divergence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overfit {
    /// First validation step after the best that is clearly (2σ) worse than the best.
    pub from_step: i64,
    /// Step of the best (rolling-median) validation level.
    pub best_val_step: i64,
    /// Prechelt's generalization loss GL = 100 · (E_va / E_opt − 1), with E_opt the best
    /// raw validation value and E_va the median of the last three; for a maximized metric,
    /// 100 · (best − current) / |best|. Percent.
    pub generalization_loss: f64,
    pub message: String,
}

/// Linear interpolation of `(xs, ys)` (xs ascending) at `x`, clamped at the ends.
fn interpolate(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    let i = xs.partition_point(|&v| v < x);
    if i == 0 {
        return ys[0];
    }
    if i >= xs.len() {
        return ys[ys.len() - 1];
    }
    let (x0, x1, y0, y1) = (xs[i - 1], xs[i], ys[i - 1], ys[i]);
    if x1 == x0 {
        y1
    } else {
        y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    }
}

/// Looks for overfitting; `None` when the direction is unknown, a curve is too short, or
/// the pattern is not there.
pub fn overfitting(
    train: (&[i64], &[f64]),
    val: (&[i64], &[f64]),
    direction: Direction,
) -> Option<Overfit> {
    if direction == Direction::Unknown {
        return None;
    }
    let sign = direction.sign();
    let (tc, vc) = (clean(train.0, train.1, sign), clean(val.0, val.1, sign));
    if vc.values.len() < MIN_VAL_POINTS || tc.values.len() < MIN_AFTER_BEST {
        return None;
    }
    let (tr, vr) = (reduce(&tc), reduce(&vc));
    let vs = rolling_median(&vr.values, 5);
    let mut best = 0;
    for (i, &v) in vs.iter().enumerate() {
        if v > vs[best] {
            best = i;
        }
    }
    if vr.values.len() - best < MIN_AFTER_BEST {
        return None;
    }
    let best_step = vr.steps[best];
    let val_after = &vr.values[best..];
    let val_mk = hamed_rao_conservative(val_after);
    if !(val_mk.z < 0.0 && val_mk.p < ALPHA) {
        return None;
    }
    let last_step = vr.steps[vr.steps.len() - 1];
    let t_from = tr.steps.partition_point(|&s| s < best_step);
    let t_to = tr.steps.partition_point(|&s| s <= last_step);
    let train_seg = &tr.values[t_from..t_to.max(t_from)];
    if train_seg.len() < MIN_AFTER_BEST {
        return None;
    }
    let train_mk = hamed_rao_conservative(train_seg);
    if !(train_mk.z > 0.0 && train_mk.p < ALPHA) {
        return None;
    }
    let tx: Vec<f64> = tr.steps.iter().map(|&s| s as f64).collect();
    let ts = rolling_median(&tr.values, 5);
    let gap: Vec<f64> = vr.steps[best..]
        .iter()
        .zip(val_after)
        .map(|(&s, &v)| interpolate(&tx, &ts, s as f64) - v)
        .collect();
    let gap_mk = hamed_rao_conservative(&gap);
    if !(gap_mk.z > 0.0 && gap_mk.p < ALPHA) {
        return None;
    }
    // Prechelt's GL from raw values: the oriented drop from the best, over |best|.
    let oriented: Vec<f64> = vc.values.iter().map(|v| sign * v).collect();
    let best_o = oriented.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let k = oriented.len().min(3);
    let cur_o = median(&oriented[oriented.len() - k..]);
    let (best_raw, cur_raw) = (sign * best_o, sign * cur_o);
    let generalization_loss = 100.0 * (best_o - cur_o) / best_raw.abs();
    let sigma = diff_noise(&vr.values);
    let from = (best + 1..vs.len())
        .find(|&i| vs[i] < vs[best] - 2.0 * sigma)
        .unwrap_or((best + 1).min(vs.len() - 1));
    let message = format!(
        "validation worsened since its best at step {best_step} (GL {}%: {} → {}, {}) while \
         training kept improving ({}): likely overfitting",
        num(generalization_loss),
        num(best_raw),
        num(cur_raw),
        p_text(val_mk.p),
        p_text(train_mk.p)
    );
    Some(Overfit {
        from_step: vr.steps[from],
        best_val_step: best_step,
        generalization_loss,
        message,
    })
}
