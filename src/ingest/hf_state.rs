//! The Hugging Face Trainer's `trainer_state.json`: `log_history` holds one entry per logging
//! call with its `step`; the top-level settings (`logging_steps`, `train_batch_size`, …) become
//! the run's params. Entries without a `step` (e.g. `predict_*` results) take the last step.

use super::hf_log::Reference;
use super::{Batch, Location, Parser, json, number};
use serde_json::Value;

/// Largest `trainer_state.json` read (they are a few MB at most).
pub const MAX_LEN: usize = 256 << 20;

#[derive(Debug, Default)]
pub struct HfState {
    buf: Vec<u8>,
    too_long: bool,
}

/// Read a whole `trainer_state.json`, accepting Python's `NaN` and `Infinity`.
fn parse_document(data: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(super::strip_bom(data));
    match serde_json::from_str::<Value>(&text) {
        Ok(v) => Ok(v),
        Err(e) => match json::repair(&text) {
            Some(fixed) => serde_json::from_str(&fixed).map_err(|_| e.to_string()),
            None => Err(e.to_string()),
        },
    }
}

fn value_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => number::parse(s),
        _ => None,
    }
}

fn log_history(doc: &Value) -> Result<&Vec<Value>, String> {
    doc.get("log_history")
        .and_then(Value::as_array)
        .ok_or_else(|| "no 'log_history' list: is this a trainer_state.json?".to_string())
}

/// The steps of each logging call, to give a stdout log of the same run the same steps.
pub fn reference(data: &[u8]) -> Result<Vec<Reference>, String> {
    let doc = parse_document(data)?;
    let mut last = 0;
    Ok(log_history(&doc)?
        .iter()
        .filter_map(Value::as_object)
        .map(|entry| {
            let step = entry
                .get("step")
                .and_then(value_of)
                .and_then(number::as_step)
                .unwrap_or(last);
            last = step;
            let mut keys: Vec<String> = entry
                .iter()
                .filter(|(k, v)| *k != "step" && value_of(v).is_some())
                .map(|(k, _)| k.clone())
                .collect();
            keys.sort();
            Reference {
                keys,
                epoch: entry.get("epoch").and_then(value_of),
                step,
            }
        })
        .collect())
}

/// Top-level keys of a `trainer_state.json` that are settings of the run (its params), not
/// progress (`global_step`, `epoch`) or bookkeeping (`is_world_process_zero`).
fn is_setting(key: &str) -> bool {
    !key.starts_with("is_")
        && !key.starts_with("best_")
        && !matches!(
            key,
            "log_history"
                | "global_step"
                | "epoch"
                | "total_flos"
                | "num_input_tokens_seen"
                | "trial_name"
                | "trial_params"
        )
}

impl HfState {
    fn parse(&self, out: &mut Batch) -> Result<(), String> {
        let doc = parse_document(&self.buf).map_err(|e| format!("invalid JSON: {e}"))?;
        let history = log_history(&doc)?;
        let mut last = doc
            .get("global_step")
            .and_then(value_of)
            .and_then(number::as_step)
            .unwrap_or(0);
        let mut first = true;
        for (i, entry) in history.iter().enumerate() {
            let Some(entry) = entry.as_object() else {
                out.skip(
                    Location::Whole,
                    format!("log_history[{i}] is not an object"),
                );
                continue;
            };
            let step = match entry
                .get("step")
                .and_then(value_of)
                .and_then(number::as_step)
            {
                Some(s) => s,
                // Before any step, an entry without one belongs at the start.
                None if first => 0,
                None => last,
            };
            first = false;
            last = step;
            for (key, v) in entry {
                if key == "step" {
                    continue;
                }
                if let Some(x) = value_of(v) {
                    let m = out.metric(key);
                    out.push(0, m, step, x, None);
                }
            }
        }
        if let Some(obj) = doc.as_object() {
            let params: serde_json::Map<String, Value> = obj
                .iter()
                .filter(|(k, v)| is_setting(k) && !v.is_object() && !v.is_array() && !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !params.is_empty() {
                out.params.push((0, params));
            }
        }
        Ok(())
    }
}

impl Parser for HfState {
    fn feed(&mut self, data: &[u8], eof: bool, out: &mut Batch) -> usize {
        if !self.too_long {
            if self.buf.len() + data.len() > MAX_LEN {
                self.too_long = true;
                self.buf = Vec::new();
                out.skip(
                    Location::Whole,
                    "file is larger than 256 MiB; not a trainer_state.json?",
                );
            } else {
                self.buf.extend_from_slice(data);
            }
        }
        if eof && !self.too_long {
            if let Err(e) = self.parse(out) {
                out.skip(Location::Whole, e);
            }
            self.buf = Vec::new();
        }
        data.len()
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::{Format, Options, parse_all};

    #[test]
    fn log_history_with_steps_nan_and_params() {
        let text = r#"{"global_step": 20, "logging_steps": 10, "log_history": [
            {"epoch": 0.5, "loss": 0.7, "step": 10},
            {"epoch": 1.0, "eval_f1": NaN, "step": 20},
            {"predict_rouge1": 0.3}
        ], "stateful_callbacks": {"x": 1}}"#;
        let b = parse_all(Format::HfState, &Options::default(), text.as_bytes());
        let v: Vec<_> = b
            .points
            .iter()
            .map(|p| (b.metric_name(p.metric).to_string(), p.step))
            .collect();
        assert_eq!(
            v,
            vec![
                ("epoch".to_string(), 10),
                ("loss".to_string(), 10),
                ("epoch".to_string(), 20),
                ("eval_f1".to_string(), 20),
                ("predict_rouge1".to_string(), 20),
            ]
        );
        assert!(b.points[3].value.is_nan());
        let params = &b.params[0].1;
        assert_eq!(params["logging_steps"], 10);
        assert!(!params.contains_key("stateful_callbacks"));
    }

    #[test]
    fn not_a_trainer_state() {
        let b = parse_all(Format::HfState, &Options::default(), b"{\"a\": 1}");
        assert!(b.skips[0].reason.contains("log_history"));
        let b = parse_all(Format::HfState, &Options::default(), b"{\"log_history\": [");
        assert!(b.skips[0].reason.starts_with("invalid JSON"));
    }
}
