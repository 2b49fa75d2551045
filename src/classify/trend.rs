//! Mann–Kendall trend test with tie correction, and the Hamed–Rao (1998) variance
//! correction for autocorrelated series, matching `pymannkendall.original_test` and
//! `pymannkendall.hamed_rao_modification_test(x, lag=None)`.
//!
//! Cost: the score S is counted in O(n log n) by merge-sort inversion counting (Knight
//! 1966) and the tie correction by one sort, so [`mann_kendall`] is usable on raw long
//! curves. [`hamed_rao`] adds a Sen slope and an autocorrelation over all lags, O(n²): the
//! classifier runs it on ≤ 1,024 bucket medians only.

use statrs::distribution::{ContinuousCDF, Normal};

use super::slope::sens_slope;

/// Result of a Mann–Kendall test. `z > 0` means increasing; `p` is two-sided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannKendall {
    pub n: usize,
    /// S = Σ_{i<j} sign(x_j − x_i).
    pub s: f64,
    /// Variance of S (tie-corrected; multiplied by `n_ns` for Hamed–Rao).
    pub var_s: f64,
    pub z: f64,
    pub p: f64,
    /// Kendall's tau-a, S / (n(n−1)/2).
    pub tau: f64,
    /// Hamed–Rao variance factor n/n* (1 for the original test).
    pub n_ns: f64,
}

/// Two-sided p-value of a standard normal score, `2 · (1 − Φ(|z|))` (via the survival
/// function, which keeps precision for tiny p).
pub fn two_sided_p(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    (2.0 * Normal::standard().sf(z.abs())).min(1.0)
}

/// Counts pairs `i < j` with `x_i > x_j` (strict inversions) while sorting `buf`.
fn count_inversions(buf: &mut [f64], tmp: &mut Vec<f64>) -> u64 {
    let n = buf.len();
    if n < 2 {
        return 0;
    }
    let mid = n / 2;
    let mut inv = {
        let (l, r) = buf.split_at_mut(mid);
        count_inversions(l, tmp) + count_inversions(r, tmp)
    };
    tmp.clear();
    let (mut i, mut j) = (0, mid);
    while i < mid && j < n {
        if buf[i] <= buf[j] {
            tmp.push(buf[i]);
            i += 1;
        } else {
            // Every remaining left value is > buf[j].
            inv += (mid - i) as u64;
            tmp.push(buf[j]);
            j += 1;
        }
    }
    tmp.extend_from_slice(&buf[i..mid]);
    tmp.extend_from_slice(&buf[j..n]);
    buf.copy_from_slice(tmp);
    inv
}

/// Tie correction Σ t(t−1)(2t+5) and the number of tied pairs Σ t(t−1)/2, from sorted data.
fn tie_stats(sorted: &[f64]) -> (f64, u64) {
    let (mut corr, mut pairs) = (0.0, 0u64);
    let mut run = 1u64;
    let mut flush = |run: u64| {
        if run > 1 {
            let t = run as f64;
            corr += t * (t - 1.0) * (2.0 * t + 5.0);
            pairs += run * (run - 1) / 2;
        }
    };
    for w in sorted.windows(2) {
        if w[0] == w[1] {
            run += 1;
        } else {
            flush(run);
            run = 1;
        }
    }
    flush(run);
    (corr, pairs)
}

fn z_score(s: f64, var_s: f64) -> f64 {
    if s > 0.0 {
        (s - 1.0) / var_s.sqrt()
    } else if s < 0.0 {
        (s + 1.0) / var_s.sqrt()
    } else {
        0.0
    }
}

/// S and the tie-corrected Var(S) of `x`, O(n log n).
fn score_and_variance(x: &[f64]) -> (f64, f64) {
    let n = x.len();
    // `+ 0.0` turns −0.0 into 0.0 so that total ordering treats them as ties.
    let mut buf: Vec<f64> = x.iter().map(|v| v + 0.0).collect();
    let mut tmp = Vec::with_capacity(n);
    let inv = count_inversions(&mut buf, &mut tmp);
    let (tie_corr, tied_pairs) = tie_stats(&buf);
    let total = (n as u64) * (n.saturating_sub(1) as u64) / 2;
    let concordant = total - inv - tied_pairs;
    let s = concordant as f64 - inv as f64;
    let nf = n as f64;
    let var_s = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - tie_corr) / 18.0;
    (s, var_s)
}

fn finish(n: usize, s: f64, var_s: f64, n_ns: f64) -> MannKendall {
    let (z, p) = if var_s > 0.0 {
        let z = z_score(s, var_s);
        (z, two_sided_p(z))
    } else if var_s.is_nan() || var_s < 0.0 {
        (f64::NAN, f64::NAN)
    } else {
        (0.0, 1.0)
    };
    let pairs = n as f64 * (n as f64 - 1.0) / 2.0;
    MannKendall {
        n,
        s,
        var_s,
        z,
        p,
        tau: if pairs > 0.0 { s / pairs } else { 0.0 },
        n_ns,
    }
}

