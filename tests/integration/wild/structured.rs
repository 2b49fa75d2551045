//! Structured files: `trainer_state.json`, Lightning/Keras/YOLO CSV, JSONL.

use super::import;
use crate::util::{needs_wild_logs, pairs};

#[test]
fn w01_whisper_trainer_state() {
    needs_wild_logs!();
    let r = "01_whisper_ja";
    let i = import(r);
    assert_eq!(i.runs(), [r]);
    i.clean(r)
        .curve(r, "loss", 200, 25, 5000)
        .curve(r, "eval_wer", 5, 1000, 5000)
        .curve(r, "train_runtime", 1, 5000, 5000)
        .ends(r, "loss", (25, 0.3048), (5000, 0.0002));
    assert_eq!(i.value(r, "eval_wer", 5000), 0.7449365679946583);
}

#[test]
fn w02_mistral_lora_trainer_state() {
    needs_wild_logs!();
    let r = "02_mistral_translator_lora";
    let i = import(r);
    assert_eq!(i.runs(), [r]);
    i.clean(r)
        .curve(r, "loss", 866, 10, 8660)
        .curve(r, "grad_norm", 866, 10, 8660)
        .ends(r, "loss", (10, 2.4977), (8660, 0.1333));
}

#[test]
fn w03_llamafactory_jsonl_uses_current_steps() {
    needs_wild_logs!();
    let r = "03_mistral_translator_llamafactory_jsonl";
    let i = import(r);
    assert_eq!(i.runs(), [r]);
    i.clean(r)
        .curve(r, "loss", 866, 10, 8660)
        .curve(r, "learning_rate", 866, 10, 8660)
        .curve(r, "epoch", 866, 10, 8660)
        .ends(r, "loss", (10, 2.4977), (8660, 0.1333))
        // The step key is not a metric; '0:00:24' durations are text.
        .absent(r, &["current_steps", "elapsed_time", "remaining_time"]);
    // Same run as 02: the same loss curve.
    let j = import("02_mistral_translator_lora");
    assert_eq!(
        pairs(&i.env.series(r, "loss")),
        pairs(&j.env.series("02_mistral_translator_lora", "loss"))
    );
}

#[test]
fn w04_dpo_metrics_with_slashes() {
    needs_wild_logs!();
    let r = "04_dpo_llm_recovery";
    let i = import(r);
    assert_eq!(i.runs(), [r]);
    i.clean(r)
        .curve(r, "rewards/margins", 20, 50, 1000)
        .curve(r, "logps/chosen", 20, 50, 1000)
        .curve(r, "logits/rejected", 20, 50, 1000)
        .ends(
            r,
            "rewards/margins",
            (50, 0.05010237544775009),
            (1000, 4.374284744262695),
        );
}

#[test]
fn w05_predict_entries_without_a_step_join_their_evaluation() {
    needs_wild_logs!();
    let r = "05_seq2seq_cpt_rouge";
    let i = import(r);
    i.clean(r)
        .curve(r, "eval_rouge-1", 10, 549, 5490)
        .curve(r, "predict_rouge-1", 10, 549, 5490)
        .curve(r, "loss", 10, 500, 5000)
        .ends(r, "predict_rouge-1", (549, 47.1078), (5490, 51.6636));
    assert_eq!(
        i.env.series(r, "predict_loss").steps,
        i.env.series(r, "eval_loss").steps
    );
}

#[test]
fn w06_lightning_step_and_epoch_metrics() {
    needs_wild_logs!();
    let r = "06_slm_lightning_v0";
    let i = import(r);
    i.clean(r)
        .curve(r, "train_loss_step", 2814, 49, 140699)
        .curve(r, "val_loss", 10, 14073, 140739)
        .curve(r, "train_perplexity_epoch", 10, 14073, 140739)
        .ends(
            r,
            "train_loss_step",
            (49, 7.628580570220947),
            (140699, 3.565943479537964),
        );
}

#[test]
fn w07_resumed_lightning_run_starts_at_its_step() {
    needs_wild_logs!();
    let r = "07_slm_lightning_v5_resumed";
    let i = import(r);
    i.clean(r)
        .curve(r, "train_loss_step", 1126, 140749, 196999)
        .curve(r, "val_loss", 4, 154813, 197035)
        .ends(
            r,
            "val_loss",
            (154813, 3.5629003047943115),
            (197035, 3.604208469390869),
        );
    assert_eq!(i.value(r, "epoch", 140749), 10.0);
}

#[test]
fn w11_keras_csvlogger_named_training_log() {
    needs_wild_logs!();
    let r = "11_brats_unet_keras";
    let i = import(r);
    i.clean(r)
        .curve(r, "val_dice_coef", 24, 0, 23)
        .curve(r, "mean_io_u_5", 24, 0, 23)
        .ends(r, "lr", (0, 0.001), (23, 1e-6))
        .absent(r, &["epoch"]);
}

#[test]
fn w16_tetris_csv_without_a_step_column_uses_episodes() {
    needs_wild_logs!();
    let r = "16_tetris_dqn_rl_csv/training_log_best_2000_totql_10000";
    let i = import("16_tetris_dqn_rl_csv");
    assert_eq!(i.runs(), [r]);
    assert_eq!(
        i.names(r),
        ["Epsilon", "Pieces_Placed", "Score", "Total_Reward"]
    );
    i.clean(r).curve(r, "Total_Reward", 10787, 0, 10791).ends(
        r,
        "Score",
        (0, 0.0),
        (10791, 1700.0),
    );
}

