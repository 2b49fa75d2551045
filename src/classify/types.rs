//! The classifier's public types.

use serde::Serialize;

pub use crate::model::Verdict;

pub use crate::model::Direction;

/// What a metric definition tells the classifier; everything is optional.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    pub direction: Direction,
    /// `yDomain [lo, hi]`: the reference scale for level judgements and a validity check.
    pub domain: Option<(f64, f64)>,
    /// The best value the metric can reach (a loss 0): without a domain, progress is judged
    /// against the distance from the start to it.
    pub floor: Option<f64>,
    /// Fewer finite points give `insufficient_data` (default 8, at least 3).
    pub min_points: Option<usize>,
    /// Plateau patience in points (default max(4, ⌈n/10⌉)).
    pub patience: Option<usize>,
    /// Smallest change that counts as progress, in the metric's units.
    pub min_delta: Option<f64>,
    /// Lightning semantics: a current level worse than this is `diverging`.
    pub divergence_threshold: Option<f64>,
    /// Swing ratio (see [`Evidence::swing_ratio`]) at or above which a curve whose swings
    /// dominate its trend is `oscillating` (default 0.15).
    pub oscillation_threshold: Option<f64>,
    /// The metric is not expected to improve (a learning rate, a gradient norm): holding still
    /// is healthy, not stagnant.
    pub steady: bool,
}

/// A secondary finding; never a verdict by itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// No improvement beyond `min_delta` for more than `patience` points, lasting to the
    /// end, since this step (the last improvement).
    Plateau { from_step: i64 },
    /// Steps of isolated jumps in the worse direction (the largest 20).
    Spikes { steps: Vec<i64> },
    /// Finite values outside the domain.
    OutOfDomain { min: f64, max: f64, message: String },
    /// The definition gives no direction: only direction-free checks ran.
    DirectionUnknown,
    /// NaN or ±Inf values.
    NonFinite { count: usize, first_step: i64 },
    /// Finite values better than the floor (a loss below 0): judged without a floor.
    PastFloor { floor: f64, message: String },
}

impl Flag {
    /// A warning about the data itself, worth a line of its own beside the verdict: values
    /// outside the domain or past the floor.
    pub fn warning(&self) -> Option<&str> {
        match self {
            Flag::OutOfDomain { message, .. } | Flag::PastFloor { message, .. } => Some(message),
            _ => None,
        }
    }
}

/// The verdict, one plain-English line with numbers, flags, and the evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub verdict: Verdict,
    pub reason: String,
    pub flags: Vec<Flag>,
    pub evidence: Evidence,
}

/// The numbers behind a verdict. Values are in the metric's own units **as plotted**
/// (not oriented): a falling loss has a negative `slope`. Non-finite numbers (not
/// computable) serialize as `null`.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// First and last step of the tail window the trend statistics rest on (the last 40%
    /// of the points, at least 6).
    pub window: (i64, i64),
    /// Finite raw points in the window.
    pub points: usize,
    /// Points the statistics ran on (≤ 1,024: bucket medians for long curves).
    pub analysis_points: usize,
    /// Whether the curve was reduced to bucket medians.
    pub bucketed: bool,
    /// Hamed–Rao Mann–Kendall Z over the window (> 0: values rise).
    pub trend_z: f64,
    /// Its two-sided p-value.
    pub trend_p: f64,
    /// Theil–Sen slope over the window, per step.
    pub slope: f64,
    /// `slope` × the window's step span.
    pub tail_change: f64,
    /// Robust point-to-point noise σ = 1.4826·MAD(Δy)/√2 of the analysed series.
    pub noise: f64,
    /// The window's swing (the larger of its point-to-point noise and the IQR/1.349 of its
    /// residuals from the Theil–Sen line) divided by the reference scale R (total progress,
    /// at least 5% of the domain's span).
    pub swing_ratio: f64,
    /// Start level: the first value, or the median of the first three when they do not
    /// move one way (for a bucketed curve, of bucket medians).
    pub start: f64,
    /// Current level: median of the last 5% of the points (at least 3).
    pub current: f64,
    /// Progress from the start to the best, in the better direction (≥ 0; for an unknown
    /// direction, the largest excursion from the start).
    pub progress: f64,
    /// Best level of the rolling-median-smoothed curve (NaN when the direction is unknown).
    pub best: f64,
    pub best_step: i64,
    /// Step where the plateau lasting to the end began.
    pub plateau_step: Option<i64>,
    /// NaN or ±Inf values.
    pub non_finite: usize,
    pub first_non_finite_step: Option<i64>,
    /// Number of spike points (the flag lists at most 20).
    pub spikes: usize,
    /// Current level's position in the domain, 0 at its worst end and 1 at its best.
    pub domain_position: Option<f64>,
    /// Turning-point rate of the window (≈ 2/3 for white noise, 1 for a zig-zag).
    pub turning_rate: f64,
    /// Lag-1 autocorrelation of the window's residuals (≈ −1 for a zig-zag).
    pub lag1_autocorr: f64,
}
