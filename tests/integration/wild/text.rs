//! Console and logging output: plain log lines and Hugging Face Trainer dicts.

use super::import;
use crate::util::needs_wild_logs;

#[test]
fn w12_python_logging_epoch_lines() {
    needs_wild_logs!();
    let r = "12_emonet_tcn_kvlog";
    let i = import(r);
    assert_eq!(i.names(r), ["train_loss", "val_loss"]);
    i.clean(r)
        .curve(r, "train_loss", 500, 1, 500)
        .curve(r, "val_loss", 500, 1, 500)
        .ends(r, "train_loss", (1, 0.0717), (500, 0.001));
}

#[test]
fn w13_epoch_lines_and_a_final_summary_at_the_last_epoch() {
    needs_wild_logs!();
    let r = "13_rooftop_seg_kvlog";
    let i = import(r);
    assert_eq!(
        i.names(r),
        [
            "accuracy",
            "f1_score",
            "iou_score",
            "loss",
            "precision",
            "recall"
        ]
    );
    i.clean(r)
        .curve(r, "loss", 200, 1, 200)
        .ends(r, "loss", (1, 0.6924), (200, 0.5025));
    for m in ["accuracy", "precision", "recall", "f1_score", "iou_score"] {
        i.curve(r, m, 1, 200, 200);
    }
    assert_eq!(i.value(r, "accuracy", 200), 0.748332353071733);
}

#[test]
fn w14_per_batch_losses_are_a_curve_and_epoch_metrics_stay_apart() {
    needs_wild_logs!();
    let r = "14_t5_finetune_kvlog";
    let i = import(r);
    i.clean(r)
        // 20 epochs × 388 batch lines: one step per batch line, nothing lost.
        .curve(r, "batch_loss", 7760, 1, 7760)
        .ends(r, "batch_loss", (1, 12.1336), (7760, 0.0004))
        // Per-epoch lines at the last batch of their epoch.
        .curve(r, "average_train_loss", 20, 388, 7760)
        .ends(r, "average_train_loss", (388, 1.6334), (7760, 0.0038))
        .curve(r, "validation_bleu-1", 10, 776, 7760)
        .curve(r, "dev_bleu-1", 10, 776, 7760)
        .curve(r, "dev_bleu-4", 10, 776, 7760)
        .ends(r, "validation_bleu-1", (776, 71.65), (7760, 73.98))
        .ends(r, "dev_bleu-1", (776, 63.88), (7760, 65.43))
        .curve(r, "epoch", 7760, 1, 7760);
    assert_eq!(i.value(r, "epoch", 388), 1.0);
    assert_eq!(i.value(r, "epoch", 389), 2.0);
}

#[test]
fn w15_hf_stdout_with_tqdm_and_a_traceback() {
    needs_wild_logs!();
    let r = "15_lmsys_hf_stdout_tqdm";
    let i = import(r);
    assert!(i.stderr.contains("(hf-log)"), "{}", i.stderr);
    // logging_steps=10 as the log's own argument dump says; eval_steps=200.
    i.clean(r)
        .curve(r, "loss", 24, 10, 240)
        .curve(r, "grad_norm", 24, 10, 240)
        .curve(r, "eval_loss", 1, 200, 200)
        .ends(r, "loss", (10, 12.4476), (240, 0.488))
        .absent(r, &["adam_beta1", "logging_steps", "seed"]);
    assert_eq!(i.names(r).len(), 9, "{:?}", i.names(r));
}

