//! Robust location and scale: median, percentiles (NumPy's `linear` rule), MAD, IQR,
//! rolling medians.
//!
//! All functions expect finite input; they order values with [`f64::total_cmp`], so a stray
//! NaN cannot panic, it only sorts last. Empty input gives NaN.

use std::cmp::Ordering;

/// `1 / Φ⁻¹(3/4)`: scales a MAD to a standard deviation for normal data
/// (SciPy's `median_abs_deviation(..., scale="normal")`).
pub const MAD_TO_SD: f64 = 1.482_602_218_505_602;

/// `Φ⁻¹(3/4) − Φ⁻¹(1/4)`: scales an IQR to a standard deviation for normal data.
pub const IQR_TO_SD: f64 = 1.0 / 1.348_979_500_392_163_5;

fn cmp(a: &f64, b: &f64) -> Ordering {
    a.total_cmp(b)
}

/// The `k`-th smallest value (0-based) of `buf`, reordering `buf`. O(n) on average.
fn select(buf: &mut [f64], k: usize) -> f64 {
    let (_, v, _) = buf.select_nth_unstable_by(k, cmp);
    *v
}

/// Median of `buf`, reordering it in place (average of the two middle values for even
/// lengths). O(n).
pub fn median_in_place(buf: &mut [f64]) -> f64 {
    let n = buf.len();
    if n == 0 {
        return f64::NAN;
    }
    let hi = select(buf, n / 2);
    if n % 2 == 1 {
        return hi;
    }
    // After the selection every value left of n/2 is <= hi: the lower middle is their max.
    let lo = buf[..n / 2]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    midpoint(lo, hi)
}

/// Median of `xs` (copies). O(n).
pub fn median(xs: &[f64]) -> f64 {
    median_in_place(&mut xs.to_vec())
}

/// `(a + b) / 2`, exactly as NumPy averages the two middle values of a median.
pub fn midpoint(a: f64, b: f64) -> f64 {
    (a + b) / 2.0
}

/// Percentile `q` (0–100) with NumPy's default `linear` interpolation, reordering `buf`.
pub fn percentile_in_place(buf: &mut [f64], q: f64) -> f64 {
    let n = buf.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * (q / 100.0).clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    let a = select(buf, lo);
    if frac == 0.0 || lo + 1 >= n {
        return a;
    }
    // The next order statistic is the minimum of the part right of `lo`.
    let b = buf[lo + 1..].iter().copied().fold(f64::INFINITY, f64::min);
    a + frac * (b - a)
}

/// Percentile `q` (0–100) of `xs`, NumPy `linear` rule (copies).
pub fn percentile(xs: &[f64], q: f64) -> f64 {
    percentile_in_place(&mut xs.to_vec(), q)
}

/// Interquartile range `P75 − P25` (NumPy `linear` rule).
pub fn iqr(xs: &[f64]) -> f64 {
    let mut buf = xs.to_vec();
    let q75 = percentile_in_place(&mut buf, 75.0);
    let q25 = percentile_in_place(&mut buf, 25.0);
    q75 - q25
}

/// Median absolute deviation around the median, unscaled (SciPy `scale=1.0`).
/// Multiply by [`MAD_TO_SD`] for a normal-consistent standard deviation.
pub fn mad(xs: &[f64]) -> f64 {
    let mut buf = xs.to_vec();
    let med = median_in_place(&mut buf);
    for v in &mut buf {
        *v = (*v - med).abs();
    }
    median_in_place(&mut buf)
}

/// Robust point-to-point noise: `1.4826 · MAD(Δx) / √2`. Differencing cancels a smooth
/// trend, so this measures the jitter around the curve, not its progress. 0 for < 3 points.
pub fn diff_noise(xs: &[f64]) -> f64 {
    if xs.len() < 3 {
        return 0.0;
    }
    let d: Vec<f64> = xs.windows(2).map(|w| w[1] - w[0]).collect();
    MAD_TO_SD * mad(&d) / std::f64::consts::SQRT_2
}

/// Centred rolling median with an odd `window`; near the ends the window shrinks
/// symmetrically (so the first and last values are kept as they are, and a trend is not
/// biased at the edges). O(n · w log w): meant for the ≤ 1,024-point analysis series.
pub fn rolling_median(xs: &[f64], window: usize) -> Vec<f64> {
    let n = xs.len();
    let half = window.max(1) / 2;
    let mut buf = Vec::with_capacity(2 * half + 1);
    (0..n)
        .map(|i| {
            let h = half.min(i).min(n - 1 - i);
            buf.clear();
            buf.extend_from_slice(&xs[i - h..=i + h]);
            median_in_place(&mut buf)
        })
        .collect()
}

/// `(min, max)` of two finite values; compiles to a `minsd`/`maxsd` pair (no NaN handling).
#[inline(always)]
fn order(a: f64, b: f64) -> (f64, f64) {
    if a < b { (a, b) } else { (b, a) }
}

