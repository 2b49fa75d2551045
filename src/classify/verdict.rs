//! The label rules (first match wins) and their plain-English reasons. Every comparison is
//! between differences of values (or a difference and the domain's span), so the verdict
//! is invariant to shifting or scaling a curve (with its domain), and to negating it with
//! its direction.

use super::Verdict;
use super::features::Features;
use super::text::{num, p_text, signed};

/// Significance gate for trends.
pub const ALPHA: f64 = 0.05;
/// Oscillating: swing / R at or above this (overridable by `Spec::oscillation_threshold`).
pub const OSCILLATION_RATIO: f64 = 0.15;
/// Oscillating, bucketed curves: within-bucket spread / R at or above this, with…
pub const RAW_OSCILLATION_RATIO: f64 = 0.5;
/// Without a domain: a zig-zag oscillates when its swing is at least this share of the tail's
/// 10–90% band.
pub const ZIGZAG_BAND_SHARE: f64 = 0.3;
/// … and its swing is more than this many steps of the values' resolution.
pub const ZIGZAG_QUANTA: f64 = 2.0;
/// …a raw turning-point rate this far above white noise's 2/3.
pub const RAW_ZIGZAG_TURNING: f64 = 0.85;
/// A tail change must exceed this many swings to count as a trend rather than a wobble.
pub const TREND_OVER_SWING: f64 = 2.0;
/// Diverging: the current level is below the best by ≥ this share of R…
pub const DIVERGE_GAP: f64 = 0.1;
/// …and by ≥ this many noise units of the current level (σ/√k for a median of k points).
pub const DIVERGE_NOISE: f64 = 4.0;
/// A blow-up (no trend test needed): ≥ this share of R and ≥ this many noise units.
pub const BLOWUP_GAP: f64 = 0.5;
pub const BLOWUP_NOISE: f64 = 8.0;
/// A significant rise to the best counts as real progress when it spans this many noise
/// (or wander) units.
pub const RISE_NOISE: f64 = 5.0;
/// Wander units a worsening must exceed: steady, and blow-up.
pub const DIVERGE_WANDER: f64 = 2.0;
pub const BLOWUP_WANDER: f64 = 6.0;
/// Unknown direction: the distance from the start grows this many times (vs. the first half).
pub const EXPLODE_FACTOR: f64 = 10.0;
/// Clear progress: P ≥ this many noise (and wander) units…
pub const PROGRESS_NOISE: f64 = 3.0;
/// …and this many tail spreads (or a significant whole-curve trend).
pub const PROGRESS_SWINGS: f64 = 4.0;
/// An oscillation swings around progress of at least this many swings.
pub const OSC_PROGRESS_SWINGS: f64 = 2.0;
/// Still improving: the tail change exceeds this many spreads of the tail…
pub const IMPROVE_SPREADS: f64 = 1.5;
/// …and: tail change ≥ this share of R (and ≥ 1% of the domain's span).
pub const IMPROVE_SHARE: f64 = 0.02;
/// Converged at a good level (domain only): position in the domain ≥ this…
pub const GOOD_POSITION: f64 = 0.5;
/// …and either the progress closed this share of the headroom…
pub const GOOD_HEADROOM: f64 = 0.25;
/// …or the level is this close to the best end…
pub const TOP_POSITION: f64 = 0.9;
/// …or the progress was this many practical changes (2% of the domain's span: an accuracy
/// going 0.82 → 0.85 with little noise has converged, not stalled).
pub const CONVERGED_PRACTICAL: f64 = 2.0;
/// A best that closed this share of the metric's scale (its domain, or the way from the start
/// to the floor) was real progress, whatever its trend test.
pub const REAL_PROGRESS_SHARE: f64 = 0.25;
/// A change matters in practice from this share of the domain's span, or of the distance from
/// the start to the floor.
pub const PRACTICAL_SHARE: f64 = 0.01;
/// A worsening after real progress is diverging only past this many practical changes (2% of
/// the scale)…
pub const DIVERGE_PRACTICAL: f64 = 2.0;
/// …and a curve that never made real progress only when it ends this many below its start
/// (5%: an F1 going 0.066 → 0.037 is stagnant at failure, not diverging).
pub const DECLINE_PRACTICAL: f64 = 5.0;

/// What the rules need besides the features.
pub struct Context<'a> {
    pub f: &'a Features,
    /// +1 or −1: multiply oriented values by it to get raw ones.
    pub sign: f64,
    pub steps: &'a [i64],
    pub min_delta: f64,
    pub oscillation_ratio: f64,
    /// Step where the plateau that lasts to the end began, if any.
    pub plateau_step: Option<i64>,
}

