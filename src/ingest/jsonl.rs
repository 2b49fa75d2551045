//! JSON Lines: one object per line.
//!
//! Every numeric field is a metric (nested objects are flattened with `/`; quoted numbers and
//! Python's `NaN`/`Infinity` count), except the field chosen as the step and a wall-clock time
//! field (`wall_time`, `_timestamp`, `timestamp`, `time` holding Unix seconds or milliseconds).
//! The step field is chosen once for the whole file (see [`super::step_source`]). A string `run`
//! field names the line's run. The long form `{"metric": "f1", "value": 0.8, "step": 3}` (also
//! with `name` or `tag`) gives one point. Training and validation records told apart by a `mode`
//! field, or by MMEngine's `step` beside `iter`, are placed and named by [`super::phases`].

use super::json::{self, Event, Val};
use super::lines::LineParser;
use super::phases::Phases;
use super::step_source::{Field, Record, StepSource};
use super::{Batch, Location, number, step};

#[derive(Debug, Default)]
pub struct Jsonl {
    record: Record,
    steps: StepSource,
    phases: Phases,
    /// The line's `mode` field.
    mode: String,
}

/// If `name` is a wall-clock field holding a plausible Unix time, that time in seconds.
pub fn wall_time(name: &str, v: f64) -> Option<f64> {
    if !matches!(name, "wall_time" | "_timestamp" | "timestamp" | "time") {
        return None;
    }
    if (1e8..1e11).contains(&v) {
        Some(v)
    } else if (1e11..1e14).contains(&v) {
        Some(v / 1000.0)
    } else {
        None
    }
}

impl LineParser for Jsonl {
    fn line(&mut self, line: &str, index: u64, out: &mut Batch) -> Result<(), String> {
        let text = line.trim();
        if text.is_empty() {
            return Ok(());
        }
        let rec = &mut self.record;
        rec.fields.clear();
        let mut run = None;
        let mut long_metric = None;
        let mut long_value = None;
        let mut wall = None;
        let mode = &mut self.mode;
        let mut has_mode = false;
        json::for_each_field(text, &mut |event| {
            let (name, val) = match event {
                Event::Field(name, val) => (name, val),
                Event::Restart => {
                    rec.fields.clear();
                    (run, long_metric, long_value, wall) = (None, None, None, None);
                    has_mode = false;
                    return;
                }
            };
            let num = match val {
                Val::Num(v) => Some(v),
                Val::Str(s) => number::parse(s),
                Val::Other => None,
            };
            match (name, val) {
                ("run", Val::Str(s)) => {
                    run = Some(out.named_run(s));
                    return;
                }
                ("run", Val::Num(v)) => {
                    run = Some(out.named_run(&v.to_string()));
                    return;
                }
                ("mode", Val::Str(s)) => {
                    mode.clear();
                    mode.push_str(s);
                    has_mode = true;
                    return;
                }
                ("metric" | "name" | "tag", Val::Str(s)) if num.is_none() => {
                    long_metric = Some(out.metric(s));
                    return;
                }
                _ => {}
            }
            let Some(v) = num else { return };
            if name == "value" {
                long_value = Some(v);
            }
            if let Some(t) = wall_time(name, v) {
                wall = Some(t);
                return;
            }
            rec.fields.push(Field {
                metric: out.metric(name),
                value: v,
                rank: step::rank(name),
            });
        })?;
        rec.run = run.unwrap_or(0);
        rec.index = index;
        rec.at = Some(Location::Line(index + 1));
        rec.wall = wall;
        rec.long = long_metric.zip(long_value);
        let steps = &mut self.steps;
        let mode = has_mode.then_some(self.mode.as_str());
        self.phases
            .record(&self.record, mode, out, &mut |r, out| steps.record(r, out));
        Ok(())
    }

    fn finish(&mut self, out: &mut Batch) {
        let steps = &mut self.steps;
        self.phases.finish(out, &mut |r, out| steps.record(r, out));
        self.steps.finish(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Format, Options, parse_all};

    fn points(text: &str) -> (Batch, Vec<(String, i64, f64)>) {
        let b = parse_all(Format::Jsonl, &Options::default(), text.as_bytes());
        let v = b
            .points
            .iter()
            .map(|p| (b.metric_name(p.metric).to_string(), p.step, p.value))
            .collect();
        (b, v)
    }

    #[test]
    fn step_keys_in_order_and_epoch_kept_as_metric() {
        let (_, v) = points("{\"epoch\": 2, \"step\": 10, \"loss\": 0.5}\n");
        assert_eq!(v, vec![("epoch".into(), 10, 2.0), ("loss".into(), 10, 0.5)]);
        // The file's step field is `iteration`: a later line without it takes the last step.
        let (_, v) = points("{\"iteration\": 19, \"loss\": 1}\n{\"epoch\": 3, \"acc\": 0.1}\n");
        assert_eq!(
            v,
            vec![
                ("loss".into(), 19, 1.0),
                ("epoch".into(), 19, 3.0),
                ("acc".into(), 19, 0.1)
            ]
        );
    }

    #[test]
    fn line_number_without_a_step() {
        let (_, v) = points("{\"loss\": 1, \"epoch\": 0.5}\n\n{\"loss\": 2}\n");
        assert_eq!(v[0], ("loss".into(), 0, 1.0));
        assert_eq!(v[1], ("epoch".into(), 0, 0.5));
        assert_eq!(v[2], ("loss".into(), 2, 2.0));
    }

    #[test]
    fn run_field_long_form_and_strings() {
        let text = r#"{"run": "a", "step": 1, "loss": "0.25", "note": "x", "lr": NaN}
{"run": "b", "metric": "f1", "value": 0.8, "step": 3}
"#;
        let (b, v) = points(text);
        assert_eq!(v[0], ("loss".into(), 1, 0.25));
        assert!(v[1].2.is_nan());
        assert_eq!(v[2], ("f1".into(), 3, 0.8));
        assert_eq!(
            b.run_key(b.points[0].run),
            &crate::ingest::RunKey::Named("a".into())
        );
        assert_eq!(
            b.run_key(b.points[2].run),
            &crate::ingest::RunKey::Named("b".into())
        );
    }

    #[test]
    fn wall_time_is_not_a_metric() {
        let (b, v) = points("{\"step\": 1, \"loss\": 1, \"timestamp\": 1700000000.5}\n");
        assert_eq!(v.len(), 1);
        assert_eq!(b.points[0].wall_time, Some(1700000000.5));
    }

    #[test]
    fn bad_lines_are_reported_and_good_ones_kept() {
        let (b, v) = points(
            "{\"step\": 1, \"loss\": 1}\n{\"step\": 2, \"loss\": \n[1]\n{\"step\": 3, \"loss\": 3}",
        );
        assert_eq!(v.len(), 2);
        assert_eq!(b.skips.len(), 2);
        assert_eq!(b.skips[0].location, Location::Line(2));
        assert_eq!(b.skips[1].reason, "not a JSON object");
    }
}