/// The original Mann–Kendall test with tie correction (normal approximation, continuity
/// correction of 1), as `pymannkendall.original_test`.
pub fn mann_kendall(x: &[f64]) -> MannKendall {
    let (s, var_s) = score_and_variance(x);
    finish(x.len(), s, var_s, 1.0)
}

/// Average ranks (1-based), as `scipy.stats.rankdata(method="average")`.
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| (x[a] + 0.0).total_cmp(&(x[b] + 0.0)));
    let mut ranks = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && x[idx[j]] == x[idx[i]] {
            j += 1;
        }
        let r = (i + j + 1) as f64 / 2.0; // mean of ranks i+1..=j
        for &k in &idx[i..j] {
            ranks[k] = r;
        }
        i = j;
    }
    ranks
}

/// Hamed–Rao n/n* factor exactly as pymannkendall 1.4.3 computes it: detrend with Sen's
/// slope, rank, biased ACF of the ranks, keep lags 1..n−1 whose |ρ| exceeds
/// Φ⁻¹(0.975)/√n, then `1 + 2/(n(n−1)(n−2)) · Σ (n−i)(n−i−1)(n−i−2) ρ_i`. The sum is not
/// wrapped in `abs()`, so the factor can fall below 1 (or even 0) for negatively
/// autocorrelated series. A detrended series without variance gives 1.
pub fn hamed_rao_factor(x: &[f64]) -> f64 {
    let n = x.len();
    if n < 3 {
        return 1.0;
    }
    let (slope, _) = sens_slope(x);
    let detrended: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, v)| v - (i + 1) as f64 * slope)
        .collect();
    let ranks = average_ranks(&detrended);
    let nf = n as f64;
    let mean = ranks.iter().sum::<f64>() / nf;
    let y: Vec<f64> = ranks.iter().map(|r| r - mean).collect();
    let acov0: f64 = y.iter().map(|v| v * v).sum();
    if acov0 <= 0.0 {
        return 1.0;
    }
    let bound = Normal::standard().inverse_cdf(0.975) / nf.sqrt();
    let mut sni = 0.0;
    for lag in 1..n {
        let acov: f64 = y[..n - lag].iter().zip(&y[lag..]).map(|(a, b)| a * b).sum();
        let rho = acov / acov0;
        if rho > bound || rho < -bound {
            let k = (n - lag) as f64;
            sni += k * (k - 1.0) * (k - 2.0) * rho;
        }
    }
    1.0 + 2.0 / (nf * (nf - 1.0) * (nf - 2.0)) * sni
}

/// Hamed–Rao modified Mann–Kendall test, exactly as pymannkendall (see
/// [`hamed_rao_factor`]): Var(S*) = Var(S) · n/n*.
pub fn hamed_rao(x: &[f64]) -> MannKendall {
    let (s, var_s) = score_and_variance(x);
    let n_ns = hamed_rao_factor(x);
    finish(x.len(), s, var_s * n_ns, n_ns)
}

/// The classifier's variant: Hamed–Rao with the factor floored at 1, so autocorrelation can
/// only make a trend *less* significant than the plain test says. (A zig-zag has negative
/// autocorrelation; pymannkendall's unfloored factor would then shrink the variance and
/// call a wobbling curve's drift significant.)
pub fn hamed_rao_conservative(x: &[f64]) -> MannKendall {
    let (s, var_s) = score_and_variance(x);
    let n_ns = hamed_rao_factor(x).max(1.0);
    finish(x.len(), s, var_s * n_ns, n_ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_s(x: &[f64]) -> f64 {
        let mut s = 0.0;
        for i in 0..x.len() {
            for j in i + 1..x.len() {
                s += (x[j] - x[i]).signum() * f64::from(u8::from(x[j] != x[i]));
            }
        }
        s
    }

    #[test]
    fn merge_sort_score_equals_naive_with_ties() {
        let x = [3.0, 1.0, 2.0, 2.0, 5.0, 1.0, 4.0, 4.0, 4.0, 0.0, -0.0];
        assert_eq!(mann_kendall(&x).s, naive_s(&x));
        let inc: Vec<f64> = (0..50).map(f64::from).collect();
        let mk = mann_kendall(&inc);
        assert_eq!(mk.s, 1225.0);
        assert!(mk.p < 1e-10 && mk.z > 0.0 && (mk.tau - 1.0).abs() < 1e-12);
    }

    #[test]
    fn constant_and_tiny_series() {
        let mk = mann_kendall(&[2.0; 10]);
        assert_eq!((mk.s, mk.z, mk.p), (0.0, 0.0, 1.0));
        assert_eq!(mann_kendall(&[]).n, 0);
        assert_eq!(hamed_rao(&[1.0, 2.0]).n_ns, 1.0);
        assert_eq!(average_ranks(&[3.0, 1.0, 3.0]), vec![2.5, 1.0, 2.5]);
    }
}
