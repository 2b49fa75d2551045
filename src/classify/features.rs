//! The numbers the verdict rests on, computed on the oriented analysis series
//! (higher is better; raw values for an unknown direction). See `classify`'s doc comment.

use super::reduce::{Cleaned, Reduced};
use super::robust::{
    IQR_TO_SD, MAD_TO_SD, acf, diff_noise, iqr, lag1_autocorr, median, midpoint, percentile,
    rolling_median, turning_rate,
};
use super::slope::theil_sen;
use super::trend::{MannKendall, hamed_rao_conservative};

/// Share of the analysis points that form the tail (the "recent" window).
pub const TAIL_FRACTION: f64 = 0.4;
/// The tail has at least this many points.
pub const TAIL_MIN: usize = 6;

/// A domain in oriented units: `lo` is the worst end, `hi` the best end.
#[derive(Debug, Clone, Copy)]
pub struct OrientedDomain {
    pub lo: f64,
    pub hi: f64,
}

impl OrientedDomain {
    pub fn span(&self) -> f64 {
        self.hi - self.lo
    }
}

#[derive(Debug, Clone)]
pub struct Features {
    /// The first analysis value: all levels below (start, current, smooth, tail band,
    /// domain) are relative to it. Add it back to report a level.
    pub offset: f64,
    /// Start, best and current levels computed from the unshifted (oriented) values, for
    /// reporting exact numbers (`offset + level` may differ in the last bit).
    pub reported: [f64; 3],
    /// Whether the direction is known (otherwise values are raw and checks are two-sided).
    pub known: bool,
    /// Number of analysis points.
    pub n: usize,
    /// Point-to-point noise of the whole analysis series.
    pub sigma: f64,
    /// Start level L₀: the first value, or the median of the first three when they do not
    /// move one way.
    pub start: f64,
    /// Rolling-median smoothed analysis series.
    pub smooth: Vec<f64>,
    /// Index of the best smoothed point (for an unknown direction: the farthest from L₀).
    pub best_index: usize,
    /// Progress P = best − L₀ (oriented; |excursion| for an unknown direction), ≥ 0.
    pub progress: f64,
    /// Current level: median of the last `current_points` = max(3, ⌈n/20⌉) points.
    pub current: f64,
    pub current_points: usize,
    /// How far the current level is below the best (oriented), ≥ 0 when worse.
    pub gap: f64,
    /// Reference scale R = max(P, 5% of the domain's span, IQR/2 of the series).
    pub reference: f64,
    pub domain: Option<OrientedDomain>,
    /// Without a domain: the distance from the start to the floor (the best value the metric
    /// can reach), in oriented units.
    pub to_floor: Option<f64>,
    /// First index of the tail.
    pub tail_start: usize,
    /// Hamed–Rao (floored) Mann–Kendall over the tail (oriented).
    pub tail_mk: MannKendall,
    /// Theil–Sen slope of the tail per step (oriented).
    pub tail_slope: f64,
    /// Tail change D = slope × the tail's step span (oriented).
    pub tail_change: f64,
    /// Swing: a standard-deviation-like size of the tail's wobble, max(point-to-point
    /// noise, IQR/1.349 of the residuals from the tail's Theil–Sen line), measured on the
    /// tail's points when its residuals are structured (a zig-zag, waves), else on the
    /// medians of ≤ 15 blocks of ≥ 3 points (white noise, read through as the eye does).
    pub swing: f64,
    /// Swing / R.
    pub swing_ratio: f64,
    /// Median within-bucket spread over the tail's buckets / R (bucketed curves; else 0).
    pub raw_swing_ratio: f64,
    /// Turning-point rate of the raw tail points (bucketed curves; else the tail's).
    pub raw_turning: f64,
    /// Turning-point rate of the tail.
    pub turning: f64,
    /// Lag-1 autocorrelation of the tail's residuals from its Theil–Sen line.
    pub rho1: f64,
    /// IQR/1.349 of the tail's residuals from its Theil–Sen line (point level).
    pub tail_spread: f64,
    /// 10th, 50th and 90th percentiles of the tail's values (its band).
    pub tail_low: f64,
    pub tail_mid: f64,
    pub tail_high: f64,
    /// Wander: 1.4826·MAD of the residuals from the line through the medians of ten
    /// blocks. Unlike `sigma` it sees slow, autocorrelated wandering; being a MAD it
    /// ignores a short blow-up.
    pub wander: f64,
    /// The tail zig-zags: turning rate ≥ 0.8 and lag-1 autocorrelation ≤ −0.4.
    pub zigzag: bool,
    /// The resolution of the tail's values: the smallest gap between two distinct values
    /// (a loss printed with two decimals moves by 0.01 or not at all); 0 for one value.
    pub tail_quantum: f64,
    /// Hamed–Rao (floored) Mann–Kendall over the whole analysis series (oriented).
    pub full_mk: MannKendall,
    /// Hamed–Rao (floored) Mann–Kendall from the best point to the end (≥ 5 points).
    pub after_best_mk: Option<MannKendall>,
    /// Hamed–Rao (floored) Mann–Kendall from the start to the best point (≥ 5 points).
    pub before_best_mk: Option<MannKendall>,
}

