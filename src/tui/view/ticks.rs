//! Readable axis ticks: bounds widened to round numbers (1, 2, 2.5 or 5 × 10^k apart), so
//! labels spread evenly along an axis land on round values; numbers written short (`12k`,
//! `0.25`, `3e-5`), durations in s, min or h.

/// Tick positions over `lo..=hi`: at most about `max` of them, evenly spaced, on round
/// numbers; the first and last are the axis bounds.
pub fn nice(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    };
    let step = nice_step((hi - lo) / max.max(2).saturating_sub(1) as f64);
    let first = (lo / step).floor() * step;
    let last = (hi / step).ceil() * step;
    let n = ((last - first) / step).round() as usize;
    (0..=n.min(50)).map(|i| first + i as f64 * step).collect()
}

/// Ticks for a log10 axis (values are exponents): whole decades when the range spans two or
/// more, else as [`nice`].
pub fn nice_log(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let (first, last) = (lo.floor(), hi.ceil());
    if last - first < 2.0 || !(first.is_finite() && last.is_finite()) {
        return nice(lo, hi, max);
    }
    let every = ((last - first) / max.max(2).saturating_sub(1) as f64).ceil();
    let first = (first / every).floor() * every;
    let last = (last / every).ceil() * every;
    let n = ((last - first) / every).round() as usize;
    (0..=n.min(50)).map(|i| first + i as f64 * every).collect()
}

/// A value on a log axis (`v` is its exponent), to two significant digits.
pub fn log_label(v: f64) -> String {
    let x = 10f64.powf(v);
    if !(1e-4..1e15).contains(&x) {
        return format!("{x:.0e}");
    }
    if x >= 1000.0 {
        return number(x, 10f64.powf(x.log10().floor() - 1.0));
    }
    let prec = (1.0 - x.log10().floor()).max(0.0) as usize;
    let s = format!("{x:.prec$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// The round step at or above `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|&m| f <= m * (1.0 + 1e-9))
        .unwrap_or(10.0);
    m * mag
}

/// A tick value, written as short as its spacing `step` allows.
pub fn number(v: f64, step: f64) -> String {
    if v == 0.0 || v.abs() < step.abs() * 1e-9 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-4..1e15).contains(&a) {
        return format!("{v:.1e}");
    }
    for (div, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] {
        if a >= div && step >= div / 100.0 {
            return format!("{}{suffix}", trim(v / div, step / div));
        }
    }
    trim(v, step)
}

fn trim(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 8.0) as usize + 1
    };
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// The unit to write a time axis in: (seconds per unit, suffix).
pub fn time_unit(span: f64) -> (f64, &'static str) {
    if span >= 3.0 * 3600.0 {
        (3600.0, "h")
    } else if span >= 180.0 {
        (60.0, "m")
    } else {
        (1.0, "s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            nice(0.0, 1937.0, 5),
            vec![0.0, 500.0, 1000.0, 1500.0, 2000.0]
        );
        assert_eq!(nice(0.12, 0.93, 5), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert!(nice(3.0, 3.0, 5).len() >= 2);
        let t = nice(-2.2, -0.4, 4);
        assert!(t[0] <= -2.2 && *t.last().unwrap_or(&0.0) >= -0.4);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(1500.0, 500.0), "1.5k");
        assert_eq!(number(2_000_000.0, 500_000.0), "2M");
        assert_eq!(number(0.25, 0.25), "0.25");
        assert_eq!(number(0.0, 0.25), "0");
        assert_eq!(number(30.0, 10.0), "30");
        assert_eq!(number(0.00002, 0.00001), "2.0e-5");
        assert_eq!(nice_log(-2.3, 0.4, 6), vec![-3.0, -2.0, -1.0, 0.0, 1.0]);
        assert_eq!(log_label(-2.0), "0.01");
        assert_eq!(log_label(0.5), "3.2");
        assert_eq!(log_label(3.0), "1k");
    }
}
