use super::prefix::strip_log_prefix;
use super::scan::{number_at, scan};
use crate::ingest::{Format, Options, parse_all};

pub(super) fn points(text: &str) -> Vec<(String, i64, f64)> {
    let b = parse_all(Format::KeyValue, &Options::default(), text.as_bytes());
    b.points
        .iter()
        .map(|p| (b.metric_name(p.metric).to_string(), p.step, p.value))
        .collect()
}

fn names(s: &super::scan::Scan) -> Vec<&str> {
    s.pairs.iter().map(|(k, _)| k.as_str()).collect()
}

#[test]
fn the_issue_example() {
    assert_eq!(
        points("epoch 3 step 120 loss=0.43 val_f1=0.81\n"),
        vec![
            ("epoch".into(), 120, 3.0),
            ("loss".into(), 120, 0.43),
            ("val_f1".into(), 120, 0.81)
        ]
    );
}

#[test]
fn python_logging_lines() {
    let v = points("2023-05-15 22:50:17,398 INFO:Epoch 1: Train Loss=0.0717, Val Loss=0.0766\n");
    assert_eq!(
        v,
        vec![
            ("train_loss".into(), 1, 0.0717),
            ("val_loss".into(), 1, 0.0766)
        ]
    );
    let v = points("Epoch 2/200 | Loss: 0.5995\n");
    assert_eq!(v, vec![("loss".into(), 2, 0.5995)]);
}

#[test]
fn lines_without_metrics_are_silent() {
    let b = parse_all(
        Format::KeyValue,
        &Options::default(),
        b"Starting training\nModel size: large\n\n",
    );
    assert!(b.points.is_empty() && b.skips.is_empty());
}

#[test]
fn no_step_uses_the_line_number_and_nan_is_kept() {
    let v = points("hello\nloss=nan acc: 0.5\n");
    assert_eq!(v[0].0, "loss");
    assert_eq!(v[0].1, 1);
    assert!(v[0].2.is_nan());
    assert_eq!(v[1], ("acc".into(), 1, 0.5));
}

#[test]
fn logging_prefixes_are_skipped() {
    assert_eq!(
        strip_log_prefix("2025-03-02 05:16:20,962 - INFO - Epoch 1 - Batch loss: 12.1"),
        "Epoch 1 - Batch loss: 12.1"
    );
    assert_eq!(
        strip_log_prefix("INFO:__main__:   Loss: 0.53"),
        "   Loss: 0.53"
    );
    assert_eq!(strip_log_prefix("[12:00:01] [INFO] step 3"), "step 3");
    assert_eq!(strip_log_prefix("| epoch 1 |"), "| epoch 1 |");
    assert_eq!(strip_log_prefix("INFO"), "");
    // Fields between the time and the level: a host with its rank, a logger with its line.
    assert_eq!(
        strip_log_prefix("2025-12-27 22:12:56.867\thost-03:0\tolmo.train:990\tINFO\t[step=10]"),
        "\t[step=10]"
    );
    // The last line of a traceback holds no metrics.
    assert!(
        super::scan::scan("torch.api.SignalException: Process 54958 got signal: 15")
            .pairs
            .is_empty()
    );
    assert!(
        super::scan::scan("ValueError: expected 3 got 4")
            .pairs
            .is_empty()
    );
    // Not without a level, nor when a field is a metric.
    assert_eq!(
        strip_log_prefix("12:00:01 loss:0.5 acc:0.9"),
        "loss:0.5 acc:0.9"
    );
    assert_eq!(
        strip_log_prefix("12:00:01 loss=0.5 INFO x"),
        "loss=0.5 INFO x"
    );
}

#[test]
fn numbers_as_people_print_them() {
    let n = |s: &str| number_at(s, 0).map(|x| x.1);
    assert_eq!(n("2,982,385 tokens"), Some(2_982_385.0));
    assert_eq!(n("71.65, BLEU-2"), Some(71.65));
    assert_eq!(n("35.61s |"), Some(35.61));
    assert_eq!(n("3.27e-05"), Some(3.27e-5));
    assert!(n("nan").is_some_and(f64::is_nan));
    assert!(n("-inf,").is_some_and(|v| v == f64::NEG_INFINITY));
    for bad in ["1st", "5x", "1.2.3", "0:00:24", "nano", "-", "4_000"] {
        assert_eq!(n(bad), None, "{bad}");
    }
    assert_eq!(n("1,23"), Some(1.0));
}

