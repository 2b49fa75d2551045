//! Cleaning and reduction: order by step, drop duplicate steps (last writer wins), count
//! non-finite values, orient, and reduce long curves to ≤ 1,024 equal-count bucket medians.
//! Everything here is O(n) (plus one O(n log n) sort only when the steps arrive unsorted).

use std::borrow::Cow;

use super::robust::median_in_place;

/// √(π/2): scales a mean absolute deviation to a standard deviation for normal data.
const MEAN_ABS_TO_SD: f64 = 1.253_314_137_315_500_3;

/// At most this many points reach the statistics (docs/classifier.md §1, step 2).
pub const MAX_BUCKETS: usize = 1024;

/// A cleaned curve: strictly increasing steps, finite values, and what was dropped. The
/// points are borrowed when the input is already clean (the common case), so a million-point
/// curve costs no copy.
#[derive(Debug, Clone)]
pub struct Cleaned<'a> {
    /// Steps of the finite values, strictly increasing.
    pub steps: Cow<'a, [i64]>,
    /// Finite values, **raw** (multiply by `sign` to orient them).
    pub values: Cow<'a, [f64]>,
    /// +1 or −1: oriented values are `sign · value` (higher is better).
    pub sign: f64,
    /// Number of non-finite values (after de-duplication).
    pub non_finite: usize,
    /// Step of the first non-finite value.
    pub first_non_finite: Option<i64>,
    /// Step of the last non-finite value.
    pub last_non_finite: Option<i64>,
    /// Whether the very last point (by step) is non-finite.
    pub ends_non_finite: bool,
    /// Step at which the recent window (last 20% of all points, at least 5) starts.
    pub recent_from: Option<i64>,
    /// First and last step of all points.
    pub span: Option<(i64, i64)>,
}

impl Cleaned<'_> {
    /// The `i`-th finite value, oriented.
    pub fn oriented(&self, i: usize) -> f64 {
        self.sign * self.values[i]
    }
}

/// Orders `(steps, values)` by step and keeps the last value of each step. Borrowed when
/// the steps are already strictly increasing.
fn ordered<'a>(steps: &'a [i64], values: &'a [f64]) -> (Cow<'a, [i64]>, Cow<'a, [f64]>) {
    let n = steps.len().min(values.len());
    let (steps, values) = (&steps[..n], &values[..n]);
    if steps.windows(2).all(|w| w[0] < w[1]) {
        return (Cow::Borrowed(steps), Cow::Borrowed(values));
    }
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by_key(|&i| steps[i]); // stable: equal steps keep their arrival order
    let mut s = Vec::with_capacity(n);
    let mut v: Vec<f64> = Vec::with_capacity(n);
    for i in idx {
        if s.last() == Some(&steps[i]) {
            if let Some(last) = v.last_mut() {
                *last = values[i];
            }
        } else {
            s.push(steps[i]);
            v.push(values[i]);
        }
    }
    (Cow::Owned(s), Cow::Owned(v))
}

/// Cleans a curve; `sign` is +1 (higher is better, or unknown) or −1.
pub fn clean<'a>(steps: &'a [i64], values: &'a [f64], sign: f64) -> Cleaned<'a> {
    let (steps, values) = ordered(steps, values);
    let n = steps.len();
    let recent_len = (n / 5).max(5).min(n);
    let recent_from = n
        .checked_sub(recent_len)
        .and_then(|i| steps.get(i).copied());
    let mut out = Cleaned {
        steps: Cow::Borrowed(&[]),
        values: Cow::Borrowed(&[]),
        sign,
        non_finite: 0,
        first_non_finite: None,
        last_non_finite: None,
        ends_non_finite: values.last().is_some_and(|v| !v.is_finite()),
        recent_from,
        span: steps.first().zip(steps.last()).map(|(a, b)| (*a, *b)),
    };
    for (&s, &v) in steps.iter().zip(values.iter()) {
        if !v.is_finite() {
            out.non_finite += 1;
            out.first_non_finite.get_or_insert(s);
            out.last_non_finite = Some(s);
        }
    }
    if out.non_finite == 0 {
        (out.steps, out.values) = (steps, values);
    } else {
        let keep = |i: &usize| values[*i].is_finite();
        out.steps = (0..n).filter(keep).map(|i| steps[i]).collect();
        out.values = (0..n).filter(keep).map(|i| values[i]).collect();
    }
    out
}

