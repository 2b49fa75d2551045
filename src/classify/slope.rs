//! Theil–Sen robust slope (Theil 1950, Sen 1968), as `scipy.stats.theilslopes(y, x,
//! alpha=0.95, method="separate")` computes it.
//!
//! Cost: all n(n−1)/2 pairwise slopes are formed and the median is found by selection, so
//! O(n²) time and memory. The classifier calls it only on ≤ 1,024 bucket medians (about
//! 4 MB); do not call it on raw million-point curves.

use statrs::distribution::{ContinuousCDF, Normal};

use super::robust::{median, median_in_place, midpoint};

/// A Theil–Sen fit `y ≈ intercept + slope · x` and the 95% confidence interval of the slope
/// (Sen 1968, eq. 2.6, with tie terms for x and y, as SciPy).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TheilSen {
    pub slope: f64,
    pub intercept: f64,
    pub low_slope: f64,
    pub high_slope: f64,
}

/// Sizes of the groups of equal values (only groups of two or more).
fn tie_groups(xs: &[f64]) -> Vec<usize> {
    let mut s: Vec<f64> = xs.iter().map(|v| v + 0.0).collect();
    s.sort_by(f64::total_cmp);
    let mut out = Vec::new();
    let mut run = 1usize;
    for w in s.windows(2) {
        if w[0] == w[1] {
            run += 1;
        } else {
            if run > 1 {
                out.push(run);
            }
            run = 1;
        }
    }
    if run > 1 {
        out.push(run);
    }
    out
}

fn tie_term(groups: &[usize]) -> f64 {
    groups
        .iter()
        .map(|&t| {
            let t = t as f64;
            t * (t - 1.0) * (2.0 * t + 5.0)
        })
        .sum()
}

/// Pairwise slopes `(y_i − y_j) / (x_i − x_j)` over pairs with `x_i > x_j`.
fn pair_slopes(x: &[f64], y: &[f64]) -> Vec<f64> {
    let n = x.len().min(y.len());
    let mut slopes = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in 0..n {
            let dx = x[i] - x[j];
            if dx > 0.0 {
                slopes.push((y[i] - y[j]) / dx);
            }
        }
    }
    slopes
}

/// The `k`-th smallest value of `buf` (reorders it).
fn kth(buf: &mut [f64], k: usize) -> f64 {
    *buf.select_nth_unstable_by(k, f64::total_cmp).1
}

/// Theil–Sen fit of `y` against `x`. `x` need not be sorted; pairs with equal `x` are
/// skipped. Fewer than two distinct `x` values give NaN everywhere.
pub fn theil_sen(x: &[f64], y: &[f64]) -> TheilSen {
    let nan = TheilSen {
        slope: f64::NAN,
        intercept: f64::NAN,
        low_slope: f64::NAN,
        high_slope: f64::NAN,
    };
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    let mut slopes = pair_slopes(x, y);
    let nt = slopes.len();
    if nt == 0 {
        return nan;
    }
    let slope = median_in_place(&mut slopes);
    let intercept = median(y) - slope * median(x);

    // Confidence interval, SciPy's indices (np.round is round-half-to-even).
    let z = Normal::standard().inverse_cdf(0.025);
    let ny = n as f64;
    let sigsq =
        (ny * (ny - 1.0) * (2.0 * ny + 5.0) - tie_term(&tie_groups(x)) - tie_term(&tie_groups(y)))
            / 18.0;
    let sigma = sigsq.sqrt();
    let (low_slope, high_slope) = if sigma.is_finite() {
        let ntf = nt as f64;
        let ru = (((ntf - z * sigma) / 2.0).round_ties_even().max(0.0) as usize).min(nt - 1);
        let rl = (((ntf + z * sigma) / 2.0).round_ties_even() - 1.0).max(0.0) as usize;
        let rl = rl.min(nt - 1);
        (kth(&mut slopes, rl), kth(&mut slopes, ru))
    } else {
        (f64::NAN, f64::NAN)
    };
    TheilSen {
        slope,
        intercept,
        low_slope,
        high_slope,
    }
}

/// Sen's slope against the index `0..n` (pymannkendall's `sens_slope`): returns
/// `(slope, intercept)` with intercept `median(y) − median(0..n) · slope`.
pub fn sens_slope(y: &[f64]) -> (f64, f64) {
    let n = y.len();
    if n < 2 {
        return (f64::NAN, f64::NAN);
    }
    let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            slopes.push((y[j] - y[i]) / (j - i) as f64);
        }
    }
    let slope = median_in_place(&mut slopes);
    let mid_x = midpoint(((n - 1) / 2) as f64, (n / 2) as f64);
    (slope, median(y) - mid_x * slope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_line_and_outlier() {
        let x: Vec<f64> = (0..10).map(f64::from).collect();
        let mut y: Vec<f64> = x.iter().map(|v| 2.0 * v + 1.0).collect();
        y[9] = 1000.0;
        let fit = theil_sen(&x, &y);
        assert!((fit.slope - 2.0).abs() < 1e-12);
        assert!((fit.intercept - 1.0).abs() < 1e-12);
        assert!(fit.low_slope <= fit.slope && fit.slope <= fit.high_slope);
        let (s, b) = sens_slope(&y);
        assert!((s - 2.0).abs() < 1e-12 && (b - 1.0).abs() < 1e-12);
    }

    #[test]
    fn degenerate_inputs_are_nan_not_panics() {
        assert!(theil_sen(&[1.0, 1.0], &[2.0, 3.0]).slope.is_nan());
        assert!(theil_sen(&[], &[]).slope.is_nan());
        assert!(sens_slope(&[1.0]).0.is_nan());
    }
}