#[test]
fn columns_counters_and_labels() {
    let s = scan(
        "| epoch   1 |   200/ 2983 batches | lr 20.00 | ms/batch 10.58 | loss  nan | ppl  2027.50",
    );
    assert_eq!(s.epoch, Some(1));
    assert_eq!(
        s.counter.map(|c| (c.value, c.total)),
        Some((200, Some(2983)))
    );
    assert_eq!(names(&s), ["lr", "ms/batch", "loss", "ppl"]);
    assert!(s.pairs[2].1.is_nan());
    let s = scan("| end of epoch   1 | time: 35.61s | valid loss   nan | valid ppl   nan");
    assert_eq!(s.epoch, Some(1));
    assert_eq!(names(&s), ["time", "valid_loss", "valid_ppl"]);
    let s =
        scan("Epoch 2 - Validation BLEU: BLEU-1 71.65, BLEU-2 65.76, BLEU-3 46.57, BLEU-4 31.75");
    assert_eq!(
        names(&s),
        [
            "validation_bleu-1",
            "validation_bleu-2",
            "validation_bleu-3",
            "validation_bleu-4"
        ]
    );
    let s = scan("Epoch 2 - New best model saved with BLEU-2: 65.76");
    assert_eq!(names(&s), ["bleu-2"]);
    let s = scan("INFO:__main__:🎉 Final Results: Loss=0.4886, PPL=1.63");
    assert_eq!(names(&s), ["final_loss", "final_ppl"]);
    let s = scan("INFO:__main__:Epoch 0 | Step   10/6501 | Loss: 8.24 | LR: 5.97e-05 | Time: 0.5s");
    assert_eq!((s.epoch, s.counter.map(|c| c.value)), (Some(0), Some(10)));
    assert_eq!(names(&s), ["loss", "lr", "time"]);
    let s = scan("Epoch 3 - train: loss=0.5 acc=0.9 | val: loss=0.4, acc=0.8 | lr=0.1");
    assert_eq!(
        names(&s),
        ["train_loss", "train_acc", "val_loss", "val_acc", "lr"]
    );
    let s = scan("Train Epoch: 2 [640/60000 (1%)]\tLoss: 0.512");
    assert_eq!((s.epoch, names(&s)), (Some(2), vec!["loss"]));
    let s = scan("WARNING: grad norm: 5");
    assert!(!s.indented);
    let s = scan("INFO:__main__:📊 Evaluation Results:");
    assert_eq!(s.heading.as_deref(), Some("evaluation"));
    // Prose and progress bars give nothing.
    for line in [
        "✅ Epoch 0 completed in 4729.23s",
        "python main.py --epochs 12 --nhid 200",
        "Saving model checkpoint to output/checkpoint-200",
        "1875/1875 [======] - 5s 2ms/step",
    ] {
        assert!(scan(line).pairs.is_empty(), "{line}");
    }
}

#[test]
fn odd_lines_never_panic() {
    let odd = [
        "",
        ":",
        "=",
        "|",
        "||||",
        " - - - ",
        "=1",
        ":1",
        "a=",
        "a:",
        "1/",
        "1/ ",
        "/1",
        "-",
        "[",
        "[]",
        "[1",
        "INFO:",
        "INFO:x",
        "2025-03-02",
        "2025-03-02 ",
        "12:00",
        "12:00:0",
        "epoch",
        "epoch -",
        "epoch 1/",
        "step 1e999",
        "step -5",
        "step 99999999999999999999",
        "loss=1e999",
        "é=1 ü: 2 | 日本 3 | λ nan",
        "💥: 1",
        "a: 1,",
        "a: 1,000,",
        "x\u{0}=1",
        "Epoch 1 - Batch loss: -",
        "BLEU: BLEU-1, BLEU-2",
        "time: 1s2",
        "a: .5.",
        "a: 5.",
    ];
    for line in odd {
        let _ = scan(line);
        let _ = points(line);
    }
    // Every prefix of a busy line.
    let busy = "2025-03-02 05:16:20,348 - INFO - Epoch 2 - Dev BLEU: BLEU-1 63.88, BLEU-2 59.46";
    for (i, _) in busy.char_indices() {
        let _ = scan(&busy[..i]);
    }
    assert_eq!(points("x: 5.\n"), [("x".to_string(), 0, 5.0)]);
}

#[test]
fn preamble_settings_are_not_metrics_and_summaries_take_the_last_step() {
    let text = "Configuration:\n  lr: 0.1\n  batch_size: 8\n\
                Epoch 1/3 | Loss: 0.9\nEpoch 2/3 | Loss: 0.8\nEpoch 3/3 | Loss: 0.7\n\
                Accuracy : 0.74\nF1 Score : 0.56\n";
    assert_eq!(
        points(text),
        [
            ("loss".to_string(), 1, 0.9),
            ("loss".to_string(), 2, 0.8),
            ("loss".to_string(), 3, 0.7),
            ("accuracy".to_string(), 3, 0.74),
            ("f1_score".to_string(), 3, 0.56),
        ]
    );
}

