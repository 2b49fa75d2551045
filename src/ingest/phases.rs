//! Training and validation records of one JSONL stream, as OpenMMLab's loggers write them: the
//! step of each record, and names that keep validation metrics apart from training ones.
//!
//! Two shapes are recognised from content, decided by the first record that has a `mode` field
//! (`train`, `val`, `test`, `eval`) or a step-like field:
//! - **A `mode` field** (MMDetection / MMSegmentation 2.x `*.log.json`). The step is a global
//!   iteration: a training record's `iter` (or `iteration`) plus the offset of its `epoch`, the
//!   largest training `iter` of each earlier epoch laid end to end when `iter` restarts at each
//!   epoch (none when it keeps counting); a `step` or `global_step` is the step as it is. A
//!   record of another mode without one takes the step of the last training record before it; its metrics are named `MODE/NAME` (`val/bbox_mAP`) and its
//!   `epoch` and `iter` (which only place it) are dropped. Leading records without a `mode`
//!   (`env_info`, `config`, `seed`) are metadata: their numbers become params.
//! - **`step` beside `iter`** (MMEngine's `vis_data/scalars.json`). Records with `iter` are
//!   training and keep their `step`. Records without `iter` are validation: names without a `/`
//!   are named `val/NAME` (`val/data_time`; `coco/bbox_mAP` keeps its own prefix), and when
//!   training records carry `epoch` a `step` below the last training step is an epoch number:
//!   the record takes the last training step of that epoch.
//!
//! Any other stream passes through unchanged.

use super::step_source::{Field, Record};
use super::{Batch, number, step};
use std::collections::HashMap;

/// Leading records held before deciding (a metadata line comes first).
const LEADING: usize = 3;

#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Shape {
    #[default]
    Undecided,
    Modes,
    Engine,
    Plain,
}

#[derive(Debug, Default)]
pub struct Phases {
    shape: Shape,
    held: Vec<(Record, Option<String>)>,
    /// Names given to each metric, by prefix.
    renamed: HashMap<String, HashMap<u32, u32>>,
    step_metric: Option<u32>,
    // `mode` records: the current epoch, its largest `iter`, its offset.
    epoch: Option<i64>,
    epoch_max: i64,
    offset: i64,
    last_train: Option<i64>,
    last: Option<i64>,
    /// MMEngine: the last training step of each epoch.
    epoch_last: HashMap<i64, i64>,
}

/// Whether `mode` names a phase of training (what makes a `mode` field structural).
fn is_phase(mode: &str) -> bool {
    matches!(mode, "train" | "val" | "test" | "eval")
}

fn rank_of(name: &str) -> usize {
    step::rank(name).unwrap_or(usize::MAX)
}

fn get(rec: &Record, name: &str) -> Option<f64> {
    let r = rank_of(name);
    rec.fields
        .iter()
        .find(|f| f.rank == Some(r))
        .map(|f| f.value)
}

impl Phases {
    /// Take one record and its `mode` field; call `pass` with each record to hand on, in order.
    pub fn record(
        &mut self,
        rec: &Record,
        mode: Option<&str>,
        out: &mut Batch,
        pass: &mut dyn FnMut(&Record, &mut Batch),
    ) {
        if self.shape == Shape::Undecided {
            let phase = mode.is_some_and(is_phase);
            let stepped = rec.fields.iter().any(|f| f.rank.is_some());
            if !phase && !stepped && self.held.len() < LEADING {
                self.held.push((rec.clone(), mode.map(str::to_owned)));
                return;
            }
            self.shape = match (phase, get(rec, "step"), get(rec, "iter")) {
                (true, _, _) => Shape::Modes,
                (false, Some(_), Some(_)) => Shape::Engine,
                _ => Shape::Plain,
            };
            for (held, m) in std::mem::take(&mut self.held) {
                match self.shape {
                    Shape::Modes if m.is_none() => metadata(&held, out),
                    _ => self.one(&held, m.as_deref(), out, pass),
                }
            }
        }
        self.one(rec, mode, out, pass);
    }

    /// End of input: hand on what is still held.
    pub fn finish(&mut self, out: &mut Batch, pass: &mut dyn FnMut(&Record, &mut Batch)) {
        self.shape = Shape::Plain;
        for (held, _) in std::mem::take(&mut self.held) {
            pass(&held, out);
        }
    }

    fn one(
        &mut self,
        rec: &Record,
        mode: Option<&str>,
        out: &mut Batch,
        pass: &mut dyn FnMut(&Record, &mut Batch),
    ) {
        match self.shape {
            Shape::Modes => {
                let r = self.by_mode(rec, mode.unwrap_or("train"), out);
                pass(&r, out);
            }
            Shape::Engine => match self.engine(rec, out) {
                Some(r) => pass(&r, out),
                None => pass(rec, out),
            },
            _ => pass(rec, out),
        }
    }

