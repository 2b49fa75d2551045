//! Logged names → (definition, split, average, granularity), and train/val pairs.

use tracker::defs::{CurvePair, Granularity, Registry, Split};

/// (logged name, definition, split, average, granularity)
type Row = (
    &'static str,
    Option<&'static str>,
    Option<Split>,
    Option<&'static str>,
    Option<Granularity>,
);

const TRAIN: Option<Split> = Some(Split::Train);
const VAL: Option<Split> = Some(Split::Val);
const TEST: Option<Split> = Some(Split::Test);
const STEP: Option<Granularity> = Some(Granularity::Step);
const EPOCH: Option<Granularity> = Some(Granularity::Epoch);

const TABLE: &[Row] = &[
    ("val_f1", Some("f1"), VAL, None, None),
    ("eval_f1_macro", Some("f1"), VAL, Some("macro"), None),
    ("val_f1_micro", Some("f1"), VAL, Some("micro"), None),
    (
        "test_f1_weighted_epoch",
        Some("f1"),
        TEST,
        Some("weighted"),
        EPOCH,
    ),
    ("train_loss_step", Some("loss"), TRAIN, None, STEP),
    ("train_loss_epoch", Some("loss"), TRAIN, None, EPOCH),
    ("train/loss", Some("loss"), TRAIN, None, None),
    ("eval/f1", Some("f1"), VAL, None, None),
    ("val_acc", Some("accuracy"), VAL, None, None),
    ("valid-acc", Some("accuracy"), VAL, None, None),
    ("validation.accuracy", Some("accuracy"), VAL, None, None),
    ("accuracy_val", Some("accuracy"), VAL, None, None),
    ("Val_Acc", Some("accuracy"), VAL, None, None),
    ("learning_rate", Some("learning_rate"), None, None, None),
    ("lr", Some("learning_rate"), None, None, None),
    ("lr-SGD", Some("learning_rate"), None, None, None),
    ("lr-Adam", Some("learning_rate"), None, None, None),
    ("lr/pg0", Some("learning_rate"), None, None, None),
    ("grad_norm", Some("grad_norm"), None, None, None),
    ("grad_2.0_norm_total", Some("grad_norm"), None, None, None),
    ("eval_wer", Some("wer"), VAL, None, None),
    ("val_cer", Some("cer"), VAL, None, None),
    ("metrics/mAP50(B)", Some("map"), None, None, None),
    ("metrics/mAP50-95(B)", Some("map"), None, None, None),
    ("metrics/precision(B)", Some("precision"), None, None, None),
    ("val_ExpRate", None, VAL, None, None),
    ("perplexity", Some("perplexity"), None, None, None),
    ("ppl", Some("perplexity"), None, None, None),
    (
        "train_perplexity_step",
        Some("perplexity"),
        TRAIN,
        None,
        STEP,
    ),
    ("rouge1", Some("rouge"), None, None, None),
    ("eval_rougeL", Some("rouge"), VAL, None, None),
    ("BLEU-4", Some("bleu"), None, None, None),
    ("eval_bleu", Some("bleu"), VAL, None, None),
    ("dice_coef", Some("dice"), None, None, None),
    ("val_dice_coef", Some("dice"), VAL, None, None),
    ("mean_io_u_5", Some("iou"), None, None, None),
    ("val_roc_auc", Some("auc"), VAL, None, None),
    ("val/box_loss", Some("loss"), VAL, None, None),
    ("eval_loss", Some("loss"), VAL, None, None),
    ("loss", Some("loss"), None, None, None),
    (
        "val_precision_binary",
        Some("precision"),
        VAL,
        Some("binary"),
        None,
    ),
    ("macro_f1", Some("f1"), None, Some("macro"), None),
    ("epoch", None, None, None, None),
    ("eval_runtime", None, VAL, None, None),
    ("train_samples_per_second", None, TRAIN, None, None),
    ("val", None, None, None, None),
];

