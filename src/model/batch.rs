//! `Batch`: what parsers produce. Metric and run names are interned once per import, points are
//! plain numbers, and the batch notices restarts (a metric's step going back) as points arrive.

use std::collections::HashMap;

/// Which run a point belongs to, as far as a parser can tell.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RunKey {
    /// The run the importer names (`--run`, or a name derived from the path).
    Default,
    /// A run named inside the data (a JSONL `run` field).
    Named(String),
    /// The n-th (n ≥ 2) run found in one file, e.g. a console log holding two training runs;
    /// named `DEFAULT-n` by the importer.
    Part(u32),
}

/// Where in its input a skipped piece of data was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// 1-based line number.
    Line(u64),
    /// Byte offset (binary formats).
    Offset(u64),
    /// The whole input.
    Whole,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Line(n) => write!(f, "{n}"),
            Location::Offset(n) => write!(f, "offset {n}"),
            Location::Whole => write!(f, "0"),
        }
    }
}

/// Something in the input that was not imported, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skip {
    pub location: Location,
    pub reason: String,
}

/// One value of one metric at one step. `run` and `metric` index the batch's name tables.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub run: u32,
    pub metric: u32,
    pub step: i64,
    pub value: f64,
    pub wall_time: Option<f64>,
}

/// A metric's steps went back: the job was restarted and logs again from `step`.
#[derive(Debug, Clone, PartialEq)]
pub struct Restart {
    pub run: u32,
    /// The first step logged again.
    pub step: i64,
    /// The highest step seen before the restart.
    pub previous_step: i64,
    pub location: Location,
}

#[derive(Debug, Clone, Copy)]
struct Last {
    step: i64,
    value: f64,
    generation: u32,
}

/// The output of a parser. Name tables and restart detection persist across [`Batch::clear`],
/// so one `Batch` serves a whole import (or tail) while points are flushed in chunks.
#[derive(Debug, Default)]
pub struct Batch {
    /// Which batch this is (unique in the process): a writer's cached ids hold for one only.
    identity: u64,
    metric_names: Vec<String>,
    metric_index: HashMap<String, u32>,
    runs: Vec<RunKey>,
    run_index: HashMap<RunKey, u32>,
    named_index: HashMap<String, u32>,
    last: HashMap<(u32, u32), Last>,
    run_generation: Vec<u32>,
    run_max_step: Vec<i64>,
    /// Points parsed since the last [`Batch::clear`].
    pub points: Vec<Point>,
    /// Input that was not imported, with the reason.
    pub skips: Vec<Skip>,
    /// Restarts detected since the last clear.
    pub restarts: Vec<Restart>,
    /// Run parameters found in the data (e.g. a trainer's settings), per run index.
    pub params: Vec<(u32, serde_json::Map<String, serde_json::Value>)>,
    /// Values that replaced a different earlier value of the same metric at the same step in
    /// this input (the same value logged twice, as an epoch counter on the training and the
    /// evaluation line, replaces nothing).
    pub replaced_in_stream: u64,
    /// Whether the points since the last clear may hold one (run, metric, step) twice.
    repeats: bool,
}

