//! `tracker diagnose`: verdicts, JSON shape, exit codes, hints on real and synthetic runs.

use crate::util::{Env, fixture, needs_wild_logs, on_both, real_logs, wild_logs};

fn diagnose_json(env: &Env, run: &str) -> serde_json::Value {
    serde_json::from_str(&env.ok(&["diagnose", run, "--json"])).unwrap()
}

fn verdict_of<'a>(report: &'a serde_json::Value, metric: &str) -> &'a str {
    report["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == metric)
        .unwrap_or_else(|| panic!("no {metric} in {report}"))["verdict"]
        .as_str()
        .unwrap()
}

on_both! {
    fn json_has_the_documented_shape(env) {
        let dir = real_logs().join("lightning/digits_sgd_lr0.05/version_0");
        env.ok(&["import", dir.join("metrics.csv").to_str().unwrap()]);
        let r = diagnose_json(env, "digits");
        assert_eq!(r["run"], "digits_sgd_lr0.05/version_0");
        let metrics = r["metrics"].as_array().unwrap();
        assert!(!metrics.is_empty());
        let words = [
            "healthy",
            "stagnant",
            "oscillating",
            "diverging",
            "insufficient_data",
        ];
        for m in metrics {
            assert!(m["metric"].is_string());
            assert!(m["definition"].is_string() || m["definition"].is_null());
            assert!(
                ["train", "val", "test"].contains(&m["split"].as_str().unwrap_or("train"))
                    || m["split"].is_null()
            );
            assert!(words.contains(&m["verdict"].as_str().unwrap()), "{m}");
            assert!(m["reason"].as_str().is_some_and(|s| !s.is_empty()));
            assert!(m["flags"].is_array());
            assert!(m["evidence"].is_object());
        }
        assert!(r["hints"].is_array());
        // The bookkeeping `epoch` column is left out unless asked for.
        assert!(metrics.iter().all(|m| m["metric"] != "epoch"));
        let all: serde_json::Value =
            serde_json::from_str(&env.ok(&["diagnose", "digits", "--json", "--all"])).unwrap();
        assert!(
            all["metrics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["metric"] == "epoch")
        );
        // The real Lightning run trains well: a person would call its validation curves healthy.
        assert_eq!(verdict_of(&r, "val_f1"), "healthy");
        assert_eq!(verdict_of(&r, "val_loss"), "healthy");
        let val_f1 = metrics.iter().find(|m| m["metric"] == "val_f1").unwrap();
        assert_eq!(val_f1["definition"], "f1");
        assert_eq!(val_f1["split"], "val");
    }
}

on_both! {
    fn fail_on_exits_3_and_metric_limits_the_report(env) {
        env.ok(&[
            "import",
            fixture("../../demo/diverging_lr1.0.jsonl")
                .to_str()
                .unwrap(),
        ]);
        let out = env.cmd().args(["diagnose", "@latest"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "verdicts alone never fail");
        let out = env
            .cmd()
            .args(["diagnose", "@latest", "--fail-on", "oscillating,diverging"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("diverging"), "{text}");
        let r: serde_json::Value =
            serde_json::from_str(&env.ok(&["diagnose", "@latest", "--metric", "loss", "--json"]))
                .unwrap();
        assert_eq!(r["metrics"].as_array().unwrap().len(), 1);
        assert_eq!(verdict_of(&r, "loss"), "diverging");
        let out = env
            .cmd()
            .args(["diagnose", "@latest", "--fail-on", "bad"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let out = env
            .cmd()
            .args(["diagnose", "@latest", "--metric", "nope"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("its metrics: loss, lr"));
    }
}

on_both! {
    fn class_imbalance_hint_names_its_metrics_and_steps(env) {
        // Accuracy climbs to 0.95 on a 95% majority class while F1 stays low.
        for step in 0..30 {
            let acc = format!("val_acc={}", 0.90 + 0.05 * (step as f64 / 29.0));
            let f1 = format!("val_f1={}", 0.22 + 0.01 * ((step % 3) as f64));
            env.ok(&[
                "log",
                "--run",
                "imb",
                "--step",
                &step.to_string(),
                &acc,
                &f1,
            ]);
        }
        let r = diagnose_json(env, "imb");
        let hint = r["hints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == "class-imbalance")
            .unwrap_or_else(|| panic!("no class-imbalance hint in {r}"));
        let names: Vec<&str> = hint["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"val_acc") && names.contains(&"val_f1"),
            "{hint}"
        );
        assert!(
            hint["message"].as_str().unwrap().contains("step 29"),
            "{hint}"
        );
        assert_eq!(verdict_of(&r, "val_f1"), "stagnant");
    }
}

on_both! {
    fn overfitting_is_a_hint_over_the_train_val_pair(env) {
        let mut lines = String::new();
        for step in 0..60 {
            let t = step as f64;
            let train = 2.0 * (-t / 15.0).exp() + 0.05;
            // Validation improves until step 20, then worsens steadily.
            let val = if step <= 20 {
                2.0 * (-t / 15.0).exp() + 0.3
            } else {
                2.0 * (-20.0f64 / 15.0).exp() + 0.3 + 0.02 * (t - 20.0)
            };
            lines.push_str(&format!(
                "{{\"step\": {step}, \"train_loss\": {train}, \"val_loss\": {val}}}\n"
            ));
        }
        let file = env.dir.path().join("overfit.jsonl");
        std::fs::write(&file, lines).unwrap();
        env.ok(&["import", file.to_str().unwrap()]);
        let r = diagnose_json(env, "@latest");
        let hint = r["hints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == "overfitting")
            .unwrap_or_else(|| panic!("no overfitting hint in {r}"));
        assert_eq!(
            hint["metrics"],
            serde_json::json!(["train_loss", "val_loss"])
        );
        assert_eq!(verdict_of(&r, "train_loss"), "healthy");
        assert_eq!(verdict_of(&r, "val_loss"), "diverging");
    }
}

on_both! {
    fn one_learning_rate_drop_hint_names_every_curve_it_explains(env) {
        // Both validation curves stall at epoch 20; ReduceLROnPlateau cuts the rate at epoch 25.
        let mut csv = String::from("epoch,val_loss,val_acc,lr\n");
        for e in 0..40 {
            let t = f64::from(e.min(20));
            let jitter = if e % 2 == 0 { 0.001 } else { -0.001 };
            let loss = 0.4 + (-t / 6.0).exp() + jitter;
            let acc = 0.9 - 0.5 * (-t / 6.0).exp() - jitter;
            let lr = if e < 25 { 1e-3 } else { 1e-4 };
            csv.push_str(&format!("{e},{loss},{acc},{lr}\n"));
        }
        let file = env.dir.path().join("training.csv");
        std::fs::write(&file, csv).unwrap();
        env.ok(&["import", "--run", "plateau", file.to_str().unwrap()]);
        let r = diagnose_json(env, "plateau");
        let hints: Vec<&serde_json::Value> = r["hints"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["id"] == "lr-drop-plateau")
            .collect();
        assert_eq!(hints.len(), 1, "{r}");
        let metrics = hints[0]["metrics"].as_array().unwrap();
        for m in ["val_loss", "val_acc", "lr"] {
            assert!(
                metrics.iter().any(|x| x == m),
                "{m} missing in {}",
                hints[0]
            );
        }
        assert!(hints[0]["message"].as_str().unwrap().contains("at step 25"));
    }
}

#[test]
fn a_pair_found_overfitting_twice_gets_one_hint() {
    needs_wild_logs!();
    let env = Env::new();
    let yolo = wild_logs().join("27_yolov8_wheatweed_results_csv/results.csv");
    env.ok(&["import", "--run", "yolo", yolo.to_str().unwrap()]);
    let r = diagnose_json(&env, "yolo");
    let pairs: Vec<String> = r["hints"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["id"] == "overfitting")
        .map(|h| h["metrics"].to_string())
        .collect();
    let mut unique = pairs.clone();
    unique.sort();
    unique.dedup();
    assert!(!pairs.is_empty(), "{r}");
    assert_eq!(pairs.len(), unique.len(), "{pairs:?}");
}

/// The ids of the hints `diagnose` gives run `run`.
fn hint_ids(env: &Env, run: &str) -> Vec<String> {
    let r = diagnose_json(env, run);
    r["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

on_both! {
    fn an_accuracy_at_the_majority_share_with_f1_at_zero_is_majority_class_collapse(env) {
        // Validation accuracy flat at 0.89 (the majority share), F1 0 for the whole run; and a
        // 70/30 task: accuracy 0.70, binary F1 0, macro F1 0.41 (half the majority class's F1).
        for step in 0..40 {
            let wobble = 0.002 * ((step % 4) as f64 - 1.5);
            let s = step.to_string();
            let a = format!("val_accuracy={}", 0.89 + wobble);
            env.ok(&["log", "--run", "flat", "--step", &s, &a, "val_f1=0"]);
            let a = format!("val_accuracy={}", 0.70 + wobble);
            let macro_f1 = format!("val_f1_macro={}", 0.41 + wobble);
            let args = [
                "log", "--run", "seventy", "--step", &s, &a, "val_f1=0", &macro_f1,
            ];
            env.ok(&args);
        }
        for run in ["flat", "seventy"] {
            let ids = hint_ids(env, run);
            assert!(
                ids.contains(&"majority-class".to_string()),
                "{run}: {ids:?}"
            );
            assert!(
                !ids.contains(&"class-imbalance".to_string()),
                "{run}: {ids:?}"
            );
        }
        let r = diagnose_json(env, "seventy");
        let hint = r["hints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == "majority-class")
            .unwrap();
        let message = hint["message"].as_str().unwrap();
        assert!(message.contains("predicts the majority class"), "{message}");
    }
}

on_both! {
    fn a_loss_spike_the_run_never_recovered_from_is_a_hint_with_its_step(env) {
        for step in 0..60 {
            let wobble = 0.01 * ((step * 7 % 5) as f64 - 2.0);
            let jump = if step >= 40 { 4.0 } else { 0.0 };
            let loss = 2.0 / (1.0 + 0.1 * step as f64) + wobble + jump;
            let arg = format!("train_loss={loss}");
            env.ok(&["log", "--run", "s", "--step", &step.to_string(), &arg]);
        }
        let r = diagnose_json(env, "s");
        let hint = r["hints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == "unrecovered-spike")
            .unwrap_or_else(|| panic!("no unrecovered-spike hint in {r}"));
        assert_eq!(hint["steps"], serde_json::json!([40]), "{hint}");
        assert!(hint["message"].as_str().unwrap().contains("at step 40"));
    }
}

on_both! {
    fn a_learning_rate_still_rising_at_the_end_is_a_warm_up_that_never_ended(env) {
        for step in 0..40 {
            let s = step.to_string();
            let lr = format!("lr={}", 1e-5 * step as f64);
            let loss = format!("train_loss={}", 2.0 / (1.0 + 0.05 * step as f64));
            env.ok(&["log", "--run", "w", "--step", &s, &lr, &loss]);
            let lr = format!("lr={}", 1e-3 * (1.0 - step as f64 / 40.0));
            env.ok(&["log", "--run", "d", "--step", &s, &lr, &loss]);
        }
        assert!(hint_ids(env, "w").contains(&"warmup-never-ends".to_string()));
        assert!(!hint_ids(env, "d").contains(&"warmup-never-ends".to_string()));
    }
}

on_both! {
    fn validation_better_than_training_for_the_whole_run_says_what_to_check(env) {
        // Run a: validation 15% below training at every evaluation (dropout on in training).
        // Run b: the same, but validation ends above training (overfitting): no such hint.
        let path = env.dir.path().join("runs.jsonl");
        let mut lines = String::new();
        for step in 0..50 {
            let train = 2.0 / (1.0 + 0.1 * step as f64) + 0.2;
            lines.push_str(&format!("{{\"run\": \"a\", \"step\": {step}, \"train_loss\": {train}}}\n"));
            lines.push_str(&format!("{{\"run\": \"b\", \"step\": {step}, \"train_loss\": {train}}}\n"));
            if step % 5 == 4 {
                let a = 0.85 * train;
                let b = if step >= 45 { 1.2 * train } else { 0.85 * train };
                lines.push_str(&format!("{{\"run\": \"a\", \"step\": {step}, \"val_loss\": {a}}}\n"));
                lines.push_str(&format!("{{\"run\": \"b\", \"step\": {step}, \"val_loss\": {b}}}\n"));
            }
        }
        std::fs::write(&path, lines).unwrap();
        env.ok(&["import", path.to_str().unwrap()]);
        let r = diagnose_json(env, "a");
        let hint = r["hints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == "validation-better-than-training")
            .unwrap_or_else(|| panic!("no validation-better-than-training hint in {r}"));
        let message = hint["message"].as_str().unwrap();
        assert!(message.contains("at all 10 validation points"), "{message}");
        assert!(message.contains("dropout") && message.contains("leakage"), "{message}");
        assert!(!hint_ids(env, "b").contains(&"validation-better-than-training".to_string()));
    }
}
