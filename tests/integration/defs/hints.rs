//! Hint rules evaluated over per-curve summaries.

use std::path::Path;

use tracker::defs::{CurveSummary, FileKind, Registry, Split, Verdict, evaluate_hints, parse_str};

/// A flat curve at `last`: every statistic of it is that value.
fn curve(registry: &Registry, name: &str, last: f64) -> CurveSummary {
    let r = registry.resolve(name);
    CurveSummary {
        name: name.to_string(),
        definition: r.definition,
        split: r.split,
        average: r.average,
        first: Some(last),
        last: Some(last),
        best: Some(last),
        min: Some(last),
        max: Some(last),
        ..CurveSummary::default()
    }
}

fn fired(
    registry: &Registry,
    curves: &[CurveSummary],
) -> Vec<(String, Option<Split>, Vec<String>)> {
    registry
        .hints(curves)
        .into_iter()
        .map(|m| (format!("{}/{}", m.definition, m.hint), m.split, m.curves))
        .collect()
}

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

#[test]
fn f1_low_while_accuracy_high_is_class_imbalance() {
    let registry = Registry::builtin().unwrap();
    let curves = [
        curve(&registry, "val_accuracy", 0.97),
        curve(&registry, "val_f1", 0.31),
        curve(&registry, "train_accuracy", 0.99),
        curve(&registry, "train_f1", 0.92),
    ];
    assert_eq!(
        fired(&registry, &curves),
        [(
            "f1/class-imbalance".to_string(),
            Some(Split::Val),
            names(&["val_accuracy", "val_f1"])
        )]
    );
    // Train accuracy high and val F1 low are not compared: conditions share one split.
    let mixed = [
        curve(&registry, "train_accuracy", 0.99),
        curve(&registry, "val_f1", 0.31),
    ];
    assert!(fired(&registry, &mixed).is_empty());
}

#[test]
fn precision_much_above_recall() {
    let registry = Registry::builtin().unwrap();
    let curves = [
        curve(&registry, "eval_precision", 0.9),
        curve(&registry, "eval_recall", 0.5),
    ];
    assert_eq!(
        fired(&registry, &curves),
        [(
            "f1/precision-over-recall".to_string(),
            Some(Split::Val),
            names(&["eval_precision", "eval_recall"])
        )]
    );
    let balanced = [
        curve(&registry, "eval_precision", 0.7),
        curve(&registry, "eval_recall", 0.6),
    ];
    assert!(fired(&registry, &balanced).is_empty());
}

#[test]
fn overfitting_reads_a_train_val_pair() {
    let registry = Registry::builtin().unwrap();
    let mut train = curve(&registry, "train_loss", 0.2);
    train.final_trend = Some(-0.05);
    let mut val = curve(&registry, "val_loss", 0.9);
    val.verdict = Some(Verdict::Diverging);
    let out = fired(&registry, &[train.clone(), val.clone()]);
    assert_eq!(
        out,
        [(
            "loss/overfitting".to_string(),
            None,
            names(&["train_loss", "val_loss"])
        )]
    );
    val.verdict = Some(Verdict::Healthy);
    assert!(fired(&registry, &[train, val]).is_empty());
}

#[test]
fn split_any_reaches_split_less_curves() {
    let registry = Registry::builtin().unwrap();
    let mut loss = curve(&registry, "train_loss", 9.0);
    loss.verdict = Some(Verdict::Diverging);
    let mut grad = curve(&registry, "grad_norm", 1e4);
    grad.verdict = Some(Verdict::Diverging);
    let out = fired(&registry, &[loss, grad]);
    assert_eq!(
        out,
        [(
            "loss/exploding-gradients".to_string(),
            Some(Split::Train),
            names(&["train_loss", "grad_norm"])
        )]
    );
}

#[test]
fn missing_statistics_never_fire() {
    let registry = Registry::builtin().unwrap();
    let mut acc = curve(&registry, "val_accuracy", 0.97);
    acc.last = None;
    let f1 = curve(&registry, "val_f1", f64::NAN);
    assert!(fired(&registry, &[acc, f1]).is_empty());
    assert!(fired(&registry, &[]).is_empty());
}

#[test]
fn comparison_with_factor_offset_and_stats() {
    let text = r#"
id: gap
hints:
  - id: best-gap
    when:
      - { left: gap, split: train, stat: best, op: ">", right: gap, right_split: val, right_stat: last, factor: 2, offset: 0.1 }
    message: "train best > 2 x val last + 0.1"
  - id: default-metric
    when:
      - { stat: max, op: ">=", value: 1 }
    message: "max at least 1"
"#;
    let def = parse_str(text, Path::new("gap.yaml"), FileKind::Yaml)
        .unwrap()
        .definition;
    let c = |name: &str, split: Split, best: f64, last: f64, max: f64| CurveSummary {
        name: name.to_string(),
        definition: Some("gap".to_string()),
        split: Some(split),
        best: Some(best),
        last: Some(last),
        max: Some(max),
        ..CurveSummary::default()
    };
    let hits = |curves: &[CurveSummary]| -> Vec<String> {
        evaluate_hints(std::slice::from_ref(&def), curves)
            .into_iter()
            .map(|m| format!("{}@{:?}", m.hint, m.split))
            .collect()
    };
    // 0.9 > 2 × 0.3 + 0.1 = 0.7
    assert_eq!(
        hits(&[
            c("train_gap", Split::Train, 0.9, 0.5, 0.95),
            c("val_gap", Split::Val, 0.2, 0.3, 0.4)
        ]),
        ["best-gap@None"]
    );
    // 0.9 > 2 × 0.45 + 0.1 = 1.0 fails; max ≥ 1 holds on val only.
    assert_eq!(
        hits(&[
            c("train_gap", Split::Train, 0.9, 0.5, 0.95),
            c("val_gap", Split::Val, 0.2, 0.45, 1.2)
        ]),
        ["default-metric@Some(Val)"]
    );
}

#[test]
fn hints_naming_unknown_metrics_are_warnings() {
    let dir = tempdir_with(
        "nomatch.yaml",
        "id: nomatch\nhints:\n  - when: [{ metric: nosuch, op: \"<\", value: 1 }]\n    message: m\n",
    );
    let registry = Registry::load(Some(&dir)).unwrap();
    let w: Vec<String> = registry.warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].ends_with("nomatch.yaml:3:14: warning: field 'hints[0].when[0].metric': no definition has id 'nosuch'; expected a definition id such as 'accuracy'"),
        "{}",
        w[0]
    );
    assert_eq!(registry.get("nomatch").unwrap().hints[0].id, "nomatch-0");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fresh directory under the target dir holding one file.
fn tempdir_with(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tracker-defs-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
    dir
}
