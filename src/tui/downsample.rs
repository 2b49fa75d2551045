//! Fitting a long curve into a chart's width: per column, the lowest and the highest point, in
//! their order along the curve (a min/max decimation, as TensorBoard and plotting libraries do
//! for dense lines). A spike one point wide survives; nothing is sampled at random.
//!
//! Gaps (non-finite values) are kept as `(x, NaN)` markers so the chart can break its line.

/// The points of `(xs, ys)` to draw over `x0..=x1` in `columns` columns: at most two per column
/// (its minimum and maximum), plus the nearest point outside each edge so the line reaches
/// the border, plus gap markers. `xs` must be non-decreasing. Curves that already fit are
/// returned whole (within the range).
pub fn min_max(xs: &[f64], ys: &[f64], x0: f64, x1: f64, columns: usize) -> Vec<(f64, f64)> {
    let n = xs.len().min(ys.len());
    let (xs, ys) = (&xs[..n], &ys[..n]);
    let start = xs.partition_point(|&x| x < x0).saturating_sub(1);
    let end = (xs.partition_point(|&x| x <= x1) + 1).min(n);
    if start >= end {
        return Vec::new();
    }
    let columns = columns.max(1);
    if end - start <= 2 * columns || x1 <= x0 {
        return (start..end).map(|i| (xs[i], ys[i])).collect();
    }
    let width = (x1 - x0) / columns as f64;
    let column = |x: f64| -> i64 {
        if x < x0 {
            -1
        } else if x > x1 {
            columns as i64 + 1
        } else {
            (((x - x0) / width).floor() as i64).min(columns as i64 - 1)
        }
    };
    let mut out = Vec::with_capacity(2 * columns + 6);
    let mut bucket = Bucket::default();
    let mut current = column(xs[start]);
    for i in start..end {
        let c = column(xs[i]);
        if c != current {
            bucket.flush(xs, ys, &mut out);
            current = c;
        }
        bucket.add(i, ys[i]);
    }
    bucket.flush(xs, ys, &mut out);
    out
}

/// One column's extremes so far: (index, value) of its lowest and highest finite points, and
/// its first non-finite point.
#[derive(Default)]
struct Bucket {
    min: Option<(usize, f64)>,
    max: Option<(usize, f64)>,
    gap: Option<usize>,
}

impl Bucket {
    fn add(&mut self, i: usize, y: f64) {
        if !y.is_finite() {
            self.gap.get_or_insert(i);
            return;
        }
        if self.min.is_none_or(|(_, m)| y < m) {
            self.min = Some((i, y));
        }
        if self.max.is_none_or(|(_, m)| y > m) {
            self.max = Some((i, y));
        }
    }

    fn flush(&mut self, xs: &[f64], ys: &[f64], out: &mut Vec<(f64, f64)>) {
        let mut picks = [self.min.map(|m| m.0), self.max.map(|m| m.0), self.gap];
        picks.sort_unstable();
        let mut last = None;
        for i in picks.into_iter().flatten() {
            if last != Some(i) {
                out.push((xs[i], if ys[i].is_finite() { ys[i] } else { f64::NAN }));
                last = Some(i);
            }
        }
        *self = Bucket::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: usize) -> (Vec<f64>, Vec<f64>) {
        ((0..n).map(|i| i as f64).collect(), vec![0.0; n])
    }

    #[test]
    fn a_single_spike_survives() {
        let (xs, mut ys) = line(1_000_000);
        ys[654_321] = 100.0;
        ys[123_456] = -5.0;
        let out = min_max(&xs, &ys, 0.0, 999_999.0, 80);
        assert!(out.len() <= 2 * 80 + 2, "{} points", out.len());
        assert!(out.contains(&(654_321.0, 100.0)));
        assert!(out.contains(&(123_456.0, -5.0)));
        // In curve order.
        assert!(out.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn short_curves_are_kept_whole_and_ranges_clip() {
        let (xs, ys) = line(10);
        assert_eq!(min_max(&xs, &ys, 0.0, 9.0, 80).len(), 10);
        // One point beyond each edge is kept so the line reaches the border.
        let out = min_max(&xs, &ys, 3.5, 5.5, 80);
        assert_eq!(out.first().map(|p| p.0), Some(3.0));
        assert_eq!(out.last().map(|p| p.0), Some(6.0));
        assert!(min_max(&[], &[], 0.0, 1.0, 10).is_empty());
        assert!(min_max(&xs, &ys, 20.0, 30.0, 10).len() <= 1);
    }

    #[test]
    fn gaps_stay_gaps() {
        let (xs, mut ys) = line(10_000);
        ys[5_000] = f64::NAN;
        ys[7_000] = f64::INFINITY;
        let out = min_max(&xs, &ys, 0.0, 9_999.0, 50);
        let gaps = out.iter().filter(|p| p.1.is_nan()).count();
        assert_eq!(gaps, 2);
        assert!(out.iter().all(|p| p.1.is_nan() || p.1 == 0.0));
    }

    #[test]
    fn zoomed_columns_bound_the_count() {
        let xs: Vec<f64> = (0..100_000).map(|i| i as f64).collect();
        let ys: Vec<f64> = xs.iter().map(|x| (x / 7.0).sin()).collect();
        let out = min_max(&xs, &ys, 10_000.0, 20_000.0, 100);
        assert!(out.len() <= 2 * 100 + 4);
        assert!(out.iter().any(|p| p.1 > 0.99));
        assert!(out.iter().any(|p| p.1 < -0.99));
    }
}