impl Features {
    /// Current level's position in the oriented domain (0 worst end, 1 best end).
    pub fn position(&self) -> Option<f64> {
        self.domain.map(|d| (self.current - d.lo) / d.span())
    }

    /// Share of the headroom at the start (best end − L₀) that the progress closed.
    pub fn headroom_closed(&self) -> Option<f64> {
        self.domain.map(|d| {
            let h = d.hi - self.start;
            if h > 0.0 { self.progress / h } else { 1.0 }
        })
    }

    /// Number of tail points.
    pub fn tail_len(&self) -> usize {
        self.n - self.tail_start
    }
}

/// Turning rate and lag-1 autocorrelation that make a tail a zig-zag (white noise has
/// 2/3 and 0).
pub const ZIGZAG_TURNING: f64 = 0.8;
pub const ZIGZAG_RHO1: f64 = -0.4;
/// |Autocorrelation| at a lag of 1–4 that marks the tail's residuals as structured.
pub const STRUCTURED_ACF: f64 = 0.4;
/// …and above this many standard errors of a white-noise autocorrelation (1/√n).
pub const ACF_CHANCE_BOUND: f64 = 2.5;
/// Long tails are read as this many block medians.
pub const TAIL_BLOCKS: usize = 15;

/// max(point-to-point noise, IQR/1.349 of the residuals).
fn wobble(values: &[f64], resid: &[f64]) -> f64 {
    diff_noise(values).max(iqr(resid) * IQR_TO_SD)
}

/// [`wobble`] of the medians of ≤ [`TAIL_BLOCKS`] equal blocks of ≥ 3 points (residuals
/// from the line), less what the points' own white noise gives block medians (a median of b
/// points wanders by about 1.25σ/√b): a noisy but steady band has no swing of its own.
fn blocked_wobble(values: &[f64], steps: &[f64], slope: f64, intercept: f64) -> f64 {
    let n = values.len();
    let blocks = (n / 3).clamp(1, TAIL_BLOCKS);
    let per_block = (n / blocks).max(1) as f64;
    let expected = MEDIAN_EFFICIENCY * diff_noise(values) / per_block.sqrt();
    let mut med = Vec::with_capacity(blocks);
    let mut resid = Vec::with_capacity(blocks);
    for k in 0..blocks {
        let (lo, hi) = (k * n / blocks, (k + 1) * n / blocks);
        let v = median(&values[lo..hi]);
        let x = median(&steps[lo..hi]);
        med.push(v);
        resid.push(v - (intercept + slope * x));
    }
    let w = wobble(&med, &resid);
    (w * w - expected * expected).max(0.0).sqrt()
}

/// The standard deviation of a median of b normal values is about this times σ/√b.
const MEDIAN_EFFICIENCY: f64 = 1.2533;

/// Whole-curve trend tests run on at most this many points (medians of equal blocks):
/// they ask whether there is a trend, not where, and Hamed–Rao costs O(n²).
pub const COARSE_POINTS: usize = 256;

/// Medians of ≤ [`COARSE_POINTS`] equal blocks (the series itself when short enough).
fn coarse(a: &[f64]) -> Vec<f64> {
    let n = a.len();
    if n <= COARSE_POINTS {
        return a.to_vec();
    }
    (0..COARSE_POINTS)
        .map(|k| median(&a[k * n / COARSE_POINTS..(k + 1) * n / COARSE_POINTS]))
        .collect()
}

