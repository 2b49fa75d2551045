//! Plain log lines: `key=value` and `key: value` pairs, `| key value |` columns, and step words
//! followed by a number (`epoch 3 step 120 loss=0.43 val_f1=0.81`, `Epoch 1/200 | Loss: 0.69`,
//! `| epoch 1 | 200/ 2983 batches | lr 20.00 | loss 7.61 |`). Keys of several words
//! (`Train Loss=0.07`) are joined with `_` and lower-cased. Lines without metrics are skipped
//! silently. [`scan`] reads one line; [`step`] decides the steps; [`boost`] reads XGBoost and
//! LightGBM evaluation lines (`[10]\ttrain-logloss:0.5`); [`table`] reads the tables
//! Stable-Baselines3 and OpenAI baselines print between rules of dashes.

pub mod boost;
pub mod cells;
pub mod prefix;
pub mod scan;
pub mod step;
pub mod table;

use super::lines::LineParser;
use super::{Batch, Location, RunKey, step_source};
use step::{Line, Placed, Steps};

#[derive(Debug, Default)]
pub struct KeyValue {
    /// The label of the heading above the current indented block (`Evaluation Results:`).
    block: Option<Vec<String>>,
    steps: Steps,
    /// Boosting rounds (`[10]\ttrain-logloss:0.5`): the last round and which run part.
    rounds: Rounds,
    /// Stable-Baselines3 tables (`| rollout/ | |`, `|    ep_rew_mean | 200 |`).
    tables: table::Tables,
}

/// Boosting rounds of one file. A round number that does not go up starts a new fit (a CV
/// fold, another model): a new run part. The line after `Best iteration:` repeats an
/// earlier round and is not stored again.
#[derive(Debug, Default)]
struct Rounds {
    last: Option<i64>,
    part: u32,
    best_next: bool,
}

impl Rounds {
    fn line(&mut self, r: boost::Round, index: u64, out: &mut Batch) {
        let back = self.last.is_some_and(|l| r.step <= l);
        if std::mem::take(&mut self.best_next) && back {
            return;
        }
        if back {
            self.part = self.part.max(1) + 1;
        }
        self.last = Some(r.step);
        let run = if self.part <= 1 {
            0
        } else {
            out.run(RunKey::Part(self.part))
        };
        let at = Location::Line(index + 1);
        for (k, v) in &r.pairs {
            let m = out.metric(k);
            out.push_at(run, m, r.step, *v, None, at);
        }
    }
}

fn emit(line: &Line, placed: Placed, out: &mut Batch) {
    let at = Location::Line(placed.index + 1);
    let taken =
        |out: &mut Batch, m: u32| placed.inherited && out.last_step(0, m) == Some(placed.step);
    let mut skipped = Vec::new();
    if placed.epoch_metric
        && let Some(e) = line.scan.epoch
    {
        let m = out.metric("epoch");
        out.push_at(0, m, placed.step, e as f64, None, at);
    }
    if let Some(e) = line.scan.fractional_epoch {
        let m = out.metric("epoch");
        out.push_at(0, m, placed.step, e, None, at);
    }
    for (k, v) in &line.scan.pairs {
        let m = out.metric(k);
        if taken(out, m) {
            skipped.push(m);
            continue;
        }
        out.push_at(0, m, placed.step, *v, None, at);
    }
    if !skipped.is_empty() {
        step_source::report_taken(out, at, placed.step, &skipped);
    }
}

impl LineParser for KeyValue {
    fn line(&mut self, line: &str, index: u64, out: &mut Batch) -> Result<(), String> {
        if line.trim().is_empty() {
            return Ok(());
        }
        if self.tables.line(line, index, out) {
            return Ok(());
        }
        if let Some(r) = boost::round(line) {
            self.rounds.line(r, index, out);
            return Ok(());
        }
        if boost::announces_best(line) {
            self.rounds.best_next = true;
        }
        let mut s = scan::scan(line);
        if let Some(h) = s.heading.take() {
            self.block = Some(h.split('_').map(str::to_owned).collect());
            return Ok(());
        }
        match &self.block {
            Some(label) if s.indented => {
                for (k, _) in &mut s.pairs {
                    *k = scan::labelled(label, k);
                }
            }
            _ => self.block = None,
        }
        self.steps
            .line(Line { index, scan: s }, &mut |l, p| emit(l, p, out));
        Ok(())
    }

    fn finish(&mut self, out: &mut Batch) {
        self.tables.finish(out);
        self.steps.finish(&mut |l, p| emit(l, p, out));
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_styles;
