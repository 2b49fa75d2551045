use super::*;
use crate::ingest::{Format, Options, parse_all};

fn points(text: &str) -> (Batch, Vec<(String, i64, f64)>) {
    let b = parse_all(Format::Columns, &Options::default(), text.as_bytes());
    let v = b
        .points
        .iter()
        .map(|p| (b.metric_name(p.metric).to_string(), p.step, p.value))
        .collect();
    (b, v)
}

fn of(v: &[(String, i64, f64)], name: &str) -> Vec<(i64, f64)> {
    v.iter()
        .filter(|(n, _, _)| n == name)
        .map(|&(_, s, x)| (s, x))
        .collect()
}

#[test]
fn keras_history_one_step_per_index() {
    let (b, v) = points(r#"{"loss": [0.9, 0.7, 0.6], "val_loss": [1.0, 0.8, 0.75]}"#);
    assert_eq!(of(&v, "loss"), [(0, 0.9), (1, 0.7), (2, 0.6)]);
    assert_eq!(of(&v, "val_loss"), [(0, 1.0), (1, 0.8), (2, 0.75)]);
    assert!(b.skips.is_empty() && b.params.is_empty());
}

#[test]
fn nested_beside_metadata_and_pretty_printed() {
    let text = r#"{
  "model": "resnet",
  "params": {"lr": 0.1, "tags": ["a", "b"]},
  "history": {
    "loss": [0.9, null, 0.5],
    "acc": [0.1, NaN],
    "notes": ["x", "y"],
    "quoted": ["1", "2"],
    "points": [{"a": 1}, {"a": 2}]
  },
  "train": {"loss": [2, 1]}, "val": {"loss": [3]}
}"#;
    let (b, v) = points(text);
    assert_eq!(of(&v, "history/loss"), [(0, 0.9), (2, 0.5)]);
    let acc = of(&v, "history/acc");
    assert_eq!(acc[0], (0, 0.1));
    assert!(acc[1].0 == 1 && acc[1].1.is_nan());
    assert_eq!(of(&v, "train/loss"), [(0, 2.0), (1, 1.0)]);
    assert_eq!(of(&v, "val/loss"), [(0, 3.0)]);
    assert_eq!(v.len(), 7, "{v:?}");
    let params = &b.params[0].1;
    assert_eq!(params["model"], "resnet");
    assert_eq!(params["params/lr"], 0.1);
}

#[test]
fn a_step_list_of_the_same_length_gives_the_steps() {
    let (_, v) = points(r#"{"epoch": [1, 2, 3], "loss": [3, 2, 1], "lr": [0.1, 0.01]}"#);
    assert_eq!(of(&v, "loss"), [(1, 3.0), (2, 2.0), (3, 1.0)]);
    assert_eq!(of(&v, "lr"), [(0, 0.1), (1, 0.01)]);
    assert!(of(&v, "epoch").is_empty());
    // A fractional epoch list is a metric, not steps.
    let (_, v) = points(r#"{"epoch": [0.5, 1.0], "loss": [3, 2]}"#);
    assert_eq!(of(&v, "epoch"), [(0, 0.5), (1, 1.0)]);
    assert_eq!(of(&v, "loss"), [(0, 3.0), (1, 2.0)]);
}

#[test]
fn not_a_column_document() {
    let (b, v) = points(r#"{"name": "x", "lr": 0.1}"#);
    assert!(v.is_empty());
    assert!(b.skips[0].reason.contains("no list of numbers"));
    let (b, _) = points("[1, 2]");
    assert_eq!(b.skips[0].reason, "not a JSON object");
}

#[test]
fn detected_by_shape() {
    assert!(looks_like(br#"{"loss": [0.9, 0.7], "val_loss": [1, 0.8]}"#));
    assert!(looks_like(
        b"{\n  \"history\": {\n    \"loss\": [\n      0.9,\n      0.7\n"
    ));
    assert!(looks_like(
        br#"{"m": "x", "h": {"loss": [NaN, 0.7, null]}}"#
    ));
    // JSONL, configs, vocabularies and lists of one number are not.
    assert!(!looks_like(b"{\"loss\": [1, 2]}\n{\"loss\": [3, 4]}\n"));
    assert!(!looks_like(br#"{"lr": 0.1, "name": "x", "layers": [1]}"#));
    assert!(!looks_like(
        br#"{"image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5], "size": 224,
        "do_resize": true, "do_normalize": true, "resample": 3, "crop": 224, "a": 1, "b": 2}"#
    ));
    assert!(!looks_like(br#"{"a": 0, "b": 1, "c": 2}"#));
    assert!(!looks_like(
        br#"{"merges": ["a b", "c d", "e f"], "x": [1, 2]}"#
    ));
    assert!(!looks_like(
        br#"{"name": "pkg", "scripts": {"t": "x"}, "files": ["a"]}"#
    ));
    assert!(!looks_like(b"[1, 2, 3]"));
}