/// Wander: 1.4826·MAD of the residuals from a level that follows the curve at the scale
/// of a tenth of it (the medians of ten blocks, linearly interpolated between the blocks'
/// centres). O(n).
fn wander(a: &[f64]) -> f64 {
    let n = a.len();
    let blocks = n.min(10);
    if blocks < 2 {
        return 0.0;
    }
    let centre = |k: usize| ((k * n / blocks + (k + 1) * n / blocks) as f64 - 1.0) / 2.0;
    let meds: Vec<f64> = (0..blocks)
        .map(|k| median(&a[k * n / blocks..(k + 1) * n / blocks]))
        .collect();
    let mut k = 0;
    let dev: Vec<f64> = (0..n)
        .map(|i| {
            let x = i as f64;
            while k + 2 < blocks && x > centre(k + 1) {
                k += 1;
            }
            let (x0, x1) = (centre(k), centre(k + 1));
            let t = ((x - x0) / (x1 - x0)).clamp(0.0, 1.0);
            (a[i] - (meds[k] + t * (meds[k + 1] - meds[k]))).abs()
        })
        .collect();
    MAD_TO_SD * median(&dev)
}

/// The start level: the first value, where a person reads the start of a curve; but the
/// median of the first three values when they do not move one way (a noisy or zig-zagging
/// start), so one stray first point does not count as progress. (For a bucketed curve the
/// first value is already the median of its first bucket.)
fn start_level(a: &[f64]) -> f64 {
    match a {
        [x, y, z, ..] if !((x <= y && y <= z) || (x >= y && y >= z)) => median(&[*x, *y, *z]),
        [x, ..] => *x,
        [] => f64::NAN,
    }
}

fn smoothing_window(n: usize) -> usize {
    if n <= 100 { 5 } else { ((n / 20) | 1).min(51) }
}

