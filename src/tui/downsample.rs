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

/// Per-block extremes of a curve at block sizes 32, 1024, 32768…, built once (O(n)), so the
/// extremes of any index range take O(32 × levels) instead of a scan: panning and zooming a
/// million-point curve re-reads a few thousand numbers, not a million.
#[derive(Debug, Clone, Default)]
pub struct Extremes {
    /// `levels[k]` holds blocks of `32^(k+1)` points.
    levels: Vec<Vec<Summary>>,
}

/// Extremes of a range: (value, index) of its lowest and highest finite points, its first
/// non-finite point.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    min: Option<(f64, u32)>,
    max: Option<(f64, u32)>,
    gap: Option<u32>,
}

const FAN: usize = 32;

impl Summary {
    fn point(i: usize, y: f64) -> Summary {
        let i = i as u32;
        if y.is_finite() {
            Summary {
                min: Some((y, i)),
                max: Some((y, i)),
                gap: None,
            }
        } else {
            Summary {
                gap: Some(i),
                ..Summary::default()
            }
        }
    }

    /// Combine with a range that comes after this one.
    fn merge(&mut self, o: &Summary) {
        if let Some(m) = o.min
            && self.min.is_none_or(|s| m.0 < s.0)
        {
            self.min = Some(m);
        }
        if let Some(m) = o.max
            && self.max.is_none_or(|s| m.0 > s.0)
        {
            self.max = Some(m);
        }
        if self.gap.is_none() {
            self.gap = o.gap;
        }
    }

    /// Its points in curve order.
    fn emit(&self, xs: &[f64], out: &mut Vec<(f64, f64)>) {
        let mut picks = [
            self.min.map(|m| (m.1, m.0)),
            self.max.map(|m| (m.1, m.0)),
            self.gap.map(|g| (g, f64::NAN)),
        ];
        picks.sort_unstable_by_key(|p| p.map(|p| p.0));
        let mut last = None;
        for (i, y) in picks.into_iter().flatten() {
            if last != Some(i) {
                out.push((xs[i as usize], y));
                last = Some(i);
            }
        }
    }
}

/// The extremes of one block of points starting at index `at` (a tight loop: this is the
/// O(n) part).
fn block(at: usize, chunk: &[f64]) -> Summary {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut lo_i, mut hi_i) = (usize::MAX, usize::MAX);
    let mut gap = None;
    for (j, &y) in chunk.iter().enumerate() {
        if y.is_finite() {
            if y < lo {
                lo = y;
                lo_i = j;
            }
            if y > hi {
                hi = y;
                hi_i = j;
            }
        } else if gap.is_none() {
            gap = Some((at + j) as u32);
        }
    }
    Summary {
        min: (lo_i != usize::MAX).then_some((lo, (at + lo_i) as u32)),
        max: (hi_i != usize::MAX).then_some((hi, (at + hi_i) as u32)),
        gap,
    }
}

impl Extremes {
    pub fn new(ys: &[f64]) -> Extremes {
        let mut levels: Vec<Vec<Summary>> = Vec::new();
        let first: Vec<Summary> = ys
            .chunks(FAN)
            .enumerate()
            .map(|(c, chunk)| block(c * FAN, chunk))
            .collect();
        let mut below = first;
        while below.len() > 1 {
            let next: Vec<Summary> = below
                .chunks(FAN)
                .map(|chunk| {
                    let mut s = Summary::default();
                    chunk.iter().for_each(|b| s.merge(b));
                    s
                })
                .collect();
            levels.push(below);
            below = next;
        }
        levels.push(below);
        Extremes { levels }
    }

    /// The extremes of `ys[a..b]` (`ys` is the curve this was built from).
    pub fn range(&self, ys: &[f64], a: usize, b: usize) -> Summary {
        let mut acc = Summary::default();
        let mut i = a;
        while i < b {
            let mut size = 1;
            let mut level = None;
            for (k, blocks) in self.levels.iter().enumerate() {
                let s = size * FAN;
                if i.is_multiple_of(s) && i + s <= b && i / s < blocks.len() {
                    size = s;
                    level = Some(k);
                } else {
                    break;
                }
            }
            match level {
                Some(k) => acc.merge(&self.levels[k][i / size]),
                None => acc.merge(&Summary::point(i, ys[i])),
            }
            i += size;
        }
        acc
    }
}

/// [`min_max`] over a curve with its [`Extremes`]: the same points, found by bisection per
/// column instead of a scan.
pub fn min_max_indexed(
    xs: &[f64],
    ys: &[f64],
    ext: &Extremes,
    x0: f64,
    x1: f64,
    columns: usize,
) -> Vec<(f64, f64)> {
    let n = xs.len().min(ys.len());
    let (xs, ys) = (&xs[..n], &ys[..n]);
    let start = xs.partition_point(|&x| x < x0).saturating_sub(1);
    let end = (xs.partition_point(|&x| x <= x1) + 1).min(n);
    let columns = columns.max(1);
    if start >= end || end - start <= 2 * columns || x1 <= x0 {
        return min_max(xs, ys, x0, x1, columns);
    }
    let width = (x1 - x0) / columns as f64;
    let mut out = Vec::with_capacity(2 * columns + 6);
    // The point before the range, the columns, the point after it.
    let first = xs.partition_point(|&x| x < x0);
    ext.range(ys, start, first).emit(xs, &mut out);
    let mut a = first;
    for c in 1..=columns {
        let b = if c == columns {
            xs.partition_point(|&x| x <= x1)
        } else {
            let edge = x0 + c as f64 * width;
            a + xs[a..].partition_point(|&x| x < edge)
        };
        ext.range(ys, a, b).emit(xs, &mut out);
        a = b;
    }
    ext.range(ys, a, end).emit(xs, &mut out);
    out
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
    fn the_index_finds_what_the_scan_finds() {
        let mut state = 7u64;
        let xs: Vec<f64> = (0..70_000).map(|i| i as f64).collect();
        let ys: Vec<f64> = (0..70_000)
            .map(|i| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                match i % 9973 {
                    0 => f64::NAN,
                    _ => (state >> 11) as f64,
                }
            })
            .collect();
        let ext = Extremes::new(&ys);
        for (x0, x1, cols) in [(0.0, 65_536.0, 64), (1024.0, 33_792.0, 128), (-5.0, 1e9, 7)] {
            let scan = min_max(&xs, &ys, x0, x1, cols);
            let fast = min_max_indexed(&xs, &ys, &ext, x0, x1, cols);
            assert_eq!(scan.len(), fast.len(), "{x0}..{x1}");
            for (a, b) in scan.iter().zip(&fast) {
                assert!(a.0 == b.0 && (a.1 == b.1 || (a.1.is_nan() && b.1.is_nan())));
            }
        }
        let r = ext.range(&ys, 5, 40_000);
        let want = ys[5..40_000]
            .iter()
            .copied()
            .filter(|y| y.is_finite())
            .fold(0.0, f64::max);
        assert_eq!(r.max.map(|m| m.0), Some(want));
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