#[test]
fn w17_merge_conflict_markers_are_skipped_and_the_restart_recorded() {
    needs_wild_logs!();
    let r = "17_tetris_rl_merge_conflict_csv";
    let i = import(r);
    for line in [4, 55, 2364] {
        assert!(
            i.stderr.contains(&format!(
                "training_log.csv:{line}: git merge-conflict marker"
            )),
            "{}",
            i.stderr
        );
    }
    assert!(i.stderr.contains("3 lines skipped"), "{}", i.stderr);
    // Both sides are kept; where episodes overlap the later side wins.
    i.curve(r, "Score", 2308, 0, 2307)
        .ends(r, "Score", (0, 0.0), (2307, 19300.0));
    assert_eq!(i.value(r, "Total_Reward", 0), -499.3);
    let restarts = i.restarts(r);
    assert_eq!(restarts.len(), 1, "{restarts:?}");
    assert_eq!(restarts[0]["step"], 0);
    assert!(
        restarts[0]["detail"]
            .as_str()
            .unwrap()
            .contains("from 49 to 0")
    );
}

#[test]
fn w18_keras_learning_rate_column() {
    needs_wild_logs!();
    let r = "18_en_jv_lstm_attn_keras";
    let i = import(r);
    i.clean(r).curve(r, "learning_rate", 63, 0, 62).ends(
        r,
        "val_loss",
        (0, 1.4219976663589478),
        (62, 0.8031464219093323),
    );
}

#[test]
fn w19_classification_eval_metrics() {
    needs_wild_logs!();
    let r = "19_dnabert2_cls";
    let i = import(r);
    i.clean(r)
        .curve(r, "eval_matthews_correlation", 11, 200, 2200)
        .curve(r, "loss", 22, 100, 2200)
        .ends(
            r,
            "eval_f1",
            (200, 0.8889597986481533),
            (2200, 0.9418255234675899),
        );
}

#[test]
fn w20_loss_only_with_a_final_summary() {
    needs_wild_logs!();
    let r = "20_chatglm2_ptuning";
    let i = import(r);
    i.clean(r)
        .curve(r, "loss", 300, 10, 3000)
        .curve(r, "train_loss", 1, 3000, 3000)
        .ends(r, "loss", (10, 2.6644), (3000, 1.1963));
}

#[test]
fn w21_alternating_key_sets() {
    needs_wild_logs!();
    let r = "21_dllm_grpo_remask";
    let i = import(r);
    i.clean(r)
        .curve(r, "loss", 2000, 1, 2000)
        .curve(r, "entropy", 2000, 1, 2000)
        // Reward metrics come with every other entry.
        .curve(r, "reward", 1000, 1, 1999)
        .curve(r, "rewards/mixed_correctness_reward_func", 1000, 1, 1999);
    assert_eq!(i.value(r, "reward", 3), 0.125);
}

#[test]
fn w22_alphabetical_lightning_columns_and_tiny_values() {
    needs_wild_logs!();
    let r = "22_pendulum_pinn_lightning";
    let i = import(r);
    i.clean(r)
        .curve(r, "dynamics_loss_epoch", 10000, 31, 319999)
        .curve(r, "initial_omega_loss_step", 6400, 49, 319999)
        .ends(
            r,
            "dynamics_loss_epoch",
            (31, 133.33779907226562),
            (319999, 0.0001939320791279897),
        );
    let m = i.metric(r, "initial_omega_loss_step");
    let min = m["min"].as_f64().unwrap();
    assert!(min > 0.0 && min < 1e-16, "{min}");
    assert_eq!(m["non_finite"], 0);
}

#[test]
fn w24_detectron2_iteration_is_the_step() {
    needs_wild_logs!();
    let r = "24_detectron2_frcnn_jsonl";
    let i = import(r);
    i.clean(r)
        .curve(r, "total_loss", 200, 19, 3999)
        .curve(r, "fast_rcnn/cls_accuracy", 200, 19, 3999)
        .ends(
            r,
            "total_loss",
            (19, 2.725107299629599),
            (3999, 1.0374564621597528),
        )
        .absent(r, &["iteration"]);
}

#[test]
fn w25_padded_yolo_results_csv() {
    needs_wild_logs!();
    let r = "25_yolov8_fire_results_csv";
    let i = import(r);
    i.clean(r)
        .curve(r, "metrics/mAP50(B)", 25, 0, 24)
        .curve(r, "train/box_loss", 25, 0, 24)
        .curve(r, "lr/pg2", 25, 0, 24)
        .ends(r, "metrics/mAP50(B)", (0, 0.15826), (24, 0.85651));
    assert_eq!(i.names(r).len(), 13);
}

#[test]
fn w27_newer_yolo_results_csv() {
    needs_wild_logs!();
    let r = "27_yolov8_wheatweed_results_csv";
    let i = import(r);
    i.clean(r)
        .curve(r, "metrics/mAP50(B)", 102, 1, 102)
        .curve(r, "time", 102, 1, 102)
        .ends(r, "metrics/mAP50(B)", (1, 0.77837), (102, 0.82831));
    // The same columns as the older format (plus time).
    let old = import("25_yolov8_fire_results_csv");
    let mut names = old.names("25_yolov8_fire_results_csv");
    names.push("time".into());
    names.sort();
    assert_eq!(i.names(r), names);
}
