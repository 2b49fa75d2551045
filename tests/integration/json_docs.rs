//! JSON documents and OpenMMLab JSON logs, detected by content and imported through the binary:
//! Keras `History.history` dumps (column-wise), MMDetection / MMSegmentation 2.x `*.log.json`
//! (`mode` records) and MMEngine `vis_data/scalars.json`.

use crate::util::{Env, fixture, pairs};

/// Import a fixture into run `r`; returns what the import said (stdout and stderr).
fn import(env: &Env, name: &str) -> String {
    let path = fixture(&format!("formats/{name}"));
    let mut cmd = env.cmd();
    let out = cmd.args(["import", "--run", "r", path.to_str().unwrap()]);
    let out = out.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (o, e) = (out.stdout, out.stderr);
    format!(
        "{}{}",
        String::from_utf8_lossy(&o),
        String::from_utf8_lossy(&e)
    )
}

/// The number of stored points of each metric, as `show --json` lists them.
fn counts(env: &Env, run: &str) -> Vec<(String, u64)> {
    let show = env.show(run);
    show["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let name = m["metric"].as_str().unwrap().to_owned();
            (name, m["points"].as_u64().unwrap())
        })
        .collect()
}

fn count(env: &Env, run: &str, metric: &str) -> u64 {
    counts(env, run)
        .into_iter()
        .find(|(m, _)| m == metric)
        .map_or(0, |(_, n)| n)
}

#[test]
fn keras_history_one_step_per_epoch_from_zero() {
    let env = Env::new();
    let out = import(&env, "keras_history.json");
    assert!(out.contains("(columns)"), "{out}");
    assert_eq!(
        env.metric_names("r"),
        ["accuracy", "loss", "val_accuracy", "val_loss"]
    );
    let loss = pairs(&env.series("r", "loss"));
    assert_eq!(loss.len(), 10);
    assert_eq!(loss[0], (0, 0.8124));
    assert_eq!(loss[9], (9, 0.2771));
    assert_eq!(pairs(&env.series("r", "val_accuracy"))[3], (3, 0.8492));
}

#[test]
fn nested_history_beside_metadata_with_its_epoch_list() {
    let env = Env::new();
    import(&env, "keras_nested.json");
    assert_eq!(
        counts(&env, "r"),
        [
            ("history/loss".to_string(), 5),
            ("history/lr".to_string(), 5),
            ("history/val_loss".to_string(), 5),
            ("history/val_top1".to_string(), 4),
            ("train/grad_norm".to_string(), 3),
        ]
    );
    assert_eq!(
        pairs(&env.series("r", "history/loss")),
        [
            (1, 2.1034),
            (2, 1.6621),
            (3, 1.4015),
            (4, 1.2288),
            (5, 1.1107)
        ]
    );
    // null keeps its index (epoch 3 has no top-1); NaN is stored as NaN.
    let top1 = pairs(&env.series("r", "history/val_top1"));
    assert_eq!(top1.iter().map(|p| p.0).collect::<Vec<_>>(), [1, 2, 4, 5]);
    let val = pairs(&env.series("r", "history/val_loss"));
    assert!(val[2].0 == 3 && val[2].1.is_nan());
    // A list shorter than the epoch list counts from 0.
    assert_eq!(
        pairs(&env.series("r", "train/grad_norm")),
        [(0, 4.12), (1, 3.05), (2, 2.71)]
    );
}

#[test]
fn mmdet_2x_iterations_over_epochs_and_validation_apart() {
    let env = Env::new();
    let out = import(&env, "mmdet_2x.log.json");
    assert!(out.contains("(jsonl)"), "{out}");
    assert_eq!(
        pairs(&env.series("r", "loss")),
        [
            (50, 2.0345),
            (100, 1.1385),
            (150, 1.08),
            (200, 0.9041),
            (250, 0.8712),
            (300, 0.8438),
            (350, 0.8017),
            (400, 0.7826)
        ]
    );
    assert_eq!(
        pairs(&env.series("r", "val/bbox_mAP")),
        [(150, 0.0912), (300, 0.1534), (400, 0.1879)]
    );
    // Training lr at every training line, validation's apart.
    assert_eq!(count(&env, "r", "lr"), 8);
    assert_eq!(count(&env, "r", "val/lr"), 3);
    assert_eq!(count(&env, "r", "epoch"), 8);
    let names = env.metric_names("r");
    for gone in ["seed", "mode", "val/epoch", "val/iter", "bbox_mAP", "step"] {
        assert!(!names.iter().any(|n| n == gone), "{gone} in {names:?}");
    }
    let runs: serde_json::Value =
        serde_json::from_str(&env.ok(&["runs", "--json"])).expect("runs --json");
    assert_eq!(runs[0]["points"], 117);
}

