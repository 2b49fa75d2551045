//! MLflow's local stores: a file store (`mlruns/`) and a SQLite tracking database
//! (`mlflow.db`), made by the real library (`tools/fixtures/mlflow_stores.py`), imported as
//! their users expect: one run per live MLflow run, named `EXPERIMENT/RUN_NAME`.

use crate::util::{Env, copy_dir, fixture, pairs, snapshot};
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A copy of the fixture file store at `DIR/work/mlruns`; returns `DIR/work`.
fn file_store(env: &Env) -> PathBuf {
    let work = env.dir.path().join("work");
    copy_dir(&fixture("formats/mlflow/mlruns"), &work.join("mlruns"));
    work
}

/// A value of a `meta.yaml` (its top-level `key: value` lines), unquoted.
fn meta(dir: &Path, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("meta.yaml")).ok()?;
    text.lines().find_map(|l| {
        let v = l.strip_prefix(key)?.strip_prefix(": ")?;
        Some(v.trim_matches('\'').to_string())
    })
}

/// The experiment directory of `name` in `mlruns`.
fn experiment(mlruns: &Path, name: &str) -> PathBuf {
    let found = std::fs::read_dir(mlruns)
        .unwrap()
        .map(|e| e.unwrap().path());
    found
        .filter(|p| !p.ends_with(".trash"))
        .find(|p| meta(p, "name").as_deref() == Some(name))
        .unwrap()
}

/// The run directories of experiment `exp` whose run name is `name`, by run id.
fn runs_named(exp: &Path, name: &str) -> Vec<PathBuf> {
    let mut runs: Vec<PathBuf> = std::fs::read_dir(exp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && meta(p, "run_name").as_deref() == Some(name))
        .collect();
    runs.sort();
    runs
}

/// `mnist/baseline-ID8` for each run id, sorted.
fn baselines(ids: &[String]) -> Vec<String> {
    let mut names: Vec<String> = ids
        .iter()
        .map(|id| format!("mnist/baseline-{}", &id[..8]))
        .collect();
    names.sort();
    names
}

/// What both stores hold for one `baseline` run (lr 0.1 or 0.01) and `cifar/resnet`.
fn check_runs(env: &Env, first: &str, second: &str) {
    let loss = env.series(first, "train/loss");
    assert_eq!(loss.steps, [0, 10, 20, 30, 40]);
    assert_eq!(loss.values[1], 0.5);
    assert!(loss.wall_times[0].is_some_and(|t| (t - 1.7e9).abs() < 1.0));
    assert_eq!(env.series(first, "val/acc").steps, [0, 20, 40]);
    assert_eq!(env.series(second, "train/loss").values[0], 2.0);
    // NaN and the infinities are read back as logged.
    let grad = pairs(&env.series(first, "grad_norm"));
    assert!(grad[0].1.is_nan(), "{grad:?}");
    assert_eq!(
        grad[1..],
        [(1, f64::INFINITY), (2, f64::NEG_INFINITY), (3, 2.5)]
    );
    // Logged twice at one step: one point, the later value.
    assert_eq!(pairs(&env.series(first, "lr_scale")), [(3, 0.25)]);
    assert_eq!(
        pairs(&env.series("cifar/resnet", "loss")),
        [(0, 3.0), (1, 2.0), (2, 1.0)]
    );
    let show = env.show(first);
    let params = &show["params"];
    assert_eq!(params["lr"], "0.1", "{show}");
    assert_eq!(params["optim/name"], "adam", "{show}");
    assert_eq!(params["tags"]["team"], "vision", "{show}");
    assert_eq!(params["tags"]["mlflow.runName"], "baseline", "{show}");
    assert!(
        params["tags"].get("mlflow.log-model.history").is_none(),
        "{show}"
    );
    assert_eq!(env.show(second)["params"]["lr"], "0.01");
    assert_eq!(env.show("cifar/resnet")["params"]["depth"], "18");
}

#[test]
fn an_mlflow_file_store_gives_one_run_per_live_run_named_as_mlflow_names_it() {
    let env = Env::new();
    let work = file_store(&env);
    let mlruns = work.join("mlruns");
    let before = snapshot(&work);
    let out = env.cmd().args(["import", s(&mlruns)]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("(MLflow run) → run cifar/resnet"), "{err}");
    // The deleted run is reported; the deleted experiment (in .trash) is not a run either.
    assert!(err.contains("the run is deleted in MLflow"), "{err}");
    let mnist = experiment(&mlruns, "mnist");
    let ids: Vec<String> = runs_named(&mnist, "baseline")
        .iter()
        .map(|p| meta(p, "run_id").unwrap())
        .collect();
    let mut want = baselines(&ids);
    want.insert(0, "cifar/resnet".to_string());
    assert_eq!(env.run_names(), want);
    // Which baseline is which: the one started first has lr 0.1.
    let mut by_start: Vec<(String, String)> = runs_named(&mnist, "baseline")
        .iter()
        .map(|p| (meta(p, "start_time").unwrap(), meta(p, "run_id").unwrap()))
        .collect();
    by_start.sort();
    let name = |id: &str| format!("mnist/baseline-{}", &id[..8]);
    check_runs(&env, &name(&by_start[0].1), &name(&by_start[1].1));
    assert_eq!(snapshot(&work), before);
    let again = env.cmd().args(["import", s(&mlruns)]).output().unwrap();
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("(0 points new or changed)"), "{err}");
}