/// Median of five finite values with a fixed, branch-free comparison network.
#[inline]
pub fn median5(v: [f64; 5]) -> f64 {
    let [a, b, c, d, e] = v;
    let (a, b) = order(a, b);
    let (d, e) = order(d, e);
    // After these two the global minimum and maximum (`a`, `e`) are out of the running.
    let (_, d) = order(a, d);
    let (b, _) = order(b, e);
    // The median of the remaining three.
    let (b, c) = order(b, c);
    let (c, _) = order(c, d);
    order(b, c).1
}

/// Centred running median of 5 (3 at the second and second-to-last points, the value
/// itself at the ends). O(n) with a constant 7-comparison network per point: a lone spike or
/// a pair of adjacent spikes never moves it, which is what spike detection needs.
pub fn running_median5(xs: &[f64]) -> Vec<f64> {
    let n = xs.len();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let v = if i >= 2 && i + 2 < n {
            median5([xs[i - 2], xs[i - 1], xs[i], xs[i + 1], xs[i + 2]])
        } else if i >= 1 && i + 1 < n {
            let (a, b, c) = (xs[i - 1], xs[i], xs[i + 1]);
            a.max(b).min(a.min(b).max(c))
        } else {
            xs[i]
        };
        out.push(v);
    }
    out
}

/// Lag-`k` autocorrelation (biased, as `statsmodels.acf(adjusted=False)`); 0 when the
/// series has no variance or is too short.
pub fn acf(xs: &[f64], k: usize) -> f64 {
    let n = xs.len();
    if n < k + 2 {
        return 0.0;
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
    if var <= 0.0 {
        return 0.0;
    }
    let cov: f64 = xs[..n - k]
        .iter()
        .zip(&xs[k..])
        .map(|(a, b)| (a - mean) * (b - mean))
        .sum();
    cov / var
}

/// Lag-1 autocorrelation (biased, as `statsmodels.acf(adjusted=False)`); 0 when the series
/// has no variance or fewer than 3 points.
pub fn lag1_autocorr(xs: &[f64]) -> f64 {
    let n = xs.len();
    if n < 3 {
        return 0.0;
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
    if var <= 0.0 {
        return 0.0;
    }
    let cov: f64 = xs.windows(2).map(|w| (w[0] - mean) * (w[1] - mean)).sum();
    cov / var
}

/// Turning-point rate of the first differences: the share of interior points where the
/// curve changes direction (ties skipped). About 2/3 for white noise, 1 for a period-2
/// zig-zag, near 0 for a smooth trend.
pub fn turning_rate(xs: &[f64]) -> f64 {
    let mut prev = 0.0_f64;
    let (mut turns, mut pairs) = (0usize, 0usize);
    for w in xs.windows(2) {
        let d = w[1] - w[0];
        if d == 0.0 {
            continue;
        }
        if prev != 0.0 {
            pairs += 1;
            if (d > 0.0) != (prev > 0.0) {
                turns += 1;
            }
        }
        prev = d;
    }
    if pairs == 0 {
        0.0
    } else {
        turns as f64 / pairs as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_percentiles_match_numpy_by_hand() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
        // numpy.percentile([1,2,3,4], 25) == 1.75
        assert!((percentile(&[4.0, 3.0, 2.0, 1.0], 25.0) - 1.75).abs() < 1e-12);
        assert!((iqr(&[1.0, 2.0, 3.0, 4.0]) - 1.5).abs() < 1e-12);
        assert_eq!(mad(&[1.0, 1.0, 2.0, 2.0, 4.0, 6.0, 9.0]), 1.0);
    }

    #[test]
    fn running_median5_ignores_two_adjacent_spikes() {
        let xs = [1.0, 1.0, 1.0, 9.0, 9.0, 1.0, 1.0, 1.0];
        let m = running_median5(&xs);
        assert!(m[2..6].iter().all(|&v| v == 1.0), "{m:?}");
        assert_eq!(rolling_median(&xs, 5)[3], 1.0);
    }

    #[test]
    fn median5_network_matches_sorting_on_all_permutations() {
        let base = [1.0, 2.0, 3.0, 4.0, 5.0];
        for p in 0..3125usize {
            let idx = [p % 5, p / 5 % 5, p / 25 % 5, p / 125 % 5, p / 625 % 5];
            let v = idx.map(|i| base[i]);
            let mut s = v;
            s.sort_by(f64::total_cmp);
            assert_eq!(median5(v), s[2], "{v:?}");
        }
    }

    #[test]
    fn turning_rate_and_lag1() {
        let zig: Vec<f64> = (0..20)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        assert_eq!(turning_rate(&zig), 1.0);
        assert!(lag1_autocorr(&zig) < -0.9);
        let line: Vec<f64> = (0..20).map(f64::from).collect();
        assert_eq!(turning_rate(&line), 0.0);
    }
}