#[test]
fn mmseg_iterations_that_keep_counting_are_the_steps() {
    let env = Env::new();
    import(&env, "mmseg_iter.log.json");
    assert_eq!(
        pairs(&env.series("r", "decode.loss_ce")),
        [
            (50, 1.3287),
            (100, 0.7941),
            (150, 0.6412),
            (200, 0.5533),
            (250, 0.5102),
            (300, 0.4873)
        ]
    );
    assert_eq!(
        pairs(&env.series("r", "val/mIoU")),
        [(200, 0.4513), (300, 0.5011)]
    );
    assert_eq!(count(&env, "r", "val/aAcc"), 2);
}

#[test]
fn mmengine_work_dirs_one_run_per_timestamp_with_validation_at_its_epoch_end() {
    let env = Env::new();
    let dir = fixture("formats/mmengine/work_dirs");
    let out = env
        .cmd()
        .args(["import", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let said = format!("{stdout}{stderr}");
    assert!(said.contains("20240305_101010.json"), "{said}");
    assert_eq!(
        env.run_names(),
        [
            "deeplabv3_r50_40k/20240306_090000",
            "rtmdet_tiny_coco/20240305_101010"
        ]
    );
    let det = "rtmdet_tiny_coco/20240305_101010";
    assert_eq!(
        pairs(&env.series(det, "loss")),
        [
            (50, 2.1702),
            (100, 1.8833),
            (150, 1.694),
            (200, 1.5521),
            (250, 1.441),
            (300, 1.3672)
        ]
    );
    assert_eq!(
        pairs(&env.series(det, "coco/bbox_mAP")),
        [(150, 0.112), (300, 0.187)]
    );
    // Validation's timings never overwrite training's.
    assert_eq!(pairs(&env.series(det, "time"))[2], (150, 0.43112));
    assert_eq!(
        pairs(&env.series(det, "val/time")),
        [(150, 0.07735), (300, 0.07612)]
    );
    assert_eq!(count(&env, det, "data_time"), 6);
    assert_eq!(count(&env, det, "val/data_time"), 2);
    // Iteration-based: validation at its own step.
    let seg = "deeplabv3_r50_40k/20240306_090000";
    assert_eq!(
        pairs(&env.series(seg, "val/mIoU")),
        [(100, 45.13), (200, 50.11)]
    );
    assert_eq!(count(&env, seg, "loss"), 4);
}

#[test]
fn mmengine_scalars_named_alone_is_the_same_run() {
    let env = Env::new();
    let file = fixture(
        "formats/mmengine/work_dirs/rtmdet_tiny_coco/20240305_101010/vis_data/scalars.json",
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let vis = file.parent().unwrap();
    env.ok(&["import", vis.to_str().unwrap()]);
    assert_eq!(env.run_names(), ["rtmdet_tiny_coco/20240305_101010"]);
}

#[test]
fn only_json_with_metrics_is_imported_from_a_directory() {
    let env = Env::new();
    let dir = fixture("formats/keras_dir");
    env.ok(&["import", dir.to_str().unwrap()]);
    // config.json, preprocessor_config.json, package.json, vocab.json, tokenizer.json: none.
    assert_eq!(env.run_names(), ["keras_dir/history"]);
    assert_eq!(count(&env, "keras_dir/history", "loss"), 10);
}

#[test]
fn forced_columns_format() {
    let env = Env::new();
    let path = fixture("formats/keras_history.json");
    env.ok(&[
        "import",
        "--run",
        "r",
        "--format",
        "columns",
        path.to_str().unwrap(),
    ]);
    assert_eq!(count(&env, "r", "val_loss"), 10);
}

#[test]
fn tail_once_reads_the_same_steps() {
    let env = Env::new();
    let keras = fixture("formats/keras_history.json");
    let work_dirs = fixture("formats/mmengine/work_dirs");
    env.ok(&["tail", "--once", keras.to_str().unwrap(), "--run", "k"]);
    assert_eq!(pairs(&env.series("k", "loss"))[9], (9, 0.2771));
    env.ok(&["tail", "--once", work_dirs.to_str().unwrap()]);
    let det = "rtmdet_tiny_coco/20240305_101010";
    assert_eq!(
        pairs(&env.series(det, "coco/bbox_mAP")),
        [(150, 0.112), (300, 0.187)]
    );
    assert_eq!(count(&env, det, "val/time"), 2);
    assert_eq!(
        env.run_names(),
        ["deeplabv3_r50_40k/20240306_090000", "k", det]
    );
}