#[test]
fn every_spelling_of_a_file_store_path_gives_the_same_run_names() {
    let all = Env::new();
    let work = file_store(&all);
    let mlruns = work.join("mlruns");
    all.ok(&["import", s(&mlruns)]);
    let names = all.run_names();
    let mnist = experiment(&mlruns, "mnist");
    let run = &runs_named(&mnist, "baseline")[1];
    let id = meta(run, "run_id").unwrap();
    let one = vec![format!("mnist/baseline-{}", &id[..8])];
    let cases: Vec<(PathBuf, &str, Vec<String>)> = vec![
        (work.clone(), ".", names.clone()),
        (work.clone(), "mlruns", names.clone()),
        (mlruns.clone(), ".", names.clone()),
        (
            work.clone(),
            s(mnist.strip_prefix(&work).unwrap()),
            names[1..].to_vec(),
        ),
        (mnist.clone(), ".", names[1..].to_vec()),
        (run.clone(), ".", one.clone()),
        (run.join("metrics"), "..", one.clone()),
        (
            work.clone(),
            s(run.strip_prefix(&work).unwrap()),
            one.clone(),
        ),
        (run.clone(), "meta.yaml", one.clone()),
    ];
    for (cwd, arg, want) in cases {
        let env = Env::new();
        let out = env
            .cmd()
            .current_dir(&cwd)
            .args(["import", arg])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{arg} in {cwd:?}: {err}");
        assert_eq!(env.run_names(), want, "{arg} in {cwd:?}: {err}");
    }
}

#[test]
fn older_file_store_lines_names_from_tags_and_broken_lines_reported() {
    let env = Env::new();
    let exp = env.dir.path().join("mlruns/7");
    std::fs::create_dir_all(&exp).unwrap();
    std::fs::write(exp.join("meta.yaml"), "experiment_id: '7'\nname: old\n").unwrap();
    let run = |id: &str, name: &str, tag: Option<&str>, metric: &str| {
        let dir = exp.join(id);
        std::fs::create_dir_all(dir.join("metrics/train")).unwrap();
        let meta = format!("run_uuid: {id}\nrun_name: '{name}'\nexperiment_id: '7'\n");
        std::fs::write(dir.join("meta.yaml"), meta).unwrap();
        std::fs::write(dir.join("metrics/train/loss"), metric).unwrap();
        if let Some(tag) = tag {
            std::fs::create_dir_all(dir.join("tags")).unwrap();
            std::fs::write(dir.join("tags/mlflow.runName"), tag).unwrap();
        }
    };
    // MLflow before steps wrote `TIMESTAMP VALUE`: step 0, as MLflow reads it.
    run(
        "aaaa1111",
        "",
        Some("tagged"),
        "1000 0.5\n2000 0.25 1\nbroken line here x\n",
    );
    run("bbbb2222", "", None, "1000 1.5 4\n");
    let out = env.cmd().args(["import", s(&exp)]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("metrics/train/loss line 3"), "{err}");
    assert_eq!(env.run_names(), ["old/bbbb2222", "old/tagged"]);
    assert_eq!(
        pairs(&env.series("old/tagged", "train/loss")),
        [(0, 0.5), (1, 0.25)]
    );
    assert_eq!(
        env.series("old/tagged", "train/loss").wall_times[0],
        Some(1.0)
    );
    assert_eq!(pairs(&env.series("old/bbbb2222", "train/loss")), [(4, 1.5)]);
}

/// The run ids of the fixture database's live runs named `baseline`, by start time.
fn database_baselines() -> Vec<String> {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let conn =
        rusqlite::Connection::open_with_flags(fixture("formats/mlflow/mlflow.db"), flags).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT run_uuid FROM runs WHERE name = 'baseline' AND lifecycle_stage = 'active' \
             ORDER BY start_time",
        )
        .unwrap();
    let ids = stmt.query_map([], |r| r.get(0)).unwrap();
    ids.collect::<rusqlite::Result<_>>().unwrap()
}

#[test]
fn an_mlflow_database_gives_its_live_runs_and_is_left_untouched() {
    let env = Env::new();
    let dir = env.dir.path().join("work");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("mlflow.db");
    std::fs::copy(fixture("formats/mlflow/mlflow.db"), &db).unwrap();
    let before = snapshot(&dir);
    let out = env.cmd().args(["import", s(&db)]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("(MLflow database) → run "), "{err}");
    assert!(
        err.contains("(mnist/tiny): the run is deleted in MLflow"),
        "{err}"
    );
    // MLflow marks the runs of a deleted experiment deleted too.
    assert!(err.contains("(scratch/trial): the run is deleted"), "{err}");
    let ids = database_baselines();
    let mut want = baselines(&ids);
    want.insert(0, "cifar/resnet".to_string());
    assert_eq!(env.run_names(), want);
    let name = |id: &str| format!("mnist/baseline-{}", &id[..8]);
    check_runs(&env, &name(&ids[0]), &name(&ids[1]));
    // Byte-identical, and nothing created beside it (no -wal, no -shm).
    assert_eq!(snapshot(&dir), before);
    let again = env.cmd().args(["import", s(&db)]).output().unwrap();
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("(0 points new or changed)"), "{err}");
    // Found by discovery too, under the same names.
    let found = Env::new();
    found.ok(&["import", s(&dir)]);
    assert_eq!(found.run_names(), want);
}
