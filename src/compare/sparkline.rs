//! Sparklines that compare: the runs of one metric share their scales.

/// Block characters from low to high.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of `width` characters over the x range `xr` and y range `yr` (shared by the runs
/// of one metric, so their lines compare): the mean of each column, `!` where a column holds
/// only non-finite values, a space where it holds none.
pub fn sparkline(xs: &[f64], ys: &[f64], xr: (f64, f64), yr: (f64, f64), width: usize) -> String {
    let mut sum = vec![0.0; width];
    let mut n = vec![0u32; width];
    let mut bad = vec![false; width];
    let span = (xr.1 - xr.0).max(f64::MIN_POSITIVE);
    for (&x, &y) in xs.iter().zip(ys) {
        let c = (((x - xr.0) / span) * (width as f64 - 1.0)).round();
        let c = (c.max(0.0) as usize).min(width - 1);
        if y.is_finite() {
            sum[c] += y;
            n[c] += 1;
        } else {
            bad[c] = true;
        }
    }
    let height = (yr.1 - yr.0).max(f64::MIN_POSITIVE);
    (0..width)
        .map(|c| {
            if n[c] > 0 {
                let level = ((sum[c] / n[c] as f64 - yr.0) / height * 7.0).round();
                BARS[(level.max(0.0) as usize).min(7)]
            } else if bad[c] {
                '!'
            } else {
                ' '
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_share_scales() {
        let xs = [0.0, 1.0, 2.0, 3.0];
        assert_eq!(
            sparkline(&xs, &[0.0, 1.0, 2.0, 3.0], (0.0, 3.0), (0.0, 3.0), 4),
            "▁▃▆█"
        );
        assert_eq!(
            sparkline(&xs, &[0.0, 0.0, 0.0, f64::NAN], (0.0, 3.0), (0.0, 3.0), 4),
            "▁▁▁!"
        );
        assert_eq!(sparkline(&[0.0], &[1.0], (0.0, 3.0), (0.0, 2.0), 4), "▅   ");
    }
}
