//! Other trackers' local stores: Sacred run directories and trackio databases, made by the
//! real libraries (`tools/fixtures/sacred_trackio.py`), imported as their users expect.

use crate::util::{Env, copy_dir, fixture, pairs, snapshot};
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A copy of fixture `name` in the test's directory, so nothing can change the original.
fn copy(env: &Env, name: &str) -> PathBuf {
    let from = fixture(name);
    let to = env.dir.path().join(from.file_name().unwrap());
    copy_dir(&from, &to);
    to
}

#[test]
fn a_sacred_observer_directory_gives_one_run_per_sacred_run() {
    let env = Env::new();
    let runs = copy(&env, "formats/sacred/my_runs");
    let out = env.cmd().args(["import", s(&runs)]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("(Sacred run) → run mnist_mlp/1"), "{err}");
    // The captured console (cout.txt) and the saved sources are not runs of their own.
    assert_eq!(env.run_names(), ["mnist_mlp/1", "mnist_mlp/2"]);
    let loss = env.series("mnist_mlp/2", "train.loss");
    assert_eq!(loss.steps, [0, 100, 200, 300, 400]);
    assert!((loss.values[0] - 10.0).abs() < 1e-12, "{:?}", loss.values);
    assert_eq!(env.series("mnist_mlp/1", "val.acc").steps, [0, 200, 400]);
    let grad = pairs(&env.series("mnist_mlp/1", "grad_norm"));
    assert!(grad[0].1.is_nan() && grad[1] == (1, 2.5), "{grad:?}");
    assert!(loss.wall_times.iter().all(|t| t.is_some_and(|t| t > 1.6e9)));
    let show = env.show("mnist_mlp/2");
    assert_eq!(show["params"]["lr"], 0.1, "{show}");
    assert_eq!(show["params"]["opt"]["name"], "adam", "{show}");
}

#[test]
fn a_sacred_metrics_file_named_alone_imports_its_run() {
    let env = Env::new();
    let runs = copy(&env, "formats/sacred/my_runs");
    env.ok(&["import", s(&runs.join("1/metrics.json"))]);
    assert_eq!(env.run_names(), ["mnist_mlp/1"]);
    assert_eq!(env.series("mnist_mlp/1", "train.loss").steps.len(), 5);
}

#[test]
fn a_trackio_database_gives_its_runs_and_is_left_untouched() {
    let env = Env::new();
    let dir = env.dir.path().join("trackio");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("vision.db");
    std::fs::copy(fixture("formats/trackio/vision.db"), &db).unwrap();
    let before = snapshot(&dir);
    let out = env.cmd().args(["import", s(&db)]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("(trackio database)"), "{err}");
    assert_eq!(env.run_names(), ["vision/resnet-a", "vision/resnet-b"]);
    let loss = env.series("vision/resnet-a", "loss");
    assert_eq!(loss.steps, [0, 10, 20, 30, 40]);
    assert_eq!(loss.values[1], 0.5);
    // Nested values are flattened as trackio shows them; NaN stays NaN.
    assert_eq!(env.series("vision/resnet-a", "val/acc").steps.len(), 5);
    assert!(
        env.series("vision/resnet-a", "skipped")
            .values
            .iter()
            .all(|v| v.is_nan())
    );
    assert_eq!(env.series("vision/resnet-b", "loss").steps, [0, 1, 2]);
    let show = env.show("vision/resnet-a");
    assert_eq!(show["params"]["batch_size"], 32, "{show}");
    assert!(show["params"].get("_Created").is_none(), "{show}");
    // Nothing created or changed beside the database (no -wal, no -shm).
    assert_eq!(snapshot(&dir), before);
    // Importing again changes nothing.
    let again = env.cmd().args(["import", s(&db)]).output().unwrap();
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("(0 points new or changed)"), "{err}");
}

#[test]
fn directory_discovery_finds_stores_and_does_not_take_a_tracker_database_for_one() {
    let env = Env::new();
    let root = env.dir.path().join("work");
    std::fs::create_dir(&root).unwrap();
    copy_dir(&fixture("formats/sacred/my_runs"), &root.join("my_runs"));
    copy_dir(
        &fixture("formats/trackio/vision.db"),
        &root.join("vision.db"),
    );
    std::fs::write(root.join("extra.jsonl"), "{\"step\":1,\"loss\":0.5}\n").unwrap();
    // A tracker database of its own in the directory is neither a store nor a log.
    let own = Env::new();
    own.ok(&["import", s(&root.join("extra.jsonl")), "--run", "x"]);
    std::fs::copy(own.db(), root.join("tracker.db")).unwrap();
    env.ok(&["import", s(&root)]);
    assert_eq!(
        env.run_names(),
        [
            "mnist_mlp/1",
            "mnist_mlp/2",
            "vision/resnet-a",
            "vision/resnet-b",
            "work/extra"
        ]
    );
}

#[test]
fn tail_says_a_store_is_read_by_import() {
    let env = Env::new();
    let db = copy(&env, "formats/trackio/vision.db");
    let out = env.cmd().args(["tail", "--once", s(&db)]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is a trackio database") && err.contains("tracker import"),
        "{err}"
    );
    assert!(!env.db().exists() || env.run_names().is_empty());
}

#[test]
fn a_catboost_training_directory_is_one_run_read_from_its_tables() {
    let env = Env::new();
    let project = copy(&env, "formats/catboost/churn");
    let info = project.join("catboost_info");
    for path in [
        project.clone(),
        info.clone(),
        info.join("test_error.tsv"),
        env.dir.path().to_path_buf(),
    ] {
        let env = Env::new();
        let out = env.cmd().args(["import", s(&path)]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        // One run named after the project; the event files and time_left.tsv are the same
        // values again, not runs of their own.
        assert_eq!(env.run_names(), ["churn"], "{path:?}: {err}");
        let auc = env.series("churn", "test/AUC");
        assert_eq!(auc.steps, (0..40).collect::<Vec<_>>());
        assert_eq!(auc.values[0], 0.9418);
        assert_eq!(
            env.metric_names("churn"),
            [
                "learn/Accuracy",
                "learn/Logloss",
                "test/AUC",
                "test/Accuracy",
                "test/Logloss"
            ]
        );
    }
}

#[test]
fn a_catboost_info_directory_kept_with_its_tables_alone_is_still_one_run() {
    // Repositories often commit `catboost_info/` with only its error tables.
    let env = Env::new();
    let info = env.dir.path().join("exp").join("catboost_info");
    std::fs::create_dir_all(&info).unwrap();
    for corpus in ["02_catboost_learn", "03_catboost_test"] {
        let from = fixture(&format!("corpus/{corpus}/catboost_info"));
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, info.join(p.file_name().unwrap())).unwrap();
        }
    }
    env.ok(&["import", s(&env.dir.path().join("exp"))]);
    assert_eq!(env.run_names(), ["exp"]);
    assert_eq!(env.metric_names("exp"), ["learn/RMSE", "test/RMSE"]);
    assert_eq!(env.series("exp", "test/RMSE").steps.len(), 100);
}