impl Context<'_> {
    /// A level (relative to the features' offset, oriented) in the metric's own units.
    fn raw(&self, level: f64) -> f64 {
        self.sign * (level + self.f.offset)
    }
    /// The start, best and current levels in the metric's own units, exactly.
    fn start_raw(&self) -> f64 {
        self.sign * self.f.reported[0]
    }
    fn best_raw(&self) -> f64 {
        self.sign * self.f.reported[1]
    }
    pub fn current_raw(&self) -> f64 {
        self.sign * self.f.reported[2]
    }
    fn tail_from(&self) -> i64 {
        self.steps[self.f.tail_start]
    }
    fn tail_words(&self) -> String {
        let k = self.f.tail_len();
        if self.f.n <= 30 {
            format!("over the last {k} points (since step {})", self.tail_from())
        } else {
            format!(
                "over the last {:.0}% of points (since step {})",
                100.0 * k as f64 / self.f.n as f64,
                self.tail_from()
            )
        }
    }
}

/// Whether the curve made progress that noise cannot explain: P is at least 3 noise units,
/// 3 wander units, `min_delta` and 1% of the domain's span, and either 4 spreads of the
/// tail (so a wandering, autocorrelated curve does not count) or backed by a significant,
/// fairly monotonic trend over the whole curve (|tau| ≥ 0.3).
pub fn progress_is_clear(c: &Context) -> bool {
    let f = c.f;
    let trend = if f.known {
        f.full_mk.z > 0.0
    } else {
        f.full_mk.z != 0.0
    };
    f.progress > 0.0
        && f.progress >= PROGRESS_NOISE * f.sigma.max(f.wander)
        && f.progress >= c.min_delta
        && f.progress >= practical(f)
        && (f.progress >= PROGRESS_SWINGS * f.tail_spread
            || (trend && f.full_mk.p < ALPHA && f.full_mk.tau.abs() >= 0.3))
}

/// Progress an oscillation swings around: at least [`OSC_PROGRESS_SWINGS`] swings, with the
/// start outside the tail's band (below its 10th percentile; for an unknown direction,
/// outside its 10th–90th percentiles; the band's median for a zig-zag) by a swing or more,
/// so a curve that merely wanders around its start does not count.
fn swinging_around_progress(c: &Context) -> bool {
    let f = c.f;
    // A regular zig-zag is structure, not wander: compare with the band's centre.
    let (low, high) = if f.zigzag {
        (f.tail_mid, f.tail_mid)
    } else {
        (f.tail_low, f.tail_high)
    };
    let outside = if f.known {
        low - f.start
    } else {
        (low - f.start).max(f.start - high)
    };
    f.progress >= OSC_PROGRESS_SWINGS * f.swing
        && outside >= f.swing
        && f.progress >= c.min_delta
        && f.progress >= practical(f)
}

/// The smallest change that matters in practice, whatever its significance: a share of the
/// domain's span, else of the distance from the start to the floor (a loss that goes
/// 2.3072 → 2.3069 closes 0.01% of its way to 0: nothing). 0 for a metric with neither.
fn practical(f: &Features) -> f64 {
    PRACTICAL_SHARE * scale(f).unwrap_or(0.0)
}

/// What practical changes are measured against: the domain's span, else the distance from the
/// start to the floor.
fn scale(f: &Features) -> Option<f64> {
    f.domain.map(|d| d.span()).or(f.to_floor)
}

