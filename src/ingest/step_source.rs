//! The step source of a record-based stream (JSONL, CSV), chosen once per stream and never
//! record by record, so that two records never collapse onto one step unless the file itself
//! gives them the same step.
//!
//! The first record with a step-like field decides (see [`super::step`] for the order):
//! - a field other than `epoch` (`step`, `global_step`, …): that field is the step. A record
//!   without it takes the last step of its run; a value that would then land on a step where its
//!   metric already has a value is skipped and reported, never silently overwritten.
//! - `epoch` alone: records are held until the stream shows what `epoch` is. A fractional epoch
//!   (0.5, 1.5) or a metric logged twice within one epoch makes the record number the step for
//!   the whole stream (`epoch` stays a metric); a second whole epoch, or the end of the input,
//!   makes `epoch` the step. A fractional epoch after that is skipped and reported.
//! - no step-like field in the first few records: the 0-based record number is the step.
//!
//! Batch import and live tailing feed the same records through the same rule, so they give the
//! same steps.

use super::{Batch, Location, number, step};
use std::collections::HashSet;

/// Records held at most while the step source is undecided (bounds memory on odd inputs).
const MAX_PENDING: usize = 10_000;
/// Leading records without any step-like field held before the record number is chosen (a
/// stream may open with a line of settings before its first step).
const LEADING_STEPLESS: usize = 3;

/// One numeric field of a record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    pub metric: u32,
    pub value: f64,
    /// Its rank in [`step::STEP_KEYS`] if the field is step-like.
    pub rank: Option<usize>,
}

/// One record (a JSONL line, a CSV row) as a parser read it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub run: u32,
    /// The 0-based record number, the step when nothing else gives one.
    pub index: u64,
    pub at: Option<Location>,
    pub wall: Option<f64>,
    pub fields: Vec<Field>,
    /// The long form `{"metric": NAME, "value": V}`: the record's only point.
    pub long: Option<(u32, f64)>,
}

impl Record {
    fn location(&self) -> Location {
        self.at.unwrap_or(Location::Whole)
    }

    /// The best-ranked step-like field other than `epoch` holding a whole number.
    fn best_key(&self) -> Option<usize> {
        self.fields
            .iter()
            .filter(|f| f.rank.is_some_and(|r| r != epoch_rank()))
            .filter(|f| number::as_step(f.value).is_some())
            .filter_map(|f| f.rank)
            .min()
    }

    fn field(&self, rank: usize) -> Option<&Field> {
        self.fields.iter().find(|f| f.rank == Some(rank))
    }
}

fn epoch_rank() -> usize {
    step::STEP_KEYS.len() - 1
}

#[derive(Debug, Clone, PartialEq)]
enum Mode {
    /// No step-like field seen yet.
    Undecided,
    /// Only whole `epoch` values seen, all equal to `first`; `seen` holds (run, metric) logged
    /// at that epoch.
    Tentative {
        first: i64,
        seen: HashSet<(u32, u32)>,
    },
    /// The field of this rank is the step.
    Key(usize),
    /// The record number is the step.
    Record,
}

/// Chooses the step of every record of one stream; see the module documentation.
#[derive(Debug)]
pub struct StepSource {
    mode: Mode,
    pending: Vec<Record>,
    /// Records without the step field, before any step of their run.
    waiting: Vec<Record>,
    /// The last step of each run (by run index).
    last: Vec<Option<i64>>,
}

impl Default for StepSource {
    fn default() -> Self {
        StepSource {
            mode: Mode::Undecided,
            pending: Vec::new(),
            waiting: Vec::new(),
            last: Vec::new(),
        }
    }
}

impl StepSource {
    /// Take one record: its points go to `out` now, or once the step source is decided.
    pub fn record(&mut self, rec: &Record, out: &mut Batch) {
        if matches!(self.mode, Mode::Key(_) | Mode::Record) {
            return self.emit(rec, out);
        }
        if let Some(k) = rec.best_key() {
            return self.decide(Mode::Key(k), Some(rec), out);
        }
        let epoch = rec.field(epoch_rank()).map(|f| f.value);
        let decision = match (&mut self.mode, epoch) {
            (_, Some(e)) if number::as_step(e).is_none() => Some(Mode::Record),
            (Mode::Undecided, Some(e)) => {
                let seen = logged(rec).map(|m| (rec.run, m)).collect();
                self.mode = Mode::Tentative {
                    first: e as i64,
                    seen,
                };
                None
            }
            (Mode::Tentative { first, .. }, Some(e)) if e as i64 != *first => {
                Some(Mode::Key(epoch_rank()))
            }
            (Mode::Tentative { seen, .. }, Some(_)) => {
                // `any` stops at the first repeat; the set is dropped with the decision then.
                logged(rec)
                    .any(|m| !seen.insert((rec.run, m)))
                    .then_some(Mode::Record)
            }
            (Mode::Undecided, None) if self.pending.len() >= LEADING_STEPLESS => Some(Mode::Record),
            _ => None,
        };
        match decision {
            Some(mode) => self.decide(mode, Some(rec), out),
            None => self.hold(rec, out),
        }
    }

