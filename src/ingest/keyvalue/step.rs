//! Which step each line of a plain log gets.
//!
//! - A line with a counter (`step 120`, `Step 40/6501`, `200/2983 batches`) is at that counter.
//!   When the counter goes back while the epoch goes up, it restarts every epoch: the epochs
//!   are laid end to end (`M` of `N/M` per epoch, else the last counter + 1), so the step is
//!   global. A counter going back without a new epoch is a restart of the job (kept as is).
//! - In a log with counters, a line with only an epoch (`end of epoch 3 | valid loss 5.1`) or
//!   with no step at all (an evaluation block, a final summary) takes the last step.
//! - In a log with epochs only, the step is the epoch; unless a metric is printed more than
//!   once in one epoch (`Epoch 1 - Batch loss: 12.1`, hundreds of times): then every line with
//!   such a per-batch metric is one step further (1, 2, …), and per-epoch lines (`Average Train
//!   Loss`) take the step of the last batch. Which of the two is decided by the first epoch.
//! - Lines with metrics but no step before the first step (settings, model sizes) are not
//!   metrics. In a log without any step word, a key that counts is the step: the first key of
//!   every line, with whole values that never go back and go up from most lines to the next
//!   (modded-nanoGPT's `s:120 trl:3.28`); else the step is the 0-based line number.

use super::scan::{Counter, Scan};
use std::collections::{HashMap, HashSet};

/// A line waiting for its step, with its 0-based line number.
#[derive(Debug, Clone)]
pub struct Line {
    pub index: u64,
    pub scan: Scan,
}

/// Where a line's metrics go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub index: u64,
    pub step: i64,
    /// Store the line's epoch as a metric (when something else gave the step).
    pub epoch_metric: bool,
    /// The line names no step of its own and takes the last one.
    pub inherited: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
enum Mode {
    /// Epochs only, not decided yet: lines wait in `pending`.
    #[default]
    Undecided,
    /// Epochs only, one line per metric and epoch: the step is the epoch.
    Epoch,
    /// Epochs only, metrics repeated within an epoch: the step counts batch lines.
    Batch,
}

/// Preamble lines kept while waiting for the first step; past this, the log has no steps.
const MAX_PREAMBLE: usize = 10_000;

#[derive(Debug, Default)]
pub struct Steps {
    started: bool,
    stepless: bool,
    /// In a log without step words, the key found to count steps.
    step_key: Option<String>,
    /// Its last value.
    key_step: i64,
    preamble: Vec<Line>,
    counters: bool,
    last_step: Option<i64>,
    epoch: Option<i64>,
    // Counters that restart every epoch.
    last_raw: Option<i64>,
    raw_epoch: Option<i64>,
    total: Option<i64>,
    offset: i64,
    // Logs with epochs only.
    mode: Mode,
    /// Waiting lines with the epoch they were written in.
    pending: Vec<(Line, Option<i64>)>,
    batch_metrics: HashSet<String>,
    seen_in_epoch: HashMap<String, Option<i64>>,
    batches: i64,
}

impl Steps {
    /// Take one line; `place` receives every line whose step is now known (this one, or
    /// earlier ones that waited), in input order.
    pub fn line(&mut self, line: Line, place: &mut dyn FnMut(&Line, Placed)) {
        let has_step = line.scan.counter.is_some() || line.scan.epoch.is_some();
        if has_step && !self.started {
            self.started = true;
            self.preamble.clear();
        }
        if let Some(c) = line.scan.counter {
            self.resolve_pending(Mode::Epoch, place);
            self.counters = true;
            let step = self.global(c, line.scan.epoch.or(self.epoch));
            self.note_epoch(line.scan.epoch);
            self.last_step = Some(step);
            let epoch_metric = line.scan.epoch.is_some();
            place(&line, self.placed(&line, step, epoch_metric));
            return;
        }
        if !self.started {
            if line.scan.pairs.is_empty() && line.scan.fractional_epoch.is_none() {
                return;
            }
            if self.stepless {
                self.place_stepless(line, place);
            } else {
                self.preamble.push(line);
                if self.preamble.len() > MAX_PREAMBLE {
                    self.flush_stepless(place);
                }
            }
            return;
        }
        self.note_epoch(line.scan.epoch);
        if line.scan.pairs.is_empty() && line.scan.fractional_epoch.is_none() {
            return;
        }
        if self.counters {
            let step = self.last_step.or(self.epoch).unwrap_or(0);
            let placed = Placed {
                inherited: true,
                ..self.placed(&line, step, true)
            };
            place(&line, placed);
            return;
        }
        let epoch = self.epoch;
        match self.mode {
            Mode::Epoch | Mode::Batch => self.place_epochs(line, epoch, place),
            Mode::Undecided => {
                let repeated = self.pending.iter().any(|(p, e)| {
                    *e == epoch
                        && p.scan
                            .pairs
                            .iter()
                            .any(|(k, _)| line.scan.pairs.iter().any(|(n, _)| n == k))
                });
                if repeated {
                    self.pending.push((line, epoch));
                    self.resolve_pending(Mode::Batch, place);
                } else if self.pending.iter().any(|(_, e)| *e != epoch) {
                    self.resolve_pending(Mode::Epoch, place);
                    self.place_epochs(line, epoch, place);
                } else {
                    self.pending.push((line, epoch));
                }
            }
        }
    }

