//! W&B run directories, logged offline by the real `wandb` package
//! (`tools/fixtures/wandb_offline.py`), imported from their binary transaction logs.

use crate::util::{Env, copy_dir, fixture};
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A copy of the fixture's `wandb/` directory in the test's directory, symlinks kept as such.
fn copy(env: &Env) -> PathBuf {
    let to = env.dir.path().join("wandb");
    copy_dir(&fixture("formats/wandb/wandb"), &to);
    to
}

/// The run directory whose name ends with `id`.
fn run_dir(root: &Path, id: &str) -> PathBuf {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(id) && !p.is_symlink())
        .unwrap()
}

fn import(env: &Env, path: &Path) -> String {
    let out = env.cmd().args(["import", s(path)]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    err
}

#[test]
fn a_wandb_directory_gives_each_run_once_named_by_its_display_name() {
    let env = Env::new();
    let root = copy(&env);
    let err = import(&env, &root);
    assert!(err.contains("(W&B run) → run explicit"), "{err}");
    // latest-run is a symlink to the second run: not a third run, not read twice.
    assert_eq!(
        env.run_names(),
        ["explicit", "implicit", "printed"],
        "{err}"
    );
    assert_eq!(err.matches("→ run implicit").count(), 1, "{err}");
}

#[test]
fn steps_values_nan_nested_keys_and_wall_times() {
    let env = Env::new();
    import(&env, &copy(&env));
    let loss = env.series("explicit", "loss");
    assert_eq!(loss.steps, [0, 10, 20, 30, 40]);
    assert!(
        (loss.values[1] - 1.0 / 11.0).abs() < 1e-12,
        "{:?}",
        loss.values
    );
    assert!(loss.values[2].is_nan(), "{:?}", loss.values);
    assert!(loss.wall_times.iter().all(|w| w.is_some_and(|w| w > 1.6e9)));
    let acc = env.series("explicit", "eval/acc");
    assert_eq!(acc.steps, [0, 10, 20, 30, 40]);
    assert!((acc.values[4] - 0.4).abs() < 1e-12);
    // Implicit steps count 0, 1, 2, ...; a `commit=False` call joins the next one's step.
    let train = env.series("implicit", "train/loss");
    assert_eq!(train.steps, [0, 1, 2, 3]);
    assert_eq!(train.values, [2.0, 1.5, 1.0, 0.5]);
    assert_eq!(env.series("implicit", "lr").steps, [0, 1, 2, 3]);
}

#[test]
fn params_tags_and_no_points_from_the_summary_or_strings() {
    let env = Env::new();
    import(&env, &copy(&env));
    let show = env.show("explicit");
    assert_eq!(show["params"]["lr"], 0.01, "{show}");
    assert_eq!(show["params"]["opt"]["name"], "adam", "{show}");
    assert_eq!(
        show["params"]["tags"],
        serde_json::json!(["baseline", "small"]),
        "{show}"
    );
    assert!(show["params"].get("_wandb").is_none(), "{show}");
    // The summary's best_acc is a final value, not a point; "note" is a string.
    assert_eq!(env.metric_names("explicit"), ["eval/acc", "loss"], "{show}");
}

#[test]
fn a_truncated_log_imports_its_complete_records_and_reports_the_rest() {
    let env = Env::new();
    let root = copy(&env);
    let dir = run_dir(&root, "explicit01");
    let log = dir.join("run-explicit01.wandb");
    let bytes = std::fs::read(&log).unwrap();
    std::fs::write(&log, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let err = import(&env, &dir);
    assert!(
        err.contains("offset"),
        "the cut record is reported by offset: {err}"
    );
    let loss = env.series("explicit", "loss");
    assert!(
        !loss.steps.is_empty() && loss.steps.len() < 5,
        "{:?}",
        loss.steps
    );
    assert_eq!(loss.steps, [0, 10, 20, 30, 40][..loss.steps.len()]);
}

#[test]
fn re_import_changes_nothing_and_every_spelling_gives_the_same_name() {
    let env = Env::new();
    let root = copy(&env);
    import(&env, &root);
    let dir = run_dir(&root, "explicit01");
    for again in [root.clone(), dir.clone(), dir.join("run-explicit01.wandb")] {
        let err = import(&env, &again);
        assert!(err.contains("→ run explicit"), "{err}");
        assert!(err.contains("0 points new or changed"), "{err}");
    }
    assert_eq!(env.run_names(), ["explicit", "implicit", "printed"]);
}

/// A run directory as SDKs before 0.10 left it: no transaction log, a history file.
fn legacy_run(root: &Path) -> PathBuf {
    let dir = root.join("run-20200301_101010-old7q2x1");
    std::fs::create_dir_all(&dir).unwrap();
    let history = (0..4)
        .map(|i| {
            format!(
                "{{\"loss\": {}, \"val\": {{\"acc\": {}}}, \"img\": {{\"_type\": \"image-file\", \"path\": \"a.png\"}}, \
                 \"_runtime\": {i}.5, \"_timestamp\": {}, \"_step\": {}}}\n",
                1.0 / f64::from(i + 1),
                0.5 + f64::from(i) / 10.0,
                1583057470 + i,
                i * 5
            )
        })
        .collect::<String>();
    std::fs::write(dir.join("wandb-history.jsonl"), history).unwrap();
    std::fs::write(
        dir.join("config.yaml"),
        "wandb_version: 1\n\n_wandb:\n  desc: null\n  value:\n    cli_version: 0.8.29\n\
         lr:\n  desc: null\n  value: 0.001\nbatch_size:\n  desc: null\n  value: 32\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("wandb-summary.json"),
        "{\"loss\": 0.25, \"best\": 0.9, \"_step\": 15}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("output.log"),
        "epoch 1 loss=1.0\nepoch 2 loss=0.5\n",
    )
    .unwrap();
    dir
}

#[test]
fn an_old_run_directory_reads_its_history_file_and_config() {
    let env = Env::new();
    let root = env.dir.path().join("wandb");
    let dir = legacy_run(&root);
    let err = import(&env, &root);
    assert!(err.contains("(W&B run) → run old7q2x1"), "{err}");
    assert_eq!(env.run_names(), ["old7q2x1"], "{err}");
    let loss = env.series("old7q2x1", "loss");
    assert_eq!(loss.steps, [0, 5, 10, 15]);
    assert_eq!(loss.values[1], 0.5);
    assert_eq!(loss.wall_times[2], Some(1583057472.0));
    assert_eq!(env.series("old7q2x1", "val/acc").values[3], 0.8);
    // Media, `_runtime` and the summary's final values are not points.
    assert_eq!(env.metric_names("old7q2x1"), ["loss", "val/acc"]);
    let show = env.show("old7q2x1");
    assert_eq!(show["params"]["lr"], 0.001, "{show}");
    assert_eq!(show["params"]["batch_size"], 32, "{show}");
    assert!(show["params"].get("_wandb").is_none(), "{show}");
    // The history file named alone is the same run, also where SDK 0.10 and later keep it.
    let err = import(&env, &dir.join("wandb-history.jsonl"));
    assert!(err.contains("0 points new or changed"), "{err}");
    std::fs::create_dir(dir.join("files")).unwrap();
    for f in ["wandb-history.jsonl", "config.yaml"] {
        std::fs::rename(dir.join(f), dir.join("files").join(f)).unwrap();
    }
    let err = import(&env, &dir.join("files/wandb-history.jsonl"));
    assert!(err.contains("→ run old7q2x1"), "{err}");
    assert!(err.contains("0 points new or changed"), "{err}");
    assert_eq!(env.show("old7q2x1")["params"]["lr"], 0.001);
}

#[test]
fn latest_run_copies_and_debug_logs_in_the_wandb_directory_are_not_runs() {
    let env = Env::new();
    let root = copy(&env);
    // Where links were not kept (an archive, a checkout on Windows), latest-run is a copy.
    std::fs::remove_file(root.join("latest-run")).unwrap();
    copy_dir(&run_dir(&root, "implicit02"), &root.join("latest-run"));
    std::fs::create_dir_all(root.join("latest-run/logs")).unwrap();
    let debug = "2026-12-07 11:54:57,001 INFO    MainThread:1 [wandb_setup.py:_flush():76] \
                 Current SDK version is 0.19.1\n";
    for f in [
        "debug.log",
        "debug-internal.log",
        "latest-run/logs/debug.log",
    ] {
        std::fs::write(root.join(f), debug.repeat(3)).unwrap();
    }
    let err = import(&env, &root);
    assert_eq!(
        env.run_names(),
        ["explicit", "implicit", "printed"],
        "{err}"
    );
    assert!(!err.contains("debug"), "{err}");
}

#[test]
fn a_run_whose_metrics_were_only_printed_is_read_from_the_console_its_log_holds() {
    let env = Env::new();
    let root = copy(&env);
    let err = import(&env, &run_dir(&root, "printed03"));
    assert!(err.contains("→ run printed"), "{err}");
    // Five Trainer dicts printed to stdout, one evaluation: read as the console would be.
    let loss = env.series("printed", "loss");
    assert_eq!(loss.values, [2.0, 1.0, 0.6667, 0.5, 0.4], "{err}");
    assert_eq!(env.series("printed", "eval_accuracy").values, [0.8]);
}

#[test]
fn a_run_directory_kept_without_its_binary_log_is_read_from_its_console() {
    // A real run directory committed to a repository with its `files/` only (output.log,
    // wandb-metadata.json, wandb-summary.json, config.yaml): TensorFlow's glog-style console.
    let env = Env::new();
    let dir = fixture("corpus/06_kws_wandb_run");
    let err = import(&env, &dir);
    assert_eq!(env.run_names(), ["3ojed7lz"], "{err}");
    let metrics = env.metric_names("3ojed7lz");
    assert_eq!(
        metrics,
        ["accuracy", "cross_entropy", "rate", "validation_accuracy"],
        "{err}"
    );
    let acc = env.series("3ojed7lz", "accuracy");
    assert_eq!(
        (acc.steps.len(), acc.steps[0], acc.values[0]),
        (863, 1, 3.91)
    );
    let val = env.series("3ojed7lz", "validation_accuracy");
    assert_eq!((val.steps.len(), val.values[0]), (12, 8.2));
    // Its config holds the run's notes: params, not points.
    assert!(env.show("3ojed7lz")["params"].get("Notes").is_some());
}