/// The analysis series: the finite points themselves, or bucket medians for long curves.
#[derive(Debug, Clone)]
pub struct Reduced {
    /// Step of each analysis point (the middle raw point of its bucket).
    pub steps: Vec<i64>,
    /// Oriented value (raw value, or bucket median).
    pub values: Vec<f64>,
    /// Raw index range `[start, end)` of each analysis point.
    pub ranges: Vec<(usize, usize)>,
    /// Within-bucket spread (mean absolute deviation from the bucket median, scaled to a
    /// standard deviation); empty when not bucketed.
    pub within_sd: Vec<f64>,
}

impl Reduced {
    pub fn bucketed(&self) -> bool {
        !self.within_sd.is_empty()
    }
}

/// Reduces `c` to at most [`MAX_BUCKETS`] points: equal-count buckets, each kept as its
/// median (selection, O(bucket)) and its spread. O(n) overall.
pub fn reduce(c: &Cleaned) -> Reduced {
    let m = c.values.len();
    if m <= MAX_BUCKETS {
        return Reduced {
            steps: c.steps.to_vec(),
            values: (0..m).map(|i| c.oriented(i)).collect(),
            ranges: (0..m).map(|i| (i, i + 1)).collect(),
            within_sd: Vec::new(),
        };
    }
    let b = MAX_BUCKETS;
    let mut out = Reduced {
        steps: Vec::with_capacity(b),
        values: Vec::with_capacity(b),
        ranges: Vec::with_capacity(b),
        within_sd: Vec::with_capacity(b),
    };
    let mut buf: Vec<f64> = Vec::with_capacity(m / b + 2);
    for k in 0..b {
        let (lo, hi) = (k * m / b, (k + 1) * m / b);
        buf.clear();
        buf.extend_from_slice(&c.values[lo..hi]);
        let med = median_in_place(&mut buf);
        // Mean absolute deviation from the median (× √(π/2): a normal SD), one pass.
        let mad_mean = buf.iter().map(|v| (v - med).abs()).sum::<f64>() / buf.len() as f64;
        out.steps.push(c.steps[lo + (hi - lo - 1) / 2]);
        out.values.push(c.sign * med);
        out.ranges.push((lo, hi));
        out.within_sd.push(mad_mean * MEAN_ABS_TO_SD);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsorted_duplicates_last_writer_wins() {
        let c = clean(&[3, 1, 2, 2], &[30.0, 10.0, 20.0, 21.0], 1.0);
        assert_eq!(*c.steps, [1, 2, 3]);
        assert_eq!(*c.values, [10.0, 21.0, 30.0]);
    }

    #[test]
    fn non_finite_counted_and_oriented() {
        let c = clean(&[0, 1, 2, 3], &[1.0, f64::NAN, 2.0, f64::INFINITY], -1.0);
        assert_eq!(*c.values, [1.0, 2.0]);
        assert_eq!(c.oriented(1), -2.0);
        assert_eq!(
            (c.non_finite, c.first_non_finite, c.ends_non_finite),
            (2, Some(1), true)
        );
    }

    #[test]
    fn buckets_cover_everything() {
        let n = 5000;
        let steps: Vec<i64> = (0..n).collect();
        let values: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let r = reduce(&clean(&steps, &values, 1.0));
        assert_eq!(r.values.len(), MAX_BUCKETS);
        assert_eq!(r.ranges[0].0, 0);
        assert_eq!(r.ranges[MAX_BUCKETS - 1].1, n as usize);
        assert!(r.values.windows(2).all(|w| w[0] < w[1]));
    }
}
