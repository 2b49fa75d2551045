//! What the Hugging Face Trainer prints: one Python dict per logging call.
//!
//! Transformers 4 prints numbers (`{'loss': 0.69, 'epoch': 0.08}`), Transformers 5 strings
//! (`{'loss': '0.6742'}`). The step is not in the line, so it is recovered, best source first:
//! 1. the same run's `trainer_state.json` ([`Reference`]): the exact steps;
//! 2. the logging-call count × `logging_steps` for a training line. `logging_steps` is
//!    `--logging-steps`, else the value the log itself prints before its first dict (a
//!    `TrainingArguments` or argparse dump: `logging_steps=10`), else 1. An evaluation line
//!    takes the step of the training line before it, or, when its epoch is later, that step
//!    scaled by the epochs (never past the next training line's step); two evaluations never
//!    share a step (the later one moves one step on), and a training line never goes back
//!    behind an evaluation. The final summary (`train_runtime`) takes the last step.
//!
//! tqdm counters glued to dict lines (`200/8264 [23:37<…]{'loss': …}`) are not used: stdout
//! and stderr are buffered apart, so the bar shows where it was when stdout was flushed.
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
    /// `logging_steps` as the log prints it in its settings, before the first dict.
    printed_logging_steps: Option<u64>,
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

/// `logging_steps` as a settings dump prints it: `logging_steps=10`, `'logging_steps': 10`,
/// `"logging_steps": 10`, `logging_steps: 10`.
fn printed_logging_steps(line: &str) -> Option<u64> {
    let at = line.find("logging_steps")?;
    let rest = line[at + "logging_steps".len()..].trim_start_matches(['\'', '"', '=', ':', ' ']);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    rest[..digits].parse().ok().filter(|&n| n > 0)
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

    fn estimate(&mut self, kind: Kind, epoch: Option<f64>) -> i64 {
        let every = self
            .logging_steps
            .or(self.printed_logging_steps)
            .unwrap_or(1)
            .min(i64::MAX as u64) as i64;
        match kind {
            Kind::Train => {
                self.count += 1;
                let step = (self.count as i64).saturating_mul(every);
                // Never behind an evaluation printed before this line.
                self.last_step.map_or(step, |last| step.max(last))
            }
            Kind::Eval => {
                let base = self.last_train.map_or(0, |(s, _)| s);
                let next_train = (self.count as i64 + 1).saturating_mul(every);
                let step = match (self.last_train, epoch) {
                    (Some((s, Some(e0))), Some(e))
                        if every > 1 && e > e0 && e0 > 0.0 && !close(e, e0) =>
                    {
                        ((e * s as f64 / e0).round() as i64).clamp(base, next_train.max(base))
                    }
                    _ => base,
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

    fn record(&mut self, dict: &str, index: u64, out: &mut Batch) -> bool {
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
                printed_logging_steps: self.printed_logging_steps,
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
            None => self.estimate(kind, epoch),
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
        if self.count == 0
            && self.printed_logging_steps.is_none()
            && let Some(n) = printed_logging_steps(line)
        {
            self.printed_logging_steps = Some(n);
        }
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
                if !self.record(dict, index, out) && looks_like_metrics(dict) {
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
    fn printed_logging_steps_and_no_tqdm_counters() {
        assert_eq!(
            printed_logging_steps("Namespace(lr=1, logging_steps=10, x=2)"),
            Some(10)
        );
        assert_eq!(printed_logging_steps("  'logging_steps': 25,"), Some(25));
        assert_eq!(printed_logging_steps("logging_steps=0"), None);
        assert_eq!(printed_logging_steps("logging_steps"), None);
        // The bar glued to the first dict was drawn when stdout was flushed, much later.
        let text = "arg is Namespace(logging_steps=10, eval_steps=20)\n\
                    \r 2%|█ | 200/8264 [23:37<15:44,  7.03s/it]{'loss': 12.4, 'epoch': 0.0}\n\
                    {'loss': 4.7, 'epoch': 0.0}\n\
                    \r 3%|█ | 24/8264 [..]{'eval_loss': 0.5, 'epoch': 0.0}\n{'loss': 0.6, 'epoch': 0.01}\n";
        let v = steps(text, &Options::default());
        let s: Vec<i64> = v.iter().map(|x| x.2).collect();
        assert_eq!(s, vec![10, 20, 20, 30]);
    }

    #[test]
    fn evaluations_outnumbering_training_lines_keep_every_point() {
        // Evaluation every epoch, a training log every 2.2 epochs, logging_steps unknown.
        let mut text = String::new();
        for e in 1..=5 {
            text.push_str(&format!("{{'eval_f1': 0.{e}, 'epoch': {e}.0}}\n"));
            if e % 2 == 0 {
                text.push_str(&format!("{{'loss': 0.{e}, 'epoch': {e}.2}}\n"));
            }
        }
        let b = parse_all(Format::HfLog, &Options::default(), text.as_bytes());
        assert!(b.restarts.is_empty());
        assert_eq!(b.replaced_in_stream, 2, "only epoch values at shared steps");
        let f1: Vec<i64> = steps(&text, &Options::default())
            .iter()
            .filter(|x| x.0 == "eval_f1")
            .map(|x| x.2)
            .collect();
        assert_eq!(f1, vec![0, 1, 2, 3, 4]);
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