#[test]
fn w28_step_counter_restarting_every_epoch_becomes_global() {
    needs_wild_logs!();
    let r = "28_gpt2_lora_custom_kvlog";
    let i = import(r);
    // The final evaluation repeats the last one with no step of its own: reported, and the
    // values at step 13001 are not overwritten.
    for line in 1703..=1705 {
        let at = format!("train.log:{line}: no step of its own, and step 13001");
        assert!(i.stderr.contains(&at), "{}", i.stderr);
    }
    assert!(i.stderr.contains("3 lines skipped"), "{}", i.stderr);
    assert!(i.restarts(r).is_empty());
    i.curve(r, "loss", 1302, 0, 13001)
        .ends(r, "loss", (0, 8.9351), (13001, 0.4631))
        .curve(r, "ppl", 1302, 0, 13001)
        .curve(r, "lr", 1302, 0, 13001)
        // Epoch 1, Step 0/6501 follows Epoch 0, Step 6500/6501.
        .curve(r, "epoch", 1302, 0, 13001)
        // The evaluation blocks after each epoch, at its last step.
        .curve(r, "evaluation_loss", 2, 6500, 13001)
        .curve(r, "evaluation_perplexity", 2, 6500, 13001)
        .curve(r, "avg_loss", 2, 6500, 13001)
        .curve(r, "final_loss", 1, 13001, 13001)
        // The settings and model statistics printed before training are not metrics.
        .absent(
            r,
            &["adapter_size", "total", "trainable", "ratio", "hidden_size"],
        );
    assert_eq!(i.value(r, "epoch", 6500), 0.0);
    assert_eq!(i.value(r, "epoch", 6501), 1.0);
    assert_eq!(i.value(r, "evaluation_loss", 6500), 0.5301);
    assert_eq!(i.value(r, "evaluation_loss", 13001), 0.4887);
    assert_eq!(i.value(r, "evaluation_tokens", 6500), 2_982_385.0);
}

#[test]
fn w29_transformers_5_string_values() {
    needs_wild_logs!();
    let r = "29_llama32_sft_hf_stdout_strings";
    let i = import(r);
    assert!(i.stderr.contains("(hf-log)"), "{}", i.stderr);
    // No logging_steps in the log: logging calls are counted (--logging-steps scales them).
    i.clean(r)
        .curve(r, "loss", 167, 1, 167)
        .curve(r, "mean_token_accuracy", 167, 1, 167)
        .curve(r, "eval_loss", 3, 55, 167)
        .curve(r, "train_runtime", 1, 167, 167)
        .ends(r, "loss", (1, 3.412), (167, 0.5822));
    assert_eq!(i.value(r, "num_tokens", 1), 18080.0);
}

#[test]
fn w30_two_trainer_runs_in_one_console_log() {
    needs_wild_logs!();
    let i = import("30_hf_stdout_two_runs");
    let (a, b) = ("30_hf_stdout_two_runs", "30_hf_stdout_two_runs-2");
    assert_eq!(i.runs(), [a, b]);
    i.clean(a)
        .clean(b)
        .curve(a, "loss", 13, 1, 13)
        .curve(a, "eval_loss", 3, 4, 13)
        .curve(a, "train_runtime", 1, 13, 13)
        .ends(a, "loss", (1, 1.6282), (13, 0.0014))
        .absent(a, &["eval_f1"])
        // Ten evaluations (one per epoch) and four training logs: none lost.
        .curve(b, "eval_f1", 10, 0, 9)
        .curve(b, "loss", 4, 1, 7)
        .ends(
            b,
            "eval_f1",
            (0, 0.9598552923328276),
            (9, 0.9924145174466099),
        );
    // The 'eval_results= {...}' echo repeats the last evaluation; it is not a new point.
    assert_eq!(i.value(b, "eval_runtime", 9), 0.9916);
}

#[test]
fn w31_word_language_model_columns_with_nan() {
    needs_wild_logs!();
    let r = "31_rnn_relu_wikitext";
    let i = import(r);
    let run =
        format!("{r}/model_RNN_RELU_nlayers_2_epochs_12_nhid_200_batch_size_20_bptt_35_nlayers");
    assert_eq!(i.runs(), [run.as_str()]);
    let r = run.as_str();
    // 12 epochs × 14 lines, every 200 of 2983 batches: global steps.
    i.clean(r)
        .curve(r, "loss", 168, 200, 11 * 2983 + 2800)
        .curve(r, "ppl", 168, 200, 35613)
        .curve(r, "ms/batch", 168, 200, 35613)
        .ends(r, "lr", (200, 20.0), (35613, 0.0))
        .curve(r, "valid_loss", 12, 2800, 35613)
        .curve(r, "valid_ppl", 12, 2800, 35613)
        .curve(r, "test_loss", 1, 35613, 35613)
        .absent(r, &["batch_size", "epochs", "nhid"]);
    for (m, n) in [
        ("loss", 168),
        ("ppl", 168),
        ("valid_loss", 12),
        ("test_ppl", 1),
    ] {
        assert_eq!(i.metric(r, m)["non_finite"], n, "{m}");
    }
    assert_eq!(i.value(r, "lr", 2983 + 200), 20.0);
    assert_eq!(i.value(r, "time", 2800), 35.61);
}
