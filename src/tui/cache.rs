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

/// A curve's values to compute for a key (with the linear values a log key starts from).
type Job<'a> = (&'a Arc<Series>, YKey, Option<Arc<Vec<f64>>>);

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

    /// Forget smoothed values and all points (benchmarks of a smoothing key).
    pub fn forget_smoothed(&mut self) {
        self.ys.retain(|k, _| k.1.smoothing == 0);
        self.points.clear();
    }

    /// Forget the downsampled points only (benchmarks of a changed view).
    pub fn forget_points(&mut self) {
        self.points.clear();
    }

    /// x positions of a series under an alignment; `None` for time without wall times.
    pub fn xs(&mut self, s: &Arc<Series>, align: Align) -> Option<Xs> {
        let frame = self.frame;
        let e = self.xs.entry((id(s), align)).or_insert_with(|| Entry {
            _series: s.clone(),
            value: compute_xs(s, align),
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
        let linear = key.log.then(|| self.ys(s, YKey { log: false, ..key }).0);
        let value = compute_ys(s, key, linear.as_deref().map(Vec::as_slice));
        self.insert_ys(s, key, value.clone());
        value
    }

    fn insert_ys(&mut self, s: &Arc<Series>, key: YKey, value: Ys) {
        let used = self.frame;
        self.ys.insert(
            (id(s), key),
            Entry {
                _series: s.clone(),
                value,
                used,
            },
        );
    }

    /// Compute what is missing for these curves on all cores at once: x positions, then
    /// linear values, then their logs (each O(n); a frame after `s`, `l`, `x` or new data).
    pub fn prepare(&mut self, series: &[Arc<Series>], align: Align, keys: &[YKey]) {
        let frame = self.frame;
        let mut missing: Vec<&Arc<Series>> = Vec::new();
        for s in series {
            match self.xs.get_mut(&(id(s), align)) {
                // Whatever a frame draws stays cached while it is drawn.
                Some(e) => e.used = frame,
                None => missing.push(s),
            }
        }
        for (s, value) in missing
            .iter()
            .zip(par_map(&missing, |s| compute_xs(s, align)))
        {
            let e = Entry {
                _series: (*s).clone(),
                value,
                used: frame,
            };
            self.xs.insert((id(s), align), e);
        }
        let mut linear_keys: Vec<YKey> = keys.iter().map(|k| YKey { log: false, ..*k }).collect();
        linear_keys.dedup();
        let log_keys: Vec<YKey> = keys.iter().copied().filter(|k| k.log).collect();
        // Linear values first: the logs are computed from them.
        for wanted in [linear_keys, log_keys] {
            let mut jobs: Vec<Job> = Vec::new();
            for s in series {
                for &k in &wanted {
                    if let Some(e) = self.ys.get_mut(&(id(s), k)) {
                        e.used = frame;
                        continue;
                    }
                    if jobs.iter().any(|j| j.1 == k && Arc::ptr_eq(j.0, s)) {
                        continue;
                    }
                    let linear = self
                        .ys
                        .get(&(id(s), YKey { log: false, ..k }))
                        .filter(|_| k.log)
                        .map(|e| e.value.0.clone());
                    jobs.push((s, k, linear));
                }
            }
            let computed = par_map(&jobs, |(s, k, linear)| {
                compute_ys(s, *k, linear.as_deref().map(Vec::as_slice))
            });
            for ((s, k, _), value) in jobs.iter().zip(computed) {
                self.insert_ys(s, *k, value);
            }
        }
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

/// x positions, made non-decreasing (a running maximum) so viewports can be found by bisection.
fn compute_xs(s: &Series, align: Align) -> Option<Xs> {
    aligned_x(s, align).map(|mut xs| {
        for i in 1..xs.len() {
            if xs[i] < xs[i - 1] {
                xs[i] = xs[i - 1];
            }
        }
        Arc::new(xs)
    })
}

/// Values for a key; a log key is computed from its `linear` values when given.
fn compute_ys(s: &Series, key: YKey, linear: Option<&[f64]>) -> Ys {
    let weight = super::app::SMOOTHING
        .get(key.smoothing)
        .copied()
        .unwrap_or(0.0);
    let smooth = || {
        if weight > 0.0 {
            smooth_ema(&s.values, weight)
        } else {
            s.values.clone()
        }
    };
    let v = if key.log {
        let log = |y: &f64| if *y > 0.0 { y.log10() } else { f64::NAN };
        match linear {
            Some(l) => l.iter().map(log).collect(),
            None => smooth().iter().map(log).collect(),
        }
    } else {
        smooth()
    };
    let ext = downsample::Extremes::new(&v);
    (Arc::new(v), Arc::new(ext))
}

/// `f` over `items` on all cores, in order (on this thread for fewer than two items).
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| scope.spawn(move || c.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
