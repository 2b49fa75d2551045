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
    assert_eq!(env.run_names(), ["explicit", "implicit"], "{err}");
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
    assert_eq!(env.run_names(), ["explicit", "implicit"]);
}