#[test]
fn resolution_table() {
    let registry = Registry::builtin().unwrap();
    for &(name, def, split, average, granularity) in TABLE {
        let r = registry.resolve(name);
        assert_eq!(
            (
                r.definition.as_deref(),
                r.split,
                r.average.as_deref(),
                r.granularity
            ),
            (def, split, average, granularity),
            "{name}: {:?}",
            r.steps
        );
        assert_eq!(r.name, name);
        assert_eq!(
            registry.definition_for(name).map(|d| d.id.as_str()),
            def,
            "{name}"
        );
    }
}

#[test]
fn resolution_json_and_steps() {
    let registry = Registry::builtin().unwrap();
    let json = serde_json::to_value(registry.resolve("val_f1")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "name": "val_f1",
            "definition": "f1",
            "split": "val",
            "average": null,
            "granularity": null,
            "steps": [
                "stripped prefix 'val_' → split val",
                "matched alias 'f1' of definition 'f1'"
            ]
        })
    );
    let r = registry.resolve("train_loss_step");
    assert_eq!(
        r.steps,
        [
            "stripped prefix 'train_' → split train",
            "stripped suffix '_step' → granularity step",
            "matched alias 'loss' of definition 'loss'",
        ]
    );
    let none = serde_json::to_value(registry.resolve("val_ExpRate")).unwrap();
    assert_eq!(none["definition"], serde_json::Value::Null);
    assert_eq!(
        none["steps"][1],
        "no alias matches 'exprate': no definition"
    );
    let text = tracker::defs::text(|o| {
        tracker::defs::render_resolution(o, &registry.resolve("eval_f1_macro"))
    });
    assert_eq!(
        text,
        "eval_f1_macro → f1 (split val, average macro)\n  1. stripped prefix 'eval_' → split val\n  2. stripped suffix '_macro' → average macro\n  3. matched alias 'f1' of definition 'f1'\n"
    );
    let glob = registry.resolve("lr-SGD");
    assert_eq!(
        glob.steps,
        ["matched alias pattern 'lr-*' of definition 'learning_rate'"]
    );
}

#[test]
fn resolution_never_merges_curves() {
    let registry = Registry::builtin().unwrap();
    let names = ["val_f1", "val_f1_macro", "val_f1_micro"];
    let keys: Vec<_> = names
        .iter()
        .map(|n| {
            let r = registry.resolve(n);
            (r.name, r.definition, r.average)
        })
        .collect();
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().all(|k| k.1.as_deref() == Some("f1")));
    assert_ne!(keys[0].2, keys[1].2);
    assert_ne!(keys[1].2, keys[2].2);
}

#[test]
fn train_val_pairs() {
    let registry = Registry::builtin().unwrap();
    let names = [
        "loss",
        "eval_loss",
        "train_acc",
        "val_acc",
        "train_f1_macro",
        "val_f1_macro",
        "val_f1_micro",
        "train_foo",
        "val_foo",
    ];
    let pair = |d: Option<&str>, t: &str, v: &str| CurvePair {
        definition: d.map(str::to_string),
        train: t.to_string(),
        val: v.to_string(),
    };
    assert_eq!(
        registry.pairs(&names),
        [
            pair(Some("loss"), "loss", "eval_loss"),
            pair(Some("accuracy"), "train_acc", "val_acc"),
            pair(Some("f1"), "train_f1_macro", "val_f1_macro"),
            pair(None, "train_foo", "val_foo"),
        ]
    );
    // Keras: `accuracy` (no split) beside `val_accuracy`.
    assert_eq!(
        registry.pairs(&["accuracy", "val_accuracy"]),
        [pair(Some("accuracy"), "accuracy", "val_accuracy")]
    );
    // Numbered variants are other measures; the same logged core goes first.
    assert_eq!(registry.pairs(&["bleu-2", "validation_bleu-1"]), []);
    assert_eq!(
        registry.pairs(&["train_accuracy", "train_acc", "val_acc"]),
        [pair(Some("accuracy"), "train_acc", "val_acc")]
    );
}
