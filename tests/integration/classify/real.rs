//! Real curves from our own runs (`tests/fixtures/real-logs`) and from the wild logs (public
//! logs, read in place when they are there: see [`crate::util::wild_logs`]), each with the
//! verdict a person gives after looking at a plot of it. The judgements were made on
//! plots before the thresholds were settled; each comment says what the plot shows.

use crate::util::{needs_wild_logs, real_logs, wild_logs};
use serde_json::Value;
use tracker::classify::{Direction, Spec, Verdict, classify, overfitting};

fn read(rel: &str) -> String {
    let path = match rel.split_once('/') {
        Some(("real-logs", rest)) => real_logs().join(rest),
        Some(("wild-logs", rest)) => wild_logs().join(rest),
        _ => panic!("{rel}: neither real-logs/ nor wild-logs/"),
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

fn parse_num(s: &str) -> Option<f64> {
    let s = s.trim().trim_matches('\'').trim_matches('"');
    match s.to_ascii_lowercase().as_str() {
        "nan" => Some(f64::NAN),
        "inf" | "infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

type Curve = (Vec<i64>, Vec<f64>);

/// A CSV column against a step column (cells trimmed; rows with an empty cell skipped).
fn csv(rel: &str, step: &str, column: &str) -> Curve {
    let text = read(rel);
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .collect();
    let at = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let (si, vi) = (at(step), at(column));
    let (mut steps, mut values) = (Vec::new(), Vec::new());
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let (Some(s), Some(v)) = (cells.get(si), cells.get(vi)) else {
            continue;
        };
        if let (Some(s), Some(v)) = (parse_num(s), parse_num(v)) {
            steps.push(s as i64);
            values.push(v);
        }
    }
    (steps, values)
}

/// A key of HF `trainer_state.json`'s `log_history` (entries with a `step`).
fn trainer_state(rel: &str, key: &str) -> Curve {
    let doc: Value = serde_json::from_str(&read(rel)).expect("json");
    let mut out = (Vec::new(), Vec::new());
    for e in doc["log_history"].as_array().expect("log_history") {
        if let (Some(s), Some(v)) = (e["step"].as_i64(), e[key].as_f64()) {
            out.0.push(s);
            out.1.push(v);
        }
    }
    out
}

/// The number after `key` on each line containing it, against the line's ordinal.
fn after_key(rel: &str, key: &str) -> Curve {
    let mut out = (Vec::new(), Vec::new());
    for line in read(rel).lines() {
        let Some(pos) = line.find(key) else { continue };
        let rest = line[pos + key.len()..].trim_start_matches([' ', ':', '=']);
        let token: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != ',')
            .collect();
        if let Some(v) = parse_num(&token) {
            out.0.push(out.0.len() as i64);
            out.1.push(v);
        }
    }
    out
}

fn min() -> Spec {
    Spec {
        direction: Direction::Minimize,
        ..Spec::default()
    }
}

fn max01() -> Spec {
    Spec {
        direction: Direction::Maximize,
        domain: Some((0.0, 1.0)),
        ..Spec::default()
    }
}

fn unknown() -> Spec {
    Spec::default()
}

const LIGHTNING: &str = "real-logs/lightning/digits_sgd_lr0.05/version_0/metrics.csv";
const HF: &str = "real-logs/hf/bert_tiny_lr5e-4/trainer_state.json";

type Case = (&'static str, Curve, Spec, Verdict);

/// Classifies every case and fails with the list of those that got another verdict.
fn check(cases: &[Case]) {
    let mut bad = Vec::new();
    for (name, (steps, values), spec, want) in cases {
        assert!(!values.is_empty(), "{name}: no points read");
        let d = classify(steps, values, spec);
        println!(
            "{name:24} {:>5} pts  {:18} {}",
            values.len(),
            d.verdict.as_str(),
            d.reason
        );
        if d.verdict != *want {
            bad.push(format!(
                "{name}: got {} ({}), want {want}",
                d.verdict, d.reason
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn our_real_curves_get_the_verdict_a_person_gives() {
    use Verdict::*;
    check(&[
        // Falls fast from 2.1 to 0.1 in 10 epochs, then flattens near 0.04: converged.
        (
            "lightning val_loss",
            csv(LIGHTNING, "step", "val_loss"),
            min(),
            Healthy,
        ),
        // Rises to 0.98 within 15 epochs and holds: converged high.
        (
            "lightning val_f1",
            csv(LIGHTNING, "step", "val_f1"),
            max01(),
            Healthy,
        ),
        (
            "lightning val_acc",
            csv(LIGHTNING, "step", "val_acc"),
            max01(),
            Healthy,
        ),
        // Noisy per-step loss, 2.3 → ~0.002: healthy.
        (
            "lightning train_loss_step",
            csv(LIGHTNING, "step", "train_loss_step"),
            min(),
            Healthy,
        ),
        // eval_f1 stuck at 0 for the first two evals, then 0.85 → 0.99: healthy.
        ("hf eval_f1", trainer_state(HF, "eval_f1"), max01(), Healthy),
        (
            "hf eval_loss",
            trainer_state(HF, "eval_loss"),
            min(),
            Healthy,
        ),
        // Noisy training loss still drifting down at the end: healthy (still improving).
        ("hf loss", trainer_state(HF, "loss"), min(), Healthy),
        // A linear decay schedule, no direction: changing steadily, healthy.
        (
            "hf learning_rate",
            trainer_state(HF, "learning_rate"),
            unknown(),
            Healthy,
        ),
    ]);
}

#[test]
fn wild_curves_get_the_verdict_a_person_gives() {
    use Verdict::*;
    needs_wild_logs!();
    check(&[
        // Whisper: only five evaluations of WER.
        (
            "w01 eval_wer",
            trainer_state("wild-logs/01_whisper_ja/trainer_state.json", "eval_wer"),
            Spec {
                direction: Direction::Minimize,
                domain: Some((0.0, 1.0)),
                ..Spec::default()
            },
            InsufficientData,
        ),
        // 0.3 → 0.0001 by step 1500, then flat at ~0: converged.
        (
            "w01 loss",
            trainer_state("wild-logs/01_whisper_ja/trainer_state.json", "loss"),
            min(),
            Healthy,
        ),
        // LoRA SFT, 866 points: sharp drop, steps down at each epoch: healthy.
        (
            "w02 loss",
            trainer_state(
                "wild-logs/02_mistral_translator_lora/trainer_state.json",
                "loss",
            ),
            min(),
            Healthy,
        ),
        // 2,814 noisy steps, 7.6 → 3.7, still falling: healthy.
        (
            "w06 train_loss_step",
            csv(
                "wild-logs/06_slm_lightning_v0/metrics.csv",
                "step",
                "train_loss_step",
            ),
            min(),
            Healthy,
        ),
        // A resumed run: 1,126 noisy steps around 3.7 with no progress: stagnant.
        (
            "w07 train_loss_step",
            csv(
                "wild-logs/07_slm_lightning_v5_resumed/metrics.csv",
                "step",
                "train_loss_step",
            ),
            min(),
            Stagnant,
        ),
        // Four validation points.
        (
            "w07 val_loss",
            csv(
                "wild-logs/07_slm_lightning_v5_resumed/metrics.csv",
                "step",
                "val_loss",
            ),
            min(),
            InsufficientData,
        ),
        // 0.985 → 0.988 and flat: converged at the top of its 0–1 domain.
        (
            "w11 val_accuracy",
            csv(
                "wild-logs/11_brats_unet_keras/training.log",
                "epoch",
                "val_accuracy",
            ),
            max01(),
            Healthy,
        ),
        // Dice 0.33 → 0.45, then flat: the seed's "stagnant" F1 shape, low in 0–1.
        (
            "w11 dice_coef",
            csv(
                "wild-logs/11_brats_unet_keras/training.log",
                "epoch",
                "dice_coef",
            ),
            max01(),
            Stagnant,
        ),
        // 500 epochs, noisy early, 0.077 → ~0.001: healthy.
        (
            "w12 val_loss",
            after_key("wild-logs/12_emonet_tcn_kvlog/training.log", "Val Loss="),
            min(),
            Healthy,
        ),
        // 0.69 → 0.50 over 200 epochs, still falling: healthy.
        (
            "w13 loss",
            after_key("wild-logs/13_rooftop_seg_kvlog/training.log", "Loss:"),
            min(),
            Healthy,
        ),
        (
            "w18 val_loss",
            csv(
                "wild-logs/18_en_jv_lstm_attn_keras/training_log.csv",
                "epoch",
                "val_loss",
            ),
            min(),
            Healthy,
        ),
        // Bounces between 0.23 and 0.31 over 11 evals with no net improvement after the
        // first (while eval_f1 rises): no progress. (Oscillating would also be a fair
        // reading; the swings are small next to the level, not next to the progress.)
        (
            "w19 eval_loss",
            trainer_state("wild-logs/19_dnabert2_cls/trainer_state.json", "eval_loss"),
            min(),
            Stagnant,
        ),
        // Noisy SFT loss: 2.65 → 1.5 fast, then slowly to ~1.2 amid ±0.1 noise: healthy.
        (
            "w20 loss",
            trainer_state("wild-logs/20_chatglm2_ptuning/trainer_state.json", "loss"),
            min(),
            Healthy,
        ),
        // PINN, 10,000 epochs spanning 230 → 2e-4: healthy.
        (
            "w22 train_loss_epoch",
            csv(
                "wild-logs/22_pendulum_pinn_lightning/metrics.csv",
                "step",
                "train_loss_epoch",
            ),
            min(),
            Healthy,
        ),
        // mAP50 0.16 → 0.86 with big swings but a clear upward trend: healthy.
        (
            "w25 mAP50",
            csv(
                "wild-logs/25_yolov8_fire_results_csv/results.csv",
                "epoch",
                "metrics/mAP50(B)",
            ),
            max01(),
            Healthy,
        ),
        // Validation box loss: best 1.23 at epoch 2, then rises noisily to ~1.4 while the
        // training box loss falls: worsening steadily after its best.
        (
            "w27 val box_loss",
            csv(
                "wild-logs/27_yolov8_wheatweed_results_csv/results.csv",
                "epoch",
                "val/box_loss",
            ),
            min(),
            Diverging,
        ),
        (
            "w27 train box_loss",
            csv(
                "wild-logs/27_yolov8_wheatweed_results_csv/results.csv",
                "epoch",
                "train/box_loss",
            ),
            min(),
            Healthy,
        ),
        // Every loss is `nan`.
        (
            "w31 loss",
            after_key(
                "wild-logs/31_rnn_relu_wikitext/model_RNN_RELU_nlayers_2_epochs_12_nhid_200_batch_size_20_bptt_35_nlayers.md",
                "| loss",
            ),
            min(),
            Diverging,
        ),
    ]);
}

#[test]
fn overfitting_on_a_wild_pair() {
    needs_wild_logs!();
    let yolo = "wild-logs/27_yolov8_wheatweed_results_csv/results.csv";
    let train = csv(yolo, "epoch", "train/box_loss");
    let val = csv(yolo, "epoch", "val/box_loss");
    let o = overfitting((&train.0, &train.1), (&val.0, &val.1), Direction::Minimize)
        .expect("train falls while val rises after epoch ~2");
    println!("{o:?}");
    assert!(
        o.best_val_step <= 10 && o.generalization_loss > 5.0,
        "{o:?}"
    );
}

#[test]
fn no_overfitting_on_our_real_pair() {
    // Lightning digits: validation loss flattens but never turns up.
    let train = csv(LIGHTNING, "step", "train_loss_epoch");
    let val = csv(LIGHTNING, "step", "val_loss");
    assert_eq!(
        overfitting((&train.0, &train.1), (&val.0, &val.1), Direction::Minimize),
        None
    );
}