/// Diverging after the best: `Some(reason)`.
fn diverging(c: &Context, clear: bool) -> Option<String> {
    let f = c.f;
    if !f.known {
        return exploding(c);
    }
    // Noise scales of the whole curve: the tail's own spread would be inflated by the very
    // blow-up we are looking for; the wander keeps a slowly wandering curve from counting.
    // The current level is a median of `current_points` points: its noise shrinks with √k.
    let level_noise = f.sigma / (f.current_points as f64).sqrt();
    let steady_floor = (DIVERGE_GAP * f.reference)
        .max(DIVERGE_NOISE * level_noise)
        .max(DIVERGE_WANDER * f.wander)
        .max(DIVERGE_PRACTICAL * practical(f))
        .max(c.min_delta);
    if f.gap <= 0.0 || f.gap < steady_floor {
        return None;
    }
    let steady = f.after_best_mk.filter(|mk| mk.z < 0.0 && mk.p < ALPHA);
    let blowup = f.gap >= BLOWUP_GAP * f.reference
        && f.gap >= BLOWUP_NOISE * f.sigma
        && f.gap >= BLOWUP_WANDER * f.wander;
    if steady.is_none() && !blowup {
        return None;
    }
    // Worse than its best only counts when the best was real progress (clear over the
    // whole curve, or a significant rise of 5 noise units up to the best), or when the
    // curve is now worse than where it started, with a significant downward trend or by
    // six wander units. A wandering curve is none of these.
    let rise = f
        .before_best_mk
        .is_some_and(|mk| mk.z > 0.0 && mk.p < ALPHA)
        && f.progress >= RISE_NOISE * f.sigma.max(f.wander);
    // A best that closed a large share of the way to the floor (or of the domain) was real
    // progress however quickly it came (a validation loss that fell 1.63 → 0.30 in four
    // evaluations, too few for a trend test, then turned up) and however noisy what followed.
    let large = scale(f).is_some_and(|s| f.progress >= REAL_PROGRESS_SHARE * s)
        && f.progress >= RISE_NOISE * f.wander;
    let rise = rise || large;
    let below_start = f.start - f.current;
    let worse_overall = f.full_mk.z < 0.0 && f.full_mk.p < ALPHA && below_start >= steady_floor;
    let far_below_start = below_start >= steady_floor && below_start >= BLOWUP_WANDER * f.wander;
    if !clear && !rise && !worse_overall && !far_below_start {
        return None;
    }
    if !clear && !rise && below_start < DECLINE_PRACTICAL * practical(f) {
        return None;
    }
    let best_raw = c.best_raw();
    let cur_raw = c.current_raw();
    let best_step = c.steps[f.best_index];
    let how = match steady {
        Some(mk) => format!("worsening steadily ({})", p_text(mk.p)),
        None => "a sudden blow-up".to_string(),
    };
    let ratio = cur_raw / best_raw;
    Some(
        if best_raw > 0.0 && cur_raw > 0.0 && (ratio >= 1.5 || ratio <= 1.0 / 1.5) {
            format!(
                "{}× its best ({} at step {best_step}), {how}",
                num(ratio),
                num(best_raw)
            )
        } else {
            format!(
                "{} since its best at step {best_step} ({} → {}), {how}",
                signed(cur_raw - best_raw),
                num(best_raw),
                num(cur_raw),
            )
        },
    )
}

