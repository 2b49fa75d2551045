//! What a chart frame needs from a long curve, computed once and kept while it is used: the
//! x positions under an alignment, the smoothed (and log-scaled) values, and the downsampled
//! points for one viewport and width. A frame where nothing changed re-scans nothing.

use super::downsample;
use crate::classify::smooth_ema;
use crate::compare::{Align, aligned_x};
use crate::model::Series;
use std::collections::HashMap;
use std::sync::Arc;

/// Frames an unused entry is kept for.
const KEEP_FRAMES: u64 = 8;

/// x positions, non-decreasing, with their first and last.
pub type Xs = Arc<Vec<f64>>;
/// Points to draw: `(x, y)`, `y` NaN for a gap.
pub type Points = Arc<Vec<(f64, f64)>>;

/// Values to draw, with their per-block extremes.
pub type Ys = (Arc<Vec<f64>>, Arc<downsample::Extremes>);

/// How to draw a curve's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct YKey {
    /// Index into [`super::app::SMOOTHING`] (0: raw).
    pub smoothing: usize,
    pub log: bool,
}

/// A viewport and width in columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct View {
    x0: u64,
    x1: u64,
    columns: u16,
}

impl View {
    pub fn new(x0: f64, x1: f64, columns: u16) -> View {
        View {
            x0: x0.to_bits(),
            x1: x1.to_bits(),
            columns,
        }
    }
}

struct Entry<T> {
    /// Keeps the series alive, so its address cannot name another while the entry lives.
    _series: Arc<Series>,
    value: T,
    used: u64,
}

/// The cache; keys name a series by its address (the entry holds it alive).
#[derive(Default)]
pub struct ChartCache {
    frame: u64,
    xs: HashMap<(usize, Align), Entry<Option<Xs>>>,
    ys: HashMap<(usize, YKey), Entry<Ys>>,
    points: HashMap<(usize, Align, YKey, View), Entry<Points>>,
}

fn id(s: &Arc<Series>) -> usize {
    Arc::as_ptr(s) as usize
}

impl ChartCache {
    /// Start a frame: entries not used for a few frames are dropped.
    pub fn begin_frame(&mut self) {
        self.frame += 1;
        let now = self.frame;
        let fresh = |used: u64| now - used <= KEEP_FRAMES;
        self.xs.retain(|_, e| fresh(e.used));
        self.ys.retain(|_, e| fresh(e.used));
        self.points.retain(|_, e| fresh(e.used));
    }

    /// Forget everything (benchmarks of a cold frame).
    pub fn clear(&mut self) {
        *self = ChartCache::default();
    }

    /// Forget the downsampled points only (benchmarks of a changed view).
    pub fn forget_points(&mut self) {
        self.points.clear();
    }

    /// x positions of a series under an alignment; `None` for time without wall times.
    /// Made non-decreasing (a running maximum) so viewports can be found by bisection.
    pub fn xs(&mut self, s: &Arc<Series>, align: Align) -> Option<Xs> {
        let frame = self.frame;
        let e = self.xs.entry((id(s), align)).or_insert_with(|| Entry {
            _series: s.clone(),
            value: aligned_x(s, align).map(|mut xs| {
                for i in 1..xs.len() {
                    if xs[i] < xs[i - 1] {
                        xs[i] = xs[i - 1];
                    }
                }
                Arc::new(xs)
            }),
            used: frame,
        });
        e.used = frame;
        e.value.clone()
    }

    /// Values smoothed (TensorBoard's debiased EMA) and then log-scaled (log10; values ≤ 0
    /// become NaN, a gap), with their extremes index. The log of a smoothing reuses it.
    pub fn ys(&mut self, s: &Arc<Series>, key: YKey) -> Ys {
        let frame = self.frame;
        if let Some(e) = self.ys.get_mut(&(id(s), key)) {
            e.used = frame;
            return e.value.clone();
        }
        let v = if key.log {
            let linear = self.ys(s, YKey { log: false, ..key }).0;
            linear
                .iter()
                .map(|&y| if y > 0.0 { y.log10() } else { f64::NAN })
                .collect()
        } else {
            let weight = super::app::SMOOTHING
                .get(key.smoothing)
                .copied()
                .unwrap_or(0.0);
            if weight > 0.0 {
                smooth_ema(&s.values, weight)
            } else {
                s.values.clone()
            }
        };
        let ext = downsample::Extremes::new(&v);
        let value = (Arc::new(v), Arc::new(ext));
        self.ys.insert(
            (id(s), key),
            Entry {
                _series: s.clone(),
                value: value.clone(),
                used: frame,
            },
        );
        value
    }

    /// The points to draw of a curve in a viewport (min/max per column).
    pub fn points(
        &mut self,
        s: &Arc<Series>,
        align: Align,
        key: YKey,
        x0: f64,
        x1: f64,
        columns: u16,
    ) -> Option<Points> {
        let k = (id(s), align, key, View::new(x0, x1, columns));
        if let Some(e) = self.points.get_mut(&k) {
            e.used = self.frame;
            return Some(e.value.clone());
        }
        let xs = self.xs(s, align)?;
        let (ys, ext) = self.ys(s, key);
        let value = Arc::new(downsample::min_max_indexed(
            &xs,
            &ys,
            &ext,
            x0,
            x1,
            usize::from(columns),
        ));
        self.points.insert(
            k,
            Entry {
                _series: s.clone(),
                value: value.clone(),
                used: self.frame,
            },
        );
        Some(value)
    }
}
