//! What the Hugging Face Trainer prints: one Python dict per logging call.
//!
//! Transformers 4 prints numbers (`{'loss': 0.69, 'epoch': 0.08}`), Transformers 5 strings
//! (`{'loss': '0.6742'}`). The step is not in the line, so it is recovered, best source first:
//! 1. the same run's `trainer_state.json` ([`Reference`]): the exact steps;
//! 2. a tqdm progress counter printed on the same line before a training dict (`200/8264 [..]`);
//! 3. the logging-call count × `logging_steps` (default 1) for a training line; an evaluation
//!    line takes the step of the training line before it, or, when its epoch is later, that
//!    step scaled by the epochs; the final summary (`train_runtime`) takes the last step.
//!
//! A summary line ends a training run: dicts after it belong to a new run (`NAME-2`, …), as when
//! one console transcript holds two `trainer.train()` calls. Dicts that follow other text
//! (`eval_results= {...}`, `TrainOutput(..., metrics={...})`) repeat earlier values and are
//! ignored, as are dicts without numbers.

use super::lines::LineParser;
use super::{Batch, Location, Options, RunKey, number, pydict};
use pydict::PyVal;

/// One logging call of a `trainer_state.json`: its numeric keys (sorted, without `step`), its
/// epoch and its step.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub keys: Vec<String>,
    pub epoch: Option<f64>,
    pub step: i64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Train,
    Eval,
    Summary,
}

#[derive(Debug, Default)]
pub struct HfLog {
    logging_steps: Option<u64>,
    reference: Vec<Reference>,
    cursor: usize,
    part: u32,
    ended: bool,
    count: u64,
    last_train: Option<(i64, Option<f64>)>,
    last_step: Option<i64>,
    last_eval: Option<i64>,
    entries: Vec<(String, f64)>,
}

/// The counter of a tqdm bar at the end of `text` (`… 200/8264 [23:37<15:44:25,  7.03s/it]`).
fn tqdm_counter(text: &str) -> Option<i64> {
    let open = text.rfind('[')?;
    let before = text[..open].trim_end();
    let (left, total) = before.rsplit_once('/')?;
    total.trim().parse::<u64>().ok()?;
    let digits: String = left
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-3 * b.abs().max(1.0)
}

impl HfLog {
    pub fn new(options: &Options) -> Self {
        HfLog {
            logging_steps: options.logging_steps,
            reference: options.hf_reference.clone().unwrap_or_default(),
            part: 1,
            ..HfLog::default()
        }
    }

    fn step_from_reference(&mut self, epoch: Option<f64>) -> Option<i64> {
        let window = self.reference.len().min(self.cursor + 64);
        for i in self.cursor..window {
            let r = &self.reference[i];
            let keys_fit = self
                .entries
                .iter()
                .all(|(k, _)| r.keys.binary_search(k).is_ok());
            let epoch_fits = match (epoch, r.epoch) {
                (Some(a), Some(b)) => close(a, b),
                (None, None) => true,
                _ => false,
            };
            if keys_fit && epoch_fits {
                self.cursor = i + 1;
                return Some(r.step);
            }
        }
        None
    }

    fn estimate(&mut self, kind: Kind, epoch: Option<f64>, tqdm: Option<i64>) -> i64 {
        match kind {
            Kind::Train => {
                self.count += 1;
                match tqdm {
                    Some(s) => s,
                    None => (self.count * self.logging_steps.unwrap_or(1)) as i64,
                }
            }
            Kind::Eval => {
                let step = match (self.last_train, epoch) {
                    (Some((s, Some(e0))), Some(e)) if e > e0 && e0 > 0.0 && !close(e, e0) => {
                        (e * s as f64 / e0).round() as i64
                    }
                    (Some((s, _)), _) => s,
                    (None, _) => 0,
                };
                // Two evaluations never share a step: that would lose the first.
                match self.last_eval {
                    Some(prev) if step <= prev => prev + 1,
                    _ => step,
                }
            }
            Kind::Summary => self.last_step.unwrap_or(0),
        }
    }

    fn record(&mut self, dict: &str, tqdm: Option<i64>, index: u64, out: &mut Batch) -> bool {
        let Ok((entries, _)) = pydict::parse(dict) else {
            return false;
        };
        self.entries.clear();
        for (k, v) in entries {
            let x = match v {
                PyVal::Num(x) => Some(x),
                PyVal::Str(s) => number::parse(&s),
                PyVal::Other => None,
            };
            if let Some(x) = x {
                self.entries.push((k.into_owned(), x));
            }
        }
        let has = |p: &dyn Fn(&str) -> bool| self.entries.iter().any(|(k, _)| p(k));
        if !has(&|k| k == "epoch" || k == "loss" || k.starts_with("eval_")) {
            return false;
        }
        let kind = if has(&|k| k == "train_runtime") {
            Kind::Summary
        } else if has(&|k| k.starts_with("eval_") || k.starts_with("test_")) {
            Kind::Eval
        } else {
            Kind::Train
        };
        if self.ended && kind != Kind::Summary {
            *self = HfLog {
                logging_steps: self.logging_steps,
                part: self.part + 1,
                entries: std::mem::take(&mut self.entries),
                ..HfLog::default()
            };
        }
        let epoch = self.entries.iter().find(|(k, _)| k == "epoch").map(|e| e.1);
        let step = match self.step_from_reference(epoch) {
            Some(s) => {
                if kind == Kind::Train {
                    self.count += 1;
                }
                s
            }
            None => self.estimate(kind, epoch, tqdm),
        };
        match kind {
            Kind::Train => self.last_train = Some((step, epoch)),
            Kind::Eval => self.last_eval = Some(step),
            Kind::Summary => self.ended = true,
        }
        self.last_step = Some(self.last_step.map_or(step, |s| s.max(step)));
        let run = if self.part == 1 {
            0
        } else {
            out.run(RunKey::Part(self.part))
        };
        let at = Location::Line(index + 1);
        for (k, x) in &self.entries {
            let m = out.metric(k);
            out.push_at(run, m, step, *x, None, at);
        }
        true
    }
}