    /// End of input: decide what is still open and hand on every held record.
    pub fn finish(&mut self, out: &mut Batch) {
        match self.mode {
            Mode::Undecided => self.decide(Mode::Record, None, out),
            Mode::Tentative { .. } => self.decide(Mode::Key(epoch_rank()), None, out),
            Mode::Key(_) | Mode::Record => {}
        }
        for rec in std::mem::take(&mut self.waiting) {
            self.push(&rec, rec.index as i64, None, out);
        }
    }

    fn hold(&mut self, rec: &Record, out: &mut Batch) {
        self.pending.push(rec.clone());
        if self.pending.len() >= MAX_PENDING {
            let mode = match self.mode {
                Mode::Tentative { .. } => Mode::Key(epoch_rank()),
                _ => Mode::Record,
            };
            self.decide(mode, None, out);
        }
    }

    fn decide(&mut self, mode: Mode, rec: Option<&Record>, out: &mut Batch) {
        self.mode = mode;
        for held in std::mem::take(&mut self.pending) {
            self.emit(&held, out);
        }
        if let Some(rec) = rec {
            self.emit(rec, out);
        }
    }

    fn emit(&mut self, rec: &Record, out: &mut Batch) {
        let key = match self.mode {
            Mode::Key(k) => k,
            _ => return self.push(rec, rec.index as i64, None, out),
        };
        let Some(field) = rec.field(key) else {
            return match self.last_step(rec.run) {
                Some(s) => self.inherit(rec, s, out),
                None => self.waiting.push(rec.clone()),
            };
        };
        let Some(s) = number::as_step(field.value) else {
            let name = out.metric_name(field.metric).to_owned();
            return out.skip(
                rec.location(),
                format!(
                    "`{name}` is {}, not a whole number, and the steps of this file come \
                     from `{name}`: the line is not imported",
                    field.value
                ),
            );
        };
        self.push(rec, s, Some(key), out);
        if self.waiting.iter().any(|w| w.run == rec.run) {
            let (now, later) = std::mem::take(&mut self.waiting)
                .into_iter()
                .partition(|w| w.run == rec.run);
            self.waiting = later;
            for w in now {
                self.inherit(&w, s, out);
            }
        }
    }

    /// A record without the step field takes step `s`; a value whose metric already has a value
    /// at `s` is reported, not overwritten.
    fn inherit(&mut self, rec: &Record, s: i64, out: &mut Batch) {
        let taken: Vec<u32> = metrics(rec)
            .filter(|&m| out.last_step(rec.run, m) == Some(s))
            .collect();
        if taken.is_empty() {
            return self.push(rec, s, None, out);
        }
        let kept = Record {
            fields: rec
                .fields
                .iter()
                .filter(|f| !taken.contains(&f.metric))
                .copied()
                .collect(),
            long: rec.long.filter(|(m, _)| !taken.contains(m)),
            ..rec.clone()
        };
        self.push(&kept, s, None, out);
        report_taken(out, rec.location(), s, &taken);
    }

    fn push(&mut self, rec: &Record, s: i64, key: Option<usize>, out: &mut Batch) {
        let r = rec.run as usize;
        if self.last.len() <= r {
            self.last.resize(r + 1, None);
        }
        self.last[r] = Some(s);
        let at = rec.location();
        if let Some((m, v)) = rec.long {
            return out.push_at(rec.run, m, s, v, rec.wall, at);
        }
        for f in &rec.fields {
            if key.is_none() || f.rank != key {
                out.push_at(rec.run, f.metric, s, f.value, rec.wall, at);
            }
        }
    }

    fn last_step(&self, run: u32) -> Option<i64> {
        self.last.get(run as usize).copied().flatten()
    }
}

/// Report values of a record without a step of its own that were not imported because their
/// metrics already have a value at `s`, the step the record would inherit.
pub fn report_taken(out: &mut Batch, at: Location, s: i64, metrics: &[u32]) {
    let names: Vec<String> = metrics
        .iter()
        .map(|&m| format!("`{}`", out.metric_name(m)))
        .collect();
    out.skip(
        at,
        format!(
            "no step of its own, and step {s} (the last one before it) already has {}: \
             not imported",
            names.join(", ")
        ),
    );
}

/// The metrics a record logs besides `epoch`, to tell whether one repeats within an epoch.
fn logged(rec: &Record) -> impl Iterator<Item = u32> + '_ {
    let epoch = Some(epoch_rank());
    metrics(rec).filter(move |&m| !rec.fields.iter().any(|f| f.metric == m && f.rank == epoch))
}

/// The metrics a record would store (the long form's one, or every field).
fn metrics(rec: &Record) -> Box<dyn Iterator<Item = u32> + '_> {
    match rec.long {
        Some((m, _)) => Box::new(std::iter::once(m)),
        None => Box::new(rec.fields.iter().map(|f| f.metric)),
    }
}

#[cfg(test)]
mod tests;