#[test]
fn per_batch_lines_count_steps_and_epoch_lines_take_the_last_batch() {
    let mut text = String::from("##### Epoch 1 #####\n");
    for epoch in 1..=2 {
        for b in 0..3 {
            text.push_str(&format!(
                "Epoch {epoch} - Batch loss: {}.0\n",
                epoch * 10 + b
            ));
        }
        text.push_str(&format!("Epoch {epoch} - Average Train Loss: 0.{epoch}\n"));
    }
    text.push_str("Epoch 2 - Dev BLEU: BLEU-1 63.88, BLEU-2 59.46\n");
    let v = points(&text);
    let loss: Vec<_> = v
        .iter()
        .filter(|p| p.0 == "batch_loss")
        .map(|p| p.1)
        .collect();
    assert_eq!(loss, [1, 2, 3, 4, 5, 6]);
    let avg: Vec<_> = v
        .iter()
        .filter(|p| p.0 == "average_train_loss")
        .map(|p| p.1)
        .collect();
    assert_eq!(avg, [3, 6]);
    assert!(v.contains(&("dev_bleu-1".to_string(), 6, 63.88)));
    let epochs: Vec<_> = v
        .iter()
        .filter(|p| p.0 == "epoch")
        .map(|p| (p.1, p.2))
        .collect();
    assert_eq!(epochs[..3], [(1, 1.0), (2, 1.0), (3, 1.0)]);
}

#[test]
fn counters_restarting_every_epoch_become_global() {
    let text = "Epoch 0 | Step 0/100 | Loss: 9\nEpoch 0 | Step 90/100 | Loss: 8\n\
                Evaluation Results:\n   Loss: 7.5\n\
                Epoch 0 completed | Avg Loss: 8.5\n\
                Epoch 1 | Step 0/100 | Loss: 7\nEpoch 1 | Step 90/100 | Loss: 6\n";
    let v = points(text);
    let loss: Vec<_> = v.iter().filter(|p| p.0 == "loss").map(|p| p.1).collect();
    assert_eq!(loss, [0, 90, 100, 190]);
    assert!(v.contains(&("evaluation_loss".to_string(), 90, 7.5)));
    assert!(v.contains(&("avg_loss".to_string(), 90, 8.5)));
    // Without a total: the last counter + 1 per epoch.
    let v = points("epoch 1 step 1 loss=1\nepoch 1 step 5 loss=1\nepoch 2 step 1 loss=1\n");
    let steps: Vec<_> = v.iter().filter(|p| p.0 == "loss").map(|p| p.1).collect();
    assert_eq!(steps, [1, 5, 7]);
    // A counter going back without a new epoch is a restart, kept as written.
    let b = parse_all(
        Format::KeyValue,
        &Options::default(),
        b"step 10 loss=1\nstep 20 loss=1\nstep 10 loss=2\n",
    );
    assert_eq!(b.restarts.len(), 1);
}