    fn by_mode(&mut self, rec: &Record, mode: &str, out: &mut Batch) -> Record {
        let counter = rec
            .fields
            .iter()
            .filter(|f| f.rank.is_some_and(|r| r < rank_of("epoch")))
            .min_by_key(|f| f.rank);
        // A `step` or `global_step` counts over the whole run: it is the step as it is.
        if let Some(f) = counter.filter(|f| f.rank < Some(rank_of("iteration"))) {
            let s = number::as_step(f.value).unwrap_or(rec.index as i64);
            if mode == "train" {
                self.last_train = Some(s);
            }
            self.last = Some(s);
            let prefix = (mode != "train").then_some(mode);
            return self.placed(rec, s, prefix, mode != "train", out);
        }
        let iter = counter.and_then(|f| number::as_step(f.value));
        let epoch = get(rec, "epoch").and_then(number::as_step);
        let step = if mode == "train" {
            if let Some(i) = iter {
                match (self.epoch, epoch) {
                    (None, _) => (self.epoch, self.epoch_max) = (epoch, i),
                    (Some(cur), Some(e)) if e != cur => {
                        // `iter` restarts at each epoch: lay the epochs end to end.
                        if i <= self.epoch_max {
                            self.offset += self.epoch_max;
                        }
                        (self.epoch, self.epoch_max) = (Some(e), i);
                    }
                    _ => self.epoch_max = self.epoch_max.max(i),
                }
            }
            let s = iter.map(|i| self.offset + i).or(self.last);
            self.last_train = s.or(self.last_train);
            s
        } else {
            self.last_train
                .or(iter.map(|i| self.offset + i))
                .or(self.last)
        };
        let s = step.unwrap_or(rec.index as i64);
        self.last = Some(s);
        let prefix = (mode != "train").then_some(mode);
        self.placed(rec, s, prefix, mode != "train", out)
    }

    /// The validation record `rec` placed and renamed; `None` for a training record, which
    /// passes unchanged.
    fn engine(&mut self, rec: &Record, out: &mut Batch) -> Option<Record> {
        let own = get(rec, "step").and_then(number::as_step);
        if get(rec, "iter").is_some() {
            if let Some(s) = own {
                self.last_train = Some(s);
                if let Some(e) = get(rec, "epoch").and_then(number::as_step) {
                    self.epoch_last.insert(e, s);
                }
            }
            return None;
        }
        let s = match (own, self.last_train) {
            (Some(s), Some(last)) if s < last && !self.epoch_last.is_empty() => {
                self.epoch_last.get(&s).copied().unwrap_or(last)
            }
            (Some(s), _) => s,
            (None, last) => last.unwrap_or(rec.index as i64),
        };
        Some(self.placed(rec, s, Some("val"), false, out))
    }

    /// `rec` at step `s`, its metrics renamed `PREFIX/NAME` (names holding a `/` keep theirs
    /// in MMEngine records), its step-like fields dropped when `drop_steps`.
    fn placed(
        &mut self,
        rec: &Record,
        s: i64,
        prefix: Option<&str>,
        drop_steps: bool,
        out: &mut Batch,
    ) -> Record {
        let step_metric = *self.step_metric.get_or_insert_with(|| out.metric("step"));
        let mut fields: Vec<Field> = Vec::with_capacity(rec.fields.len() + 1);
        fields.push(Field {
            metric: step_metric,
            value: s as f64,
            rank: Some(0),
        });
        for f in &rec.fields {
            if f.rank == Some(0) && f.metric == step_metric {
                continue;
            }
            if drop_steps && f.rank.is_some() {
                continue;
            }
            let metric = match prefix {
                Some(p) => self.rename(p, f.metric, self.shape == Shape::Engine, out),
                None => f.metric,
            };
            // Renamed fields are metrics, never steps.
            let rank = if prefix.is_some() { None } else { f.rank };
            fields.push(Field { metric, rank, ..*f });
        }
        Record {
            run: rec.run,
            index: rec.index,
            at: rec.at,
            wall: rec.wall,
            fields,
            long: None,
        }
    }

    fn rename(&mut self, prefix: &str, metric: u32, keep_slashed: bool, out: &mut Batch) -> u32 {
        if let Some(&m) = self.renamed.get(prefix).and_then(|r| r.get(&metric)) {
            return m;
        }
        let name = out.metric_name(metric);
        let m = if keep_slashed && name.contains('/') {
            metric
        } else {
            let renamed = format!("{prefix}/{name}");
            out.metric(&renamed)
        };
        self.renamed
            .entry(prefix.to_owned())
            .or_default()
            .insert(metric, m);
        m
    }
}

/// A leading record without a `mode` in a stream of `mode` records: its numbers are params.
fn metadata(rec: &Record, out: &mut Batch) {
    let params: serde_json::Map<String, serde_json::Value> = rec
        .fields
        .iter()
        .filter_map(|f| {
            let v = serde_json::Number::from_f64(f.value)?;
            Some((out.metric_name(f.metric).to_owned(), v.into()))
        })
        .collect();
    if !params.is_empty() {
        out.params.push((rec.run, params));
    }
}

#[cfg(test)]
mod tests;
