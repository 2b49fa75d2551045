//! TensorBoard's debiased exponential moving average (`classicSmoothing` in
//! tensorflow/tensorboard `webapp/widgets/line_chart_v2/data_transformer.ts`).

/// Smooths `values` the way TensorBoard's scalar charts do:
///
/// ```text
/// last = last·w + (1−w)·y;  k += 1;  out = last / (1 − w^k)      (last starts at 0)
/// ```
///
/// * `weight` is clamped to [0, 1]; a non-finite weight counts as 0 (no smoothing).
/// * Non-finite values are passed through unchanged and do not count in `k`.
/// * A constant series is returned unchanged (TensorBoard #786: no float drift).
/// * For finite data this equals `pandas.Series(y).ewm(alpha=1-w, adjust=True).mean()`.
/// * `weight = 1` is TensorBoard's degenerate case (its output collapses to 0); we return
///   the limit of the formula as w → 1 instead, the running mean.
pub fn smooth_ema(values: &[f64], weight: f64) -> Vec<f64> {
    let w = if weight.is_finite() {
        weight.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let first = values.first().copied();
    let constant = values
        .iter()
        .all(|v| Some(*v) == first || (v.is_nan() && first.is_some_and(f64::is_nan)));
    if constant {
        return values.to_vec();
    }
    let mut out = Vec::with_capacity(values.len());
    let mut last = 0.0_f64;
    let mut k = 0i32;
    let mut w_pow = 1.0_f64; // w^k, kept by multiplication (k can exceed i32 for powi)
    let mut sum = 0.0_f64;
    for &y in values {
        if !y.is_finite() {
            out.push(y);
            continue;
        }
        k = k.saturating_add(1);
        if w >= 1.0 {
            sum += y;
            out.push(sum / f64::from(k));
            continue;
        }
        last = last * w + (1.0 - w) * y;
        w_pow *= w;
        out.push(last / (1.0 - w_pow));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debiased_first_value_and_pass_through() {
        let out = smooth_ema(&[1.0, f64::NAN, 3.0, f64::INFINITY], 0.6);
        assert_eq!(out[0], 1.0);
        assert!(out[1].is_nan());
        // (0.6·0.4·1 + 0.4·3) / (1 − 0.36)
        assert!((out[2] - (0.24 + 1.2) / 0.64).abs() < 1e-12);
        assert_eq!(out[3], f64::INFINITY);
    }

    #[test]
    fn constant_unchanged_and_edge_weights() {
        assert_eq!(smooth_ema(&[0.1; 5], 0.9), vec![0.1; 5]);
        assert_eq!(smooth_ema(&[1.0, 2.0, 3.0], 0.0), vec![1.0, 2.0, 3.0]);
        assert_eq!(smooth_ema(&[1.0, 2.0, 3.0], f64::NAN), vec![1.0, 2.0, 3.0]);
        assert_eq!(smooth_ema(&[1.0, 2.0, 3.0], 1.0), vec![1.0, 1.5, 2.0]);
        assert!(smooth_ema(&[], 0.6).is_empty());
    }
}