#[test]
fn random_token_soup_never_panics() {
    let tokens = [
        "epoch",
        "Epoch",
        "step",
        "Step",
        "batches",
        "|",
        " - ",
        ":",
        "=",
        ",",
        "/",
        " ",
        "  ",
        "1",
        "0",
        "-3",
        "2,982,385",
        "1e-05",
        "nan",
        "inf",
        "35.61s",
        "0:00:24",
        "loss",
        "Loss",
        "Validation BLEU",
        "BLEU-1",
        "INFO",
        "INFO:__main__:",
        "2025-03-02 05:16:20,348",
        "[",
        "]",
        "📊",
        "é",
        "with",
        "Results",
        "\t",
        "{'loss': 1}",
        "200/",
        "2983",
        "%",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut text = String::new();
    for _ in 0..3000 {
        for _ in 0..next(12) {
            text.push_str(tokens[next(tokens.len())]);
        }
        text.push('\n');
    }
    let b = parse_all(Format::KeyValue, &Options::default(), text.as_bytes());
    assert!(b.skips.is_empty());
    let b = parse_all(Format::HfLog, &Options::default(), text.as_bytes());
    let _ = b.points.len();
}

fn runs(text: &str) -> Vec<(u32, String, i64, f64)> {
    let b = parse_all(Format::KeyValue, &Options::default(), text.as_bytes());
    b.points
        .iter()
        .map(|p| (p.run, b.metric_name(p.metric).to_string(), p.step, p.value))
        .collect()
}

#[test]
fn xgboost_rounds() {
    assert_eq!(
        points(
            "[0]\ttrain-logloss:0.52\teval-logloss:0.61\n[1]\ttrain-logloss:0.41\teval-logloss:0.55\n"
        ),
        vec![
            ("train-logloss".into(), 0, 0.52),
            ("eval-logloss".into(), 0, 0.61),
            ("train-logloss".into(), 1, 0.41),
            ("eval-logloss".into(), 1, 0.55),
        ]
    );
    // xgb.cv: mean+std.
    assert_eq!(
        points("[3]\ttrain-auc:0.91+0.01\ttest-auc:0.88+0.02\n"),
        vec![
            ("train-auc".into(), 3, 0.91),
            ("train-auc_std".into(), 3, 0.01),
            ("test-auc".into(), 3, 0.88),
            ("test-auc_std".into(), 3, 0.02),
        ]
    );
    assert_eq!(
        points("[2]\ttrain-rmse:1e+05\n"),
        vec![("train-rmse".into(), 2, 1e5)]
    );
}

#[test]
fn lightgbm_rounds() {
    assert_eq!(
        points("[10]\tvalid_0's binary_logloss: 0.5\tvalid_0's auc: 0.8\n"),
        vec![
            ("valid_0_binary_logloss".into(), 10, 0.5),
            ("valid_0_auc".into(), 10, 0.8),
        ]
    );
    assert_eq!(
        points("[10]\tcv_agg's l2: 0.3 + 0.01\n"),
        vec![
            ("cv_agg_l2".into(), 10, 0.3),
            ("cv_agg_l2_std".into(), 10, 0.01)
        ]
    );
}

#[test]
fn a_round_counter_that_restarts_is_a_new_run_part() {
    let v = runs(
        "[1]\tvalid_0's l2: 0.5\n[2]\tvalid_0's l2: 0.4\n[1]\tvalid_0's l2: 0.6\n[2]\tvalid_0's l2: 0.3\n",
    );
    assert_eq!(v[0].0, 0);
    assert_eq!(v[1].0, 0);
    assert_ne!(v[2].0, 0);
    assert_eq!(v[2].0, v[3].0);
    assert_eq!(v[2].2, 1);
}

#[test]
fn the_best_iteration_summary_is_not_stored_again() {
    let text = "[1]\tvalid_0's l2: 0.5\n[2]\tvalid_0's l2: 0.4\n[3]\tvalid_0's l2: 0.45\n\
                Early stopping, best iteration is:\n[2]\tvalid_0's l2: 0.4\n";
    let v = runs(text);
    assert_eq!(v.len(), 3);
    assert!(v.iter().all(|p| p.0 == 0));
}

#[test]
fn bracketed_text_that_is_not_a_round_is_read_as_before() {
    // A logging prefix, then pairs: not a boosting line.
    assert_eq!(
        points("[12] step 3 loss=0.5\n"),
        vec![("loss".into(), 3, 0.5)]
    );
    assert!(super::boost::round("[5] done: 3 files").is_none());
}

#[test]
fn nanogpt_and_llm_c_lines() {
    assert_eq!(
        points("iter 100: loss 2.3400, time 20.00ms, mfu 30.00%\n"),
        vec![
            ("loss".into(), 100, 2.34),
            ("time".into(), 100, 20.0),
            ("mfu".into(), 100, 30.0)
        ]
    );
    assert_eq!(
        points("step 250: train loss 2.1000, val loss 2.2000\n"),
        vec![
            ("train_loss".into(), 250, 2.1),
            ("val_loss".into(), 250, 2.2)
        ]
    );
    assert_eq!(
        points("step 10/5000 | train loss 4.52 | lr 1e-4\n"),
        vec![("train_loss".into(), 10, 4.52), ("lr".into(), 10, 1e-4)]
    );
}

#[test]
fn megatron_cells_are_whole_keys() {
    let v = points(
        " iteration      100/  500000 | consumed samples:         1600 | elapsed time per \
         iteration (ms): 450.1 | learning rate: 1.000E-04 | lm loss: 7.400E+00 | loss scale: \
         4096.0 | grad norm: 2.100 | number of skipped iterations:   0 |\n",
    );
    let names: Vec<&str> = v.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "consumed_samples",
            "elapsed_time_per_iteration_ms",
            "learning_rate",
            "lm_loss",
            "loss_scale",
            "grad_norm",
            "skipped_iterations"
        ]
    );
    assert!(v.iter().all(|p| p.1 == 100));
    assert_eq!(v[3].2, 7.4);
}

#[test]
fn fairseq_validation_cells_name_their_subset() {
    let v = points(
        "| epoch 001 | loss 9.5 | ppl 724 | wps 1500\n\
         | epoch 001 | valid on 'valid' subset | loss 8.1 | ppl 300\n",
    );
    assert_eq!(
        v,
        vec![
            ("loss".into(), 1, 9.5),
            ("ppl".into(), 1, 724.0),
            ("wps".into(), 1, 1500.0),
            ("valid_loss".into(), 1, 8.1),
            ("valid_ppl".into(), 1, 300.0),
        ]
    );
}