    /// End of input: lines still waiting get their steps.
    pub fn finish(&mut self, place: &mut dyn FnMut(&Line, Placed)) {
        self.resolve_pending(Mode::Epoch, place);
        if !self.started {
            self.flush_stepless(place);
        }
    }

    fn placed(&self, line: &Line, step: i64, epoch_metric: bool) -> Placed {
        Placed {
            index: line.index,
            step,
            epoch_metric: epoch_metric && line.scan.epoch.is_some(),
            inherited: false,
        }
    }

    fn flush_stepless(&mut self, place: &mut dyn FnMut(&Line, Placed)) {
        self.stepless = true;
        let preamble = std::mem::take(&mut self.preamble);
        self.step_key = counting_key(&preamble);
        for line in preamble {
            self.place_stepless(line, place);
        }
    }

    /// A line of a log without step words: at its counting key's value (the key is not a
    /// metric; a line without it takes the last one), else at its line number.
    fn place_stepless(&mut self, mut line: Line, place: &mut dyn FnMut(&Line, Placed)) {
        let Some(key) = &self.step_key else {
            let step = line.index as i64;
            return place(&line, self.placed(&line, step, false));
        };
        let found = line.scan.pairs.iter().position(|(k, _)| k == key);
        let inherited = match found {
            Some(i) => {
                let (_, v) = line.scan.pairs.remove(i);
                self.key_step = v as i64;
                false
            }
            None => true,
        };
        if !line.scan.pairs.is_empty() {
            let placed = Placed {
                inherited,
                ..self.placed(&line, self.key_step, false)
            };
            place(&line, placed);
        }
    }

    fn note_epoch(&mut self, epoch: Option<i64>) {
        if epoch.is_some() {
            self.epoch = epoch;
        }
    }

    /// The global step of a counter, laying epochs end to end when the counter restarts.
    fn global(&mut self, c: Counter, epoch: Option<i64>) -> i64 {
        if let (Some(raw), Some(e), Some(prev_epoch)) = (self.last_raw, epoch, self.raw_epoch)
            && e > prev_epoch
            && c.value < raw
        {
            self.offset = self
                .offset
                .saturating_add(c.total.or(self.total).unwrap_or(raw.saturating_add(1)));
        }
        self.last_raw = Some(c.value);
        if epoch.is_some() {
            self.raw_epoch = epoch;
        }
        if c.total.is_some() {
            self.total = c.total;
        }
        self.offset.saturating_add(c.value)
    }

    fn resolve_pending(&mut self, mode: Mode, place: &mut dyn FnMut(&Line, Placed)) {
        if self.mode != Mode::Undecided || self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        if mode == Mode::Batch {
            // Metrics printed twice within one epoch are per-batch.
            let mut seen: HashMap<&str, Option<i64>> = HashMap::new();
            for (p, epoch) in &pending {
                for (k, _) in &p.scan.pairs {
                    if seen.insert(k, *epoch) == Some(*epoch) {
                        self.batch_metrics.insert(k.clone());
                    }
                }
            }
        }
        self.mode = mode;
        for (line, epoch) in pending {
            self.place_epochs(line, epoch, place);
        }
    }

    fn place_epochs(
        &mut self,
        line: Line,
        epoch: Option<i64>,
        place: &mut dyn FnMut(&Line, Placed),
    ) {
        if self.mode == Mode::Batch {
            let mut batch_line = false;
            for (k, _) in &line.scan.pairs {
                let again = match self.seen_in_epoch.get_mut(k) {
                    Some(e) => std::mem::replace(e, epoch) == epoch,
                    None => {
                        self.seen_in_epoch.insert(k.clone(), epoch);
                        false
                    }
                };
                if again && !self.batch_metrics.contains(k) {
                    self.batch_metrics.insert(k.clone());
                }
                batch_line |= again || self.batch_metrics.contains(k);
            }
            if batch_line {
                self.batches += 1;
            }
            self.last_step = Some(self.batches);
            place(&line, self.placed(&line, self.batches, true));
        } else {
            let step = epoch.or(self.last_step).unwrap_or(0);
            self.last_step = Some(step);
            place(&line, self.placed(&line, step, false));
        }
    }
}

/// The key that counts steps in lines without step words: the first key of every line, whole
/// and not negative, never going back, and going up between at least half of the lines.
fn counting_key(lines: &[Line]) -> Option<String> {
    let first = lines.first()?.scan.pairs.first()?.0.clone();
    let mut last: Option<f64> = None;
    let mut ups = 0;
    for line in lines {
        let (k, v) = line.scan.pairs.first()?;
        let whole = crate::ingest::number::as_step(*v).is_some_and(|s| s >= 0);
        if *k != first || !whole || last.is_some_and(|l| *v < l) {
            return None;
        }
        ups += usize::from(last.is_some_and(|l| *v > l));
        last = Some(*v);
    }
    (lines.len() >= 3 && 2 * ups >= lines.len() - 1).then_some(first)
}