/// Unknown direction: the current distance from the start is ≥ [`EXPLODE_FACTOR`]× the
/// largest distance (smoothed) over the first half, and ≥ that many noise units (a
/// gradient norm blowing up), in either direction. A first half without any variation is
/// a schedule or a counter, not a measurement, and is left alone.
fn exploding(c: &Context) -> Option<String> {
    let f = c.f;
    let half = (f.n / 2).max(1);
    let before = f.smooth[..half]
        .iter()
        .map(|v| (v - f.start).abs())
        .fold(0.0, f64::max);
    let now = (f.current - f.start).abs();
    let floor = before.max(PROGRESS_NOISE * f.sigma);
    (floor > 0.0 && now >= EXPLODE_FACTOR * floor).then(|| {
        format!(
            "exploding: {} → {}, {}× its largest move before step {}",
            num(c.start_raw()),
            num(c.current_raw()),
            num(now / floor),
            c.steps[half]
        )
    })
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// A small share as a percentage with the digits it needs (`0.01%`, `0.4%`).
fn share(x: f64) -> String {
    let p = 100.0 * x;
    if p >= 1.0 {
        format!("{p:.0}%")
    } else {
        format!("{}%", num(p))
    }
}

/// Oscillating: `Some(reason)`.
fn oscillating(c: &Context) -> Option<String> {
    let f = c.f;
    let zigzag = f.zigzag;
    let trend_dominates = f.tail_mk.p < ALPHA && f.tail_change.abs() >= TREND_OVER_SWING * f.swing;
    // Without clear progress, only a zig-zag that is large against the domain counts (a
    // flat curve is stagnant however noisy; without a domain there is no scale to call a
    // wobble large).
    // Without a domain the scale is the tail's own band: a zig-zag whose swing is a large part
    // of the band dominates whatever trend the tail has (shift- and scale-free), unless it is
    // a flat value flickering between two printed digits (swing within two quanta).
    let big_zigzag = zigzag
        && match f.domain {
            Some(d) => f.swing >= 0.05 * d.span(),
            None => {
                f.swing >= ZIGZAG_BAND_SHARE * (f.tail_high - f.tail_low)
                    && f.swing > ZIGZAG_QUANTA * f.tail_quantum
            }
        };
    let swings = f.swing_ratio >= c.oscillation_ratio
        && !trend_dominates
        && (big_zigzag || swinging_around_progress(c));
    let raw_zigzag =
        f.raw_swing_ratio >= RAW_OSCILLATION_RATIO && f.raw_turning >= RAW_ZIGZAG_TURNING;
    if !swings && !raw_zigzag {
        return None;
    }
    let (size, ratio) = if swings {
        (f.swing, f.swing_ratio)
    } else {
        (f.raw_swing_ratio * f.reference, f.raw_swing_ratio)
    };
    // Swings too small to matter (0.05% of a loss that does not move) are noise.
    if size < practical(f) {
        return None;
    }
    let against = if f.reference <= f.progress {
        "its progress"
    } else {
        "its range"
    };
    Some(format!(
        "swings of ±{} are {}× {against} ({}) with no steady trend {}{}",
        num(size),
        num(ratio),
        num(f.reference),
        c.tail_words(),
        if zigzag || raw_zigzag {
            ", zig-zagging"
        } else {
            ""
        }
    ))
}

/// Applies the rules to a curve with enough finite points and no recent non-finite value.
pub fn decide(c: &Context) -> (Verdict, String) {
    let f = c.f;
    let clear = progress_is_clear(c);
    if let Some(reason) = diverging(c, clear) {
        return (Verdict::Diverging, reason);
    }
    if let Some(reason) = oscillating(c) {
        return (Verdict::Oscillating, reason);
    }
    let change = if f.known {
        f.tail_change
    } else {
        f.tail_change.abs()
    };
    let trend_ok = if f.known {
        f.tail_mk.z > 0.0
    } else {
        f.tail_mk.z != 0.0
    };
    let improving = clear
        && trend_ok
        && f.tail_mk.p < ALPHA
        && change > 0.0
        && change
            >= (IMPROVE_SHARE * f.reference)
                .max(c.min_delta)
                .max(practical(f))
                .max(IMPROVE_SPREADS * f.tail_spread);
    let tail_raw = c.sign * f.tail_change;
    if improving {
        let what = if f.known {
            "still improving"
        } else {
            "changing steadily"
        };
        let unknown = if f.known { "" } else { "; direction unknown" };
        return (
            Verdict::Healthy,
            format!(
                "{what}: {} {} ({}){unknown}",
                signed(tail_raw),
                c.tail_words(),
                p_text(f.tail_mk.p)
            ),
        );
    }
    let start_raw = c.start_raw();
    let cur_raw = c.current_raw();
    let flat_since = c.plateau_step.map_or_else(
        || format!("flat {}", c.tail_words()),
        |s| format!("flat since step {s}"),
    );
    let level_ok = match (f.known, f.position(), f.headroom_closed()) {
        (true, Some(pos), Some(closed)) => {
            pos >= GOOD_POSITION
                && (closed >= GOOD_HEADROOM
                    || pos >= TOP_POSITION
                    || f.progress >= CONVERGED_PRACTICAL * practical(f))
        }
        _ => true,
    };
    if clear && level_ok {
        let what = if f.known {
            "converged"
        } else {
            "settled (direction unknown)"
        };
        return (
            Verdict::Healthy,
            format!(
                "{what}: {} → {}, {flat_since}",
                num(start_raw),
                num(cur_raw)
            ),
        );
    }
    // A value that never moved at all (an accuracy at exactly the majority class's share from
    // the first evaluation to the last) is a model that learned nothing, wherever it sits.
    let constant = f.progress == 0.0 && f.gap == 0.0 && f.sigma == 0.0 && f.wander == 0.0;
    if constant && f.n >= 2 {
        return (
            Verdict::Stagnant,
            format!(
                "constant at {} for the whole run: nothing was learned{}",
                num(cur_raw),
                match f.domain {
                    Some(_) => " (a model that predicts one class scores that class's share)",
                    None => "",
                }
            ),
        );
    }
    if f.known && f.position().is_some_and(|p| p >= TOP_POSITION) {
        return (
            Verdict::Healthy,
            format!(
                "holding at {}, near the best end of its domain; {flat_since}",
                num(cur_raw)
            ),
        );
    }
    let negligible = f.progress > 0.0 && f.progress < practical(f);
    let reason = match (clear, f.position(), f.domain) {
        _ if negligible => format!(
            "negligible progress: {} → {} closes {} of {}; {flat_since}",
            num(start_raw),
            num(cur_raw),
            share(f.progress / scale(f).unwrap_or(1.0)),
            match (f.domain, f.to_floor) {
                (Some(_), _) => "its domain's span".to_string(),
                _ => format!(
                    "the way to its floor ({})",
                    num(c.raw(f.start + f.to_floor.unwrap_or(0.0)))
                ),
            }
        ),
        (true, Some(pos), Some(d)) => format!(
            "{flat_since} at {}, low in its domain ({} of the way from {} to {})",
            num(cur_raw),
            pct(pos),
            num(c.raw(d.lo)),
            num(c.raw(d.hi))
        ),
        _ => format!(
            "no clear progress: {} → {} against noise ±{} ({})",
            num(start_raw),
            num(cur_raw),
            num(f.sigma.max(f.swing)),
            flat_since
        ),
    };
    (Verdict::Stagnant, reason)
}