impl LineParser for HfLog {
    fn line(&mut self, line: &str, index: u64, out: &mut Batch) -> Result<(), String> {
        // tqdm redraws with '\r': each segment is what the terminal showed at one moment.
        for segment in line.split('\r') {
            let mut from = 0;
            while let Some(pos) = segment[from..].find('{').map(|p| p + from) {
                from = pos + 1;
                let prefix = segment[..pos].trim_end();
                if !(prefix.is_empty() || prefix.ends_with(']')) {
                    continue;
                }
                let dict = &segment[pos..];
                if !(dict.starts_with("{'") || dict.starts_with("{\"")) {
                    continue;
                }
                let tqdm = if prefix.is_empty() {
                    None
                } else {
                    tqdm_counter(prefix)
                };
                if !self.record(dict, tqdm, index, out) && looks_like_metrics(dict) {
                    return Err(match pydict::parse(dict) {
                        Err(e) => format!("unreadable Trainer log line: {e}"),
                        Ok(_) => "Trainer log line without numbers".into(),
                    });
                }
            }
        }
        Ok(())
    }
}

fn looks_like_metrics(dict: &str) -> bool {
    dict.starts_with("{'loss'") || dict.starts_with("{'eval_") || dict.starts_with("{'train_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Format, parse_all};

    fn steps(text: &str, options: &Options) -> Vec<(String, u32, i64)> {
        let b = parse_all(Format::HfLog, options, text.as_bytes());
        b.points
            .iter()
            .filter(|p| b.metric_name(p.metric) != "epoch")
            .map(|p| (b.metric_name(p.metric).to_string(), p.run, p.step))
            .collect()
    }

    #[test]
    fn counts_logging_calls() {
        let text = "{'loss': '0.67', 'epoch': '0.5'}\n{'loss': 0.6, 'epoch': 1.0}\n\
                    {'eval_loss': 0.6, 'epoch': 1.0}\n{'eval_loss': 0.5, 'epoch': 1.5}\n\
                    {'train_runtime': 3.0, 'train_loss': 0.6, 'epoch': 1.5}\n";
        let o = Options {
            logging_steps: Some(5),
            ..Options::default()
        };
        let v = steps(text, &o);
        let s: Vec<i64> = v.iter().map(|x| x.2).collect();
        assert_eq!(s, vec![5, 10, 10, 15, 15, 15]);
    }

    #[test]
    fn tqdm_counter_gives_the_step() {
        assert_eq!(
            tqdm_counter("  2%|███ | 200/8264 [23:37<15:44:25,  7.03s/it]"),
            Some(200)
        );
        let text = " 2%|█ | 200/8264 [23:37<15:44,  7.03s/it]{'loss': 12.4, 'epoch': 0.0}\n";
        assert_eq!(
            steps(text, &Options::default()),
            vec![("loss".into(), 0, 200)]
        );
    }

    #[test]
    fn a_second_training_run_is_a_new_part_and_echoes_are_ignored() {
        let text = "{'loss': 1.0, 'epoch': 1.0}\n{'train_runtime': 1.0, 'epoch': 1.0}\n\
                    eval_results= {'eval_loss': 9.0, 'epoch': 1.0}\n\
                    {'text': ['a']}\n{'eval_f1': 0.5, 'epoch': 1.0}\n{'eval_f1': 0.6, 'epoch': 2.0}\n";
        let v = steps(text, &Options::default());
        assert_eq!(v[2], ("eval_f1".into(), 1, 0));
        assert_eq!(v[3], ("eval_f1".into(), 1, 1));
        assert_eq!(v.len(), 4);
    }

    #[test]
    fn reference_steps_win() {
        let reference = vec![
            Reference {
                keys: vec!["epoch".into(), "loss".into()],
                epoch: Some(0.0794),
                step: 5,
            },
            Reference {
                keys: vec!["epoch".into(), "eval_f1".into()],
                epoch: Some(0.0794),
                step: 5,
            },
        ];
        let o = Options {
            hf_reference: Some(reference),
            ..Options::default()
        };
        let text = "{'loss': '0.6', 'epoch': '0.07937'}\n{'eval_f1': '0', 'epoch': '0.07937'}\n";
        assert_eq!(
            steps(text, &o),
            vec![("loss".into(), 0, 5), ("eval_f1".into(), 0, 5)]
        );
    }

    #[test]
    fn broken_metric_line_is_reported() {
        let b = parse_all(
            Format::HfLog,
            &Options::default(),
            b"{'loss': 0.5, 'epoch'\n",
        );
        assert_eq!(b.skips.len(), 1);
        assert!(b.skips[0].reason.starts_with("unreadable Trainer log line"));
    }
}