/// Whether two values are one (NaN is NaN).
fn same_value(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

impl Batch {
    pub fn new() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut b = Batch {
            identity: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..Batch::default()
        };
        b.run(RunKey::Default);
        b
    }

    /// Which batch this is: indices of runs and metrics mean the same within one batch only.
    pub fn identity(&self) -> u64 {
        self.identity
    }

    /// The index of a metric name, interning it on first use.
    pub fn metric(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.metric_index.get(name) {
            return i;
        }
        let i = self.metric_names.len() as u32;
        self.metric_names.push(name.to_owned());
        self.metric_index.insert(name.to_owned(), i);
        i
    }

    /// The index of a run, interning it on first use. `RunKey::Default` is always 0.
    pub fn run(&mut self, key: RunKey) -> u32 {
        if let Some(&i) = self.run_index.get(&key) {
            return i;
        }
        let i = self.runs.len() as u32;
        self.runs.push(key.clone());
        self.run_index.insert(key, i);
        self.run_generation.push(0);
        self.run_max_step.push(i64::MIN);
        i
    }

    /// The index of the run named inside the data, interning it on first use.
    pub fn named_run(&mut self, name: &str) -> u32 {
        // Looked up by `&str`, so a JSONL `run` field on every line allocates nothing.
        if let Some(&i) = self.named_index.get(name) {
            return i;
        }
        let i = self.run(RunKey::Named(name.to_owned()));
        self.named_index.insert(name.to_owned(), i);
        i
    }

    pub fn metric_name(&self, index: u32) -> &str {
        &self.metric_names[index as usize]
    }

    /// The last step pushed for (run, metric) in this input, across clears.
    pub fn last_step(&self, run: u32, metric: u32) -> Option<i64> {
        self.last.get(&(run, metric)).map(|l| l.step)
    }

    pub fn metric_names(&self) -> &[String] {
        &self.metric_names
    }

    pub fn run_key(&self, index: u32) -> &RunKey {
        &self.runs[index as usize]
    }

    pub fn run_keys(&self) -> &[RunKey] {
        &self.runs
    }

    /// Add one point. A step lower than this metric's previous step is a restart; the first
    /// metric to go back opens a restart of its run, and the others that follow join it.
    pub fn push(&mut self, run: u32, metric: u32, step: i64, value: f64, wall_time: Option<f64>) {
        self.push_at(run, metric, step, value, wall_time, Location::Whole);
    }

    /// [`Batch::push`] with the input location, used to report where a restart begins.
    pub fn push_at(
        &mut self,
        run: u32,
        metric: u32,
        step: i64,
        value: f64,
        wall_time: Option<f64>,
        location: Location,
    ) {
        let r = run as usize;
        let generation = self.run_generation[r];
        match self.last.get_mut(&(run, metric)) {
            Some(last) => {
                if step <= last.step {
                    self.repeats = true;
                }
                if step < last.step {
                    if last.generation == generation {
                        self.run_generation[r] += 1;
                        self.restarts.push(Restart {
                            run,
                            step,
                            previous_step: self.run_max_step[r],
                            location,
                        });
                    }
                    last.generation = self.run_generation[r];
                } else if step == last.step && !same_value(value, last.value) {
                    self.replaced_in_stream += 1;
                }
                last.step = step;
                last.value = value;
            }
            None => {
                let last = Last {
                    step,
                    value,
                    generation,
                };
                self.last.insert((run, metric), last);
            }
        }
        if step > self.run_max_step[r] {
            self.run_max_step[r] = step;
        }
        self.points.push(Point {
            run,
            metric,
            step,
            value,
            wall_time,
        });
    }

    /// Report input that was not imported.
    pub fn skip(&mut self, location: Location, reason: impl Into<String>) {
        self.skips.push(Skip {
            location,
            reason: reason.into(),
        });
    }

    /// Drop the points, skips, restarts and params already handed on; keep names and state.
    pub fn clear(&mut self) {
        self.points.clear();
        self.skips.clear();
        self.restarts.clear();
        self.params.clear();
        self.repeats = false;
    }

    /// The points to write: each (run, metric, step) once, its last value, in input order.
    /// All of them, without allocating, unless a step repeated or went back.
    pub fn latest_points(&self) -> Box<dyn Iterator<Item = &Point> + '_> {
        if !self.repeats {
            return Box::new(self.points.iter());
        }
        let mut order: Vec<usize> = (0..self.points.len()).collect();
        let key = |i: usize| {
            let p = &self.points[i];
            (p.run, p.metric, p.step)
        };
        order.sort_by_key(|&i| (key(i), std::cmp::Reverse(i)));
        order.dedup_by_key(|i| key(*i));
        order.sort_unstable();
        Box::new(order.into_iter().map(|i| &self.points[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_names_once() {
        let mut b = Batch::new();
        let a = b.metric("loss");
        let c = b.metric("acc");
        assert_eq!(b.metric("loss"), a);
        assert_ne!(a, c);
        assert_eq!(b.metric_name(c), "acc");
        assert_eq!(b.run(RunKey::Default), 0);
        assert_eq!(b.named_run("x"), 1);
        assert_eq!(b.named_run("x"), 1);
    }

    #[test]
    fn a_step_going_back_is_one_restart_for_all_metrics() {
        let mut b = Batch::new();
        let (loss, acc) = (b.metric("loss"), b.metric("acc"));
        for s in 0..=5 {
            b.push(0, loss, s * 100, 1.0, None);
            b.push(0, acc, s * 100, 1.0, None);
        }
        assert!(b.restarts.is_empty());
        b.push(0, loss, 400, 0.5, None);
        b.push(0, acc, 400, 0.5, None);
        b.push(0, loss, 500, 0.5, None);
        assert_eq!(b.restarts.len(), 1);
        assert_eq!(b.restarts[0].step, 400);
        assert_eq!(b.restarts[0].previous_step, 500);
        // A second restart later is a new one.
        b.push(0, loss, 100, 0.5, None);
        assert_eq!(b.restarts.len(), 2);
    }

    #[test]
    fn latest_points_keeps_the_last_value_of_each_step() {
        let mut b = Batch::new();
        let m = b.metric("loss");
        for (s, v) in [(1, 1.0), (2, 2.0), (3, 3.0), (2, 2.5), (3, 3.5), (4, 4.0)] {
            b.push(0, m, s, v, None);
        }
        let kept: Vec<(i64, f64)> = b.latest_points().map(|p| (p.step, p.value)).collect();
        assert_eq!(kept, [(1, 1.0), (2, 2.5), (3, 3.5), (4, 4.0)]);
        b.clear();
        b.push(0, m, 5, 5.0, None);
        assert_eq!(b.latest_points().count(), 1);
    }

    #[test]
    fn same_step_twice_is_counted_not_a_restart() {
        let mut b = Batch::new();
        let m = b.metric("loss");
        b.push(0, m, 3, 1.0, None);
        b.push(0, m, 3, 2.0, None);
        b.push(0, m, 3, 2.0, None);
        assert!(b.restarts.is_empty());
        assert_eq!(b.replaced_in_stream, 1);
    }
}