/// Computes the features. `raw` supplies the raw points behind buckets; `known` says
/// whether `red`'s values are oriented by a known direction.
pub fn compute(
    raw: &Cleaned,
    red: &Reduced,
    known: bool,
    domain: Option<OrientedDomain>,
    floor: Option<f64>,
) -> Features {
    // Work relative to the first value: every level below is a difference, so shifting a
    // curve changes no bit of the analysis (and large offsets cost no precision).
    let offset = red.values[0];
    let rel: Vec<f64> = red.values.iter().map(|v| v - offset).collect();
    let a = &rel;
    let domain = domain.map(|d| OrientedDomain {
        lo: d.lo - offset,
        hi: d.hi - offset,
    });
    let n = a.len();
    let steps: Vec<f64> = red.steps.iter().map(|&s| s as f64).collect();
    let sigma = diff_noise(a);
    let start = start_level(a);
    let smooth = rolling_median(a, smoothing_window(n));
    let score = |v: f64| if known { v - start } else { (v - start).abs() };
    let mut best_index = 0;
    for (i, &v) in smooth.iter().enumerate() {
        if score(v) > score(smooth[best_index]) {
            best_index = i;
        }
    }
    let progress = score(smooth[best_index]).max(0.0);
    let to_floor = floor
        .map(|fl| fl - offset - start)
        .filter(|d| *d > 0.0 && domain.is_none());
    let k_end = n.div_ceil(20).max(3).min(n);
    let current = median(&a[n - k_end..]);
    let gap = if known {
        smooth[best_index] - current
    } else {
        0.0
    };
    let reference = domain
        .map_or(progress, |d| progress.max(0.05 * d.span()))
        .max(0.5 * iqr(a))
        .max(f64::MIN_POSITIVE);

    let tail_len = ((n as f64 * TAIL_FRACTION).ceil() as usize)
        .max(TAIL_MIN)
        .min(n);
    let tail_start = n - tail_len;
    let (ta, ts) = (&a[tail_start..], &steps[tail_start..]);
    // Trend statistics on ≤ 256 block medians of the tail (O(n²) tests, same answer).
    let (cts, cta) = (coarse(ts), coarse(ta));
    let fit = theil_sen(&cts, &cta);
    let tail_slope = if fit.slope.is_finite() {
        fit.slope
    } else {
        0.0
    };
    let intercept = if fit.intercept.is_finite() {
        fit.intercept
    } else {
        median(ta)
    };
    let resid: Vec<f64> = ta
        .iter()
        .zip(ts)
        .map(|(y, x)| y - (intercept + tail_slope * x))
        .collect();
    let turning = turning_rate(ta);
    let tail_quantum = {
        let mut v: Vec<f64> = ta.to_vec();
        v.sort_by(f64::total_cmp);
        v.windows(2)
            .map(|w| w[1] - w[0])
            .filter(|d| *d > 0.0)
            .fold(f64::INFINITY, f64::min)
    };
    let tail_quantum = if tail_quantum.is_finite() {
        tail_quantum
    } else {
        0.0
    };
    let rho1 = lag1_autocorr(&resid);
    // Beyond what chance gives white noise at this length (|acf| of n white values is about
    // 1/√n: a 24-point tail reaches 0.4 at some lag one time in five).
    let chance = ACF_CHANCE_BOUND / (resid.len() as f64).sqrt();
    let zigzag = turning >= ZIGZAG_TURNING && rho1 <= ZIGZAG_RHO1;
    let acf_bound = STRUCTURED_ACF.max(chance);
    let structured = zigzag || (1..=4).any(|k| acf(&resid, k).abs() >= acf_bound);
    let tail_spread = iqr(&resid) * IQR_TO_SD;
    // White noise is read through (as the eye averages a dense band); waves and zig-zags
    // are read point by point.
    let swing = if structured {
        wobble(ta, &resid)
    } else {
        blocked_wobble(ta, ts, tail_slope, intercept)
    };
    // A zig-zag hides its drift from rank tests: test the trend on the 2-point moving
    // average, which cancels a period-2 alternation.
    let (tail_mk, tail_slope) = if zigzag && ta.len() >= 6 {
        let ma: Vec<f64> = ta.windows(2).map(|w| midpoint(w[0], w[1])).collect();
        let mx: Vec<f64> = ts.windows(2).map(|w| midpoint(w[0], w[1])).collect();
        let (cmx, cma) = (coarse(&mx), coarse(&ma));
        let s = theil_sen(&cmx, &cma).slope;
        (
            hamed_rao_conservative(&cma),
            if s.is_finite() { s } else { 0.0 },
        )
    } else {
        (hamed_rao_conservative(&cta), tail_slope)
    };
    let tail_change = tail_slope * (ts[ts.len() - 1] - ts[0]);
    let (raw_swing_ratio, raw_turning) = if red.bucketed() {
        let within = median(&red.within_sd[tail_start..]);
        let raw_from = red.ranges[tail_start].0;
        (within / reference, turning_rate(&raw.values[raw_from..]))
    } else {
        (0.0, turning_rate(ta))
    };
    let wander = wander(a);
    let before_best_mk =
        (best_index >= 4).then(|| hamed_rao_conservative(&coarse(&a[..=best_index])));
    let after_best_mk =
        (n - best_index >= 5).then(|| hamed_rao_conservative(&coarse(&a[best_index..])));
    let half = smoothing_window(n) / 2;
    let h = half.min(best_index).min(n - 1 - best_index);
    let reported = [
        start_level(&red.values),
        median(&red.values[best_index - h..=best_index + h]),
        median(&red.values[n - k_end..]),
    ];
    Features {
        offset,
        reported,
        known,
        n,
        sigma,
        start,
        best_index,
        progress,
        current,
        current_points: k_end,
        gap,
        reference,
        domain,
        to_floor,
        tail_start,
        tail_mk,
        tail_slope,
        tail_change,
        swing,
        swing_ratio: swing / reference,
        raw_swing_ratio,
        raw_turning,
        turning,
        rho1,
        zigzag,
        tail_quantum,
        tail_spread,
        tail_low: percentile(ta, 10.0),
        tail_mid: median(ta),
        tail_high: percentile(ta, 90.0),
        wander,
        full_mk: hamed_rao_conservative(&coarse(a)),
        after_best_mk,
        before_best_mk,
        smooth,
    }
}
