//! Importing the logs real frameworks wrote (tests/fixtures/real-logs).

use crate::util::{Env, pairs, real_logs};

#[test]
fn lightning_csv_gives_every_metric_at_its_steps() {
    let env = Env::new();
    let dir = real_logs().join("lightning/digits_sgd_lr0.05/version_0");
    env.ok(&["import", dir.join("metrics.csv").to_str().unwrap()]);
    let runs: serde_json::Value = serde_json::from_str(&env.ok(&["runs", "--json"])).unwrap();
    assert_eq!(runs[0]["name"], "digits_sgd_lr0.05/version_0");
    assert_eq!(
        env.metric_names("digits"),
        [
            "epoch",
            "train_f1",
            "train_loss_epoch",
            "train_loss_step",
            "val_acc",
            "val_f1",
            "val_f1_macro",
            "val_f1_micro",
            "val_loss"
        ]
    );
    // 60 epochs, validation once per epoch, train_loss_step every 5 steps.
    let val_f1 = env.series("digits_sgd_lr0.05/version_0", "val_f1");
    assert_eq!(val_f1.len(), 60);
    assert_eq!(pairs(&val_f1)[0], (21, 0.6308696269989014));
    assert_eq!(
        env.series("digits_sgd_lr0.05/version_0", "train_loss_step")
            .steps[..3],
        [4, 9, 14]
    );
    // hparams.yaml beside the CSV became the run's params.
    let show = env.show("digits");
    assert_eq!(show["params"]["lr"], 0.05);
    assert_eq!(show["params"]["opt"], "sgd");
}

#[test]
fn hf_stdout_log_and_trainer_state_give_the_same_points() {
    let env = Env::new();
    let dir = real_logs().join("hf/bert_tiny_lr5e-4");
    env.ok(&[
        "import",
        "--run",
        "state",
        dir.join("trainer_state.json").to_str().unwrap(),
    ]);
    env.ok(&[
        "import",
        "--run",
        "stdout",
        dir.join("train.log").to_str().unwrap(),
    ]);
    for metric in [
        "eval_f1",
        "eval_loss",
        "loss",
        "learning_rate",
        "eval_accuracy",
    ] {
        let a = env.series("state", metric);
        let b = env.series("stdout", metric);
        assert_eq!(a.steps, b.steps, "{metric}: steps differ");
        assert!(!a.is_empty());
        // The stdout log prints 4 significant digits (Transformers 5).
        for (x, y) in a.values.iter().zip(&b.values) {
            assert!(
                (x - y).abs() <= 5e-4 * x.abs().max(1e-3),
                "{metric}: {x} vs {y}"
            );
        }
    }
    let f1 = env.series("state", "eval_f1");
    assert_eq!(f1.steps.first(), Some(&25));
    assert_eq!(f1.steps.last(), Some(&504));
}

#[test]
fn hf_stdout_log_alone_uses_logging_steps() {
    let env = Env::new();
    let src = real_logs().join("hf/bert_tiny_lr5e-4");
    let alone = env.dir.path().join("alone");
    std::fs::create_dir(&alone).unwrap();
    std::fs::copy(src.join("train.log"), alone.join("train.log")).unwrap();
    env.ok(&[
        "import",
        "--run",
        "state",
        src.join("trainer_state.json").to_str().unwrap(),
    ]);
    env.ok(&[
        "import",
        "--run",
        "alone",
        "--logging-steps",
        "5",
        alone.join("train.log").to_str().unwrap(),
    ]);
    assert_eq!(
        env.series("state", "eval_f1").steps,
        env.series("alone", "eval_f1").steps
    );
    assert_eq!(
        env.series("state", "loss").steps,
        env.series("alone", "loss").steps
    );
}

#[test]
fn a_directory_gives_one_run_per_run_directory() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["import", real_logs().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not imported (same run)"), "{stderr}");
    assert_eq!(
        env.run_names(),
        [
            "hf/bert_tiny_lr5e-4",
            "lightning/digits_sgd_lr0.05/version_0"
        ]
    );
    // The HF run came from trainer_state.json, whose settings are params.
    let hf = env.show("hf/");
    assert_eq!(hf["params"]["logging_steps"], 5);
    assert!(
        hf["source"]
            .as_str()
            .unwrap()
            .ends_with("trainer_state.json")
    );
    // Importing again stores nothing twice and records nothing.
    let before = env.show("hf/")["history"].as_array().unwrap().len();
    let out = env
        .cmd()
        .args(["import", real_logs().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("(0 points new or changed)"));
    assert_eq!(env.show("hf/")["history"].as_array().unwrap().len(), before);
}
